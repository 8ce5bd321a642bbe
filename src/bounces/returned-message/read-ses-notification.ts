// Owns reading Amazon SES event notifications sent by email (SNS to an email endpoint): JSON with a
// notificationType of Bounce, Complaint or Delivery, per Amazon SES's notification contents reference.
import type { RecipientEvidence } from './build-bounce-result.ts';

export type SesNotification =
  | { type: 'bounce' | 'delivery'; recipients: RecipientEvidence[]; messageId: string | null }
  | { type: 'complaint'; recipients: string[]; feedbackType: string; messageId: string | null };

type Json = Record<string, unknown>;

/** Null unless the text holds an SES notification object. */
export function readSesNotification(text: string): SesNotification | null {
  const start = text.indexOf('{"notificationType"');
  const json = start < 0 ? null : parseJsonPrefix(text.slice(start, start + 200_000));
  if (!json || typeof json.notificationType !== 'string') return null;
  const mail = (json.mail ?? {}) as Json;
  const messageId = typeof mail.messageId === 'string' ? mail.messageId : null;
  const type = json.notificationType.toLowerCase();
  if (type === 'bounce') {
    const bounce = (json.bounce ?? {}) as Json;
    const list = Array.isArray(bounce.bouncedRecipients) ? (bounce.bouncedRecipients as Json[]) : [];
    return { type: 'bounce', messageId, recipients: list.map((r) => evidence(r.emailAddress, r.action ?? 'failed', r.status, r.diagnosticCode, bounce.reportingMTA)) };
  }
  if (type === 'delivery') {
    const delivery = (json.delivery ?? {}) as Json;
    const list = Array.isArray(delivery.recipients) ? (delivery.recipients as unknown[]) : [];
    return { type: 'delivery', messageId, recipients: list.map((r) => evidence(r, 'delivered', null, delivery.smtpResponse, delivery.reportingMTA)) };
  }
  if (type === 'complaint') {
    const complaint = (json.complaint ?? {}) as Json;
    const list = Array.isArray(complaint.complainedRecipients) ? (complaint.complainedRecipients as Json[]) : [];
    const feedbackType = typeof complaint.complaintFeedbackType === 'string' ? complaint.complaintFeedbackType : 'abuse';
    return { type: 'complaint', messageId, feedbackType, recipients: list.map((r) => String(r.emailAddress ?? '').toLowerCase()).filter(Boolean) };
  }
  return null;
}

function evidence(address: unknown, action: unknown, status: unknown, diagnostic: unknown, mta: unknown): RecipientEvidence {
  const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
  return { recipient: str(address)?.toLowerCase() ?? null, action: str(action)?.toLowerCase() ?? null, status: str(status), diagnostic: str(diagnostic), context: [], remoteMta: str(mta)?.replace(/^dns;\s*/, '') ?? null };
}

/** The JSON object at the start of the text; SNS appends an unsubscribe footer after it. */
function parseJsonPrefix(text: string): Json | null {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i += 1;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth += 1;
    else if (c === '}' && --depth === 0) {
      try {
        return JSON.parse(text.slice(0, i + 1)) as Json;
      } catch {
        return null;
      }
    }
  }
  return null;
}
