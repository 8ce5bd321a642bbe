// Turns a transport's SendResult into the email's next status, its events and when to retry.
import type { NewEvent } from '../events/index.ts';
import { classifySmtpReply } from '../bounces/index.ts';
import { decideRetry } from './retry-policy.ts';
import type { ClaimedEmail, Outcome } from './queue.repository.ts';
import type { SendResult, Transport } from './transports/transport.ts';

export function decideOutcome(email: ClaimedEmail, transport: Transport, result: SendResult, now = new Date()): Outcome {
  const base = { emailId: email.id, projectId: email.project_id, transport: transport.name };
  const event = (type: NewEvent['type'], metadata: Record<string, unknown>): NewEvent => ({
    projectId: email.project_id,
    emailId: email.id,
    type,
    metadata: { transport: transport.name, attempt: email.attempts, ...metadata },
  });
  switch (result.kind) {
    case 'accepted': {
      const sent = event('sent', { response: result.response });
      if (!transport.isFinalHop) return { ...base, status: 'sent', nextAttemptAt: null, events: [sent] };
      return { ...base, status: 'delivered', nextAttemptAt: null, events: [sent, event('delivered', { response: result.response })] };
    }
    case 'captured':
      return {
        ...base,
        status: 'sent',
        nextAttemptAt: null,
        capturedRaw: result.raw,
        events: [event('sent', { captured: true, delivered: false, note: 'SMTP_URL is not set: captured locally, NOT delivered' })],
      };
    case 'refused':
      if (result.code !== null && result.code >= 500) {
        const c = classifySmtpReply({ code: result.code, message: result.response });
        return {
          ...base,
          status: 'bounced',
          nextAttemptAt: null,
          events: [event('bounced', { bounce_type: c.bounceType, reason: c.reason, status: c.status, reply_code: result.code, diagnostic: result.response, phase: result.phase })],
        };
      }
      return deferOrExpire(email, transport, now, base, event, { reply_code: result.code, diagnostic: result.response, phase: result.phase });
    case 'unreachable':
      return deferOrExpire(email, transport, now, base, event, { reply_code: null, diagnostic: result.message, phase: 'connect' });
    case 'failed':
      return { ...base, status: 'failed', nextAttemptAt: null, events: [event('failed', { error: result.message })] };
  }
}

function deferOrExpire(
  email: ClaimedEmail,
  transport: Transport,
  now: Date,
  base: Pick<Outcome, 'emailId' | 'projectId' | 'transport'>,
  event: (type: NewEvent['type'], metadata: Record<string, unknown>) => NewEvent,
  detail: { reply_code: number | null; diagnostic: string; phase: string },
): Outcome {
  const decision = decideRetry(transport.retry, email.attempts, email.first_attempt_at ?? now, now);
  if (decision.kind === 'expired') {
    const last = detail.reply_code ? classifySmtpReply({ code: detail.reply_code, message: detail.diagnostic }) : undefined;
    return {
      ...base,
      status: 'bounced',
      nextAttemptAt: null,
      events: [event('bounced', { bounce_type: 'soft', reason: 'expired', status: last?.status ?? null, last_reason: last?.reason ?? 'networkerror', ...detail })],
    };
  }
  return {
    ...base,
    status: 'delivery_delayed',
    nextAttemptAt: decision.at,
    events: [event('delivery_delayed', { ...detail, retry_at: decision.at.toISOString() })],
  };
}
