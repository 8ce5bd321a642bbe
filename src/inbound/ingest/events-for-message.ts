// What a classified returned message means for the email it is about: its events and whether the
// recipient goes on the suppression list (issue 4 parts 3 and 6). Pure.
import type { EventType } from '../../events/index.ts';
import type { SuppressionReason } from '../../suppressions/index.ts';
import type { BounceResult, ReturnedMessage } from './classifier-port.ts';

export type InboundEvent = { type: EventType; metadata: Record<string, unknown> };

export type Consequences = {
  events: InboundEvent[];
  /** Put the recipient on the suppression list at once (hard bounce, complaint). */
  suppress?: SuppressionReason;
  /** A soft bounce: suppression depends on how many the address has had. */
  softBounce: boolean;
};

// RFC 3464 section 2.3.3: "delivered", "relayed" and "expanded" all mean the message left our
// hands successfully (a relay to a system that cannot report further is as far as we can see).
const DELIVERED_ACTIONS = new Set(['delivered', 'relayed', 'expanded']);

// Reply text kept in the event; the whole message stays in inbound_messages.
const MAX_REPLY_TEXT = 10_000;

/** `inboundId` (the stored message) goes into every event so the raw mail can be looked up. */
export function eventsForMessage(message: ReturnedMessage, toAddress: string, inboundId: string): Consequences {
  const base = { inbound_message_id: inboundId };
  switch (message.kind) {
    case 'complaint': {
      const report = message.results.find((r) => r.feedback) ?? message.results[0];
      return { events: [{ type: 'complaint', metadata: { ...base, feedback_type: report?.feedback_type ?? 'abuse' } }], suppress: 'complaint', softBounce: false };
    }
    case 'auto_reply':
      // RFC 3834: an automatic response is a reply with auto=true, never a bounce, never counted.
      return { events: [{ type: 'reply', metadata: { ...base, auto: true, ...replyFields(message) } }], softBounce: false };
    case 'reply':
      return { events: [{ type: 'reply', metadata: { ...base, auto: false, ...replyFields(message) } }], softBounce: false };
    case 'bounce':
    case 'delivery_report':
      return deliveryConsequences(message, relevantResults(message.results, toAddress), base);
    default:
      return { events: [], softBounce: false };
  }
}

/** The results about this email's recipient; all of them when none names it (forwarded, rewritten). */
function relevantResults(results: BounceResult[], toAddress: string): BounceResult[] {
  const to = toAddress.toLowerCase();
  const mine = results.filter((r) => r.recipient?.toLowerCase() === to);
  return mine.length > 0 ? mine : results;
}

function deliveryConsequences(message: ReturnedMessage, results: BounceResult[], base: Record<string, unknown>): Consequences {
  if (results.length === 0 && message.kind === 'bounce') {
    // A bounce that names no recipient and no reason: still a bounce of this email, kept soft.
    return { events: [{ type: 'bounced', metadata: { ...base, bounce_type: 'soft', reason: 'undefined', status: null, diagnostic: null } }], softBounce: true };
  }
  const out: Consequences = { events: [], softBounce: false };
  for (const r of results) {
    const action = r.action?.toLowerCase() ?? null;
    const detail = { ...base, status: r.status, diagnostic: r.diagnostic, remote_mta: r.remote_mta, reply_code: r.reply_code, action };
    if (action && DELIVERED_ACTIONS.has(action)) {
      out.events.push({ type: 'delivered', metadata: { ...detail, source: 'dsn' } });
    } else if (action === 'delayed') {
      out.events.push({ type: 'delivery_delayed', metadata: { ...detail, reason: r.reason, source: 'dsn' } });
    } else if (r.reason === 'delivered') {
      out.events.push({ type: 'delivered', metadata: { ...detail, source: 'dsn' } });
    } else if (!r.vacation && !r.feedback) {
      out.events.push({ type: 'bounced', metadata: { ...detail, bounce_type: r.hard ? 'hard' : 'soft', reason: r.reason } });
      if (r.hard) out.suppress = 'hard_bounce';
      else out.softBounce = true;
    }
  }
  return out;
}

function replyFields(message: ReturnedMessage) {
  return { from: message.reply?.from ?? null, subject: message.reply?.subject ?? null, text: message.reply?.text?.slice(0, MAX_REPLY_TEXT) ?? null };
}
