// Owns reading Amazon SES event notifications sent by email: SNS to an email endpoint (the notification
// JSON as the body, often wrapped into lines) or to an email-json endpoint (an SNS envelope whose Message
// is that JSON as a string), and SES event publishing (`eventType` instead of `notificationType`). The
// fields are those of Amazon SES's "notification contents" reference.
import type { BounceReason } from '../rules/bounce-rule-types.ts';
import type { RecipientEvidence } from './build-bounce-result.ts';

/** `messageId` is SES's own id of the sent message; `original` what SES returns of its headers (when the
 * identity includes them): our Message-ID and X-Sendtrail-ID tie the notification to the email. */
type Correlation = { messageId: string | null; original: { messageIds: string[]; sendtrailIds: string[] } };

export type SesNotification =
  | ({ type: 'bounce' | 'delivery'; recipients: RecipientEvidence[] } & Correlation)
  | ({ type: 'complaint'; recipients: string[]; feedbackType: string } & Correlation);

type Json = Record<string, unknown>;

/** What SES's own bounce sub-type says, for a recipient whose diagnostic no rule reads. `General` and
 * `Undetermined` say nothing; the reference defines the others. */
const SUBTYPE_REASONS: Readonly<Record<string, BounceReason>> = {
  noemail: 'userunknown', // "the target email address does not exist"
  suppressed: 'suppressed', // on the SES global suppression list
  onaccountsuppressionlist: 'suppressed', // on the account's suppression list
  mailboxfull: 'mailboxfull',
  messagetoolarge: 'mesgtoobig',
  contentrejected: 'contenterror', // the receiver refused the content
  attachmentrejected: 'policyviolation', // the receiver refuses the attachment's type
};

// Where a notification's JSON can start: the object itself, or the SNS envelope around it.
const JSON_START = /\{\s*"(?:notificationType|eventType|Type)"\s*:/;
const MAX_JSON_CHARS = 200_000;

/** Null unless the text holds an SES notification object. */
export function readSesNotification(text: string): SesNotification | null {
  const json = notificationJson(text);
  if (!json) return null;
  const kind = typeof json.notificationType === 'string' ? json.notificationType : typeof json.eventType === 'string' ? json.eventType : '';
  const mail = asObject(json.mail);
  const correlation: Correlation = { messageId: typeof mail.messageId === 'string' ? mail.messageId : null, original: originalOf(mail) };
  const type = kind.toLowerCase();
  if (type === 'bounce') {
    const bounce = asObject(json.bounce);
    const subtypeReason = SUBTYPE_REASONS[String(bounce.bounceSubType ?? '').toLowerCase()] ?? null;
    const list = Array.isArray(bounce.bouncedRecipients) ? (bounce.bouncedRecipients as unknown[]).map(asObject) : [];
    return { type: 'bounce', ...correlation, recipients: list.map((r) => ({ ...evidence(r.emailAddress, r.action ?? 'failed', r.status, r.diagnosticCode, bounce.reportingMTA), reporterReason: subtypeReason })) };
  }
  if (type === 'delivery') {
    const delivery = asObject(json.delivery);
    const list = Array.isArray(delivery.recipients) ? (delivery.recipients as unknown[]) : [];
    return { type: 'delivery', ...correlation, recipients: list.map((r) => evidence(r, 'delivered', null, delivery.smtpResponse, delivery.reportingMTA)) };
  }
  if (type === 'complaint') {
    const complaint = asObject(json.complaint);
    const list = Array.isArray(complaint.complainedRecipients) ? (complaint.complainedRecipients as unknown[]).map(asObject) : [];
    const feedbackType = typeof complaint.complaintFeedbackType === 'string' ? complaint.complaintFeedbackType.toLowerCase() : 'abuse';
    return { type: 'complaint', ...correlation, feedbackType, recipients: list.map((r) => String(r.emailAddress ?? '').toLowerCase()).filter(Boolean) };
  }
  return null;
}

/** The original's Message-ID and X-Sendtrail-ID, from `mail.commonHeaders` and `mail.headers`. */
function originalOf(mail: Json): Correlation['original'] {
  const headers = Array.isArray(mail.headers) ? (mail.headers as unknown[]).map(asObject) : [];
  const valuesOf = (name: string): string[] => headers
    .filter((header) => typeof header.name === 'string' && header.name.toLowerCase() === name)
    .flatMap((header) => (typeof header.value === 'string' ? [header.value.trim()] : []));
  const common = asObject(mail.commonHeaders);
  const messageIds = [...(typeof common.messageId === 'string' ? [common.messageId] : []), ...valuesOf('message-id')]
    .map((id) => id.replace(/^<|>$/g, '')).filter(Boolean);
  return { messageIds: [...new Set(messageIds)], sendtrailIds: [...new Set(valuesOf('x-sendtrail-id').filter(Boolean))] };
}

/** The notification object: read as it stands, else with the line breaks a mail path wrapped it with
 * removed (inside JSON strings they are invalid anyway), then unwrapped from an SNS envelope. */
function notificationJson(text: string): Json | null {
  const json = jsonAt(text) ?? jsonAt(text.slice(0, MAX_JSON_CHARS * 2).replace(/=?\r?\n/g, ''));
  if (!json) return null;
  if (json.Type === 'Notification' && typeof json.Message === 'string') {
    const inner = parseJsonPrefix(json.Message.trim());
    return inner && (typeof inner.notificationType === 'string' || typeof inner.eventType === 'string') ? inner : null;
  }
  return json;
}

function jsonAt(text: string): Json | null {
  const start = JSON_START.exec(text)?.index;
  return start === undefined ? null : parseJsonPrefix(text.slice(start, start + MAX_JSON_CHARS));
}

function asObject(value: unknown): Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
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
        return asObject(JSON.parse(text.slice(0, i + 1)));
      } catch {
        return null;
      }
    }
  }
  return null;
}
