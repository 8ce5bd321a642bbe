// Owns reading RFC 3464 delivery-status fields: the per-message block and one record per recipient.
import { addressIn, firstField, parseHeaderFields, type HeaderFields } from './header-fields.ts';
import type { ParsedMessage } from './parse-message.ts';

export type DsnRecipient = {
  recipient: string | null;
  originalRecipient: string | null;
  action: string | null;
  status: string | null;
  diagnostic: string | null;
  remoteMta: string | null;
};

export type DeliveryStatus = {
  envelopeId: string | null;
  reportingMta: string | null;
  recipients: DsnRecipient[];
};

const RECIPIENT_FIELD = /^(?:final|original|x-actual)-recipient:/i;

/** Reads the first source holding per-recipient fields: the delivery-status parts (RFC 3464 §2,
 * RFC 6533's message/global-delivery-status), then the text mailparser inlined them into, then the raw
 * bytes for broken MIME. Null when the message is no DSN. */
export function readDeliveryStatus(message: ParsedMessage): DeliveryStatus | null {
  const statusParts = message.parts.filter((part) => /delivery-status/.test(part.contentType)).map((part) => part.text);
  for (const source of [...statusParts, message.text, message.raw]) {
    const report = readFieldBlocks(source);
    if (report.recipients.length > 0) return report;
  }
  return null;
}

function readFieldBlocks(source: string): DeliveryStatus {
  const lines = source.replace(/\r\n?/g, '\n').replace(/\n[ \t]+/g, ' ').split('\n');
  const records: string[][] = [];
  const perMessage: string[] = [];
  let current: string[] | null = null;
  for (const line of lines) {
    if (line.trim() === '') { current = null; continue; }
    if (RECIPIENT_FIELD.test(line)) {
      // A new recipient starts at a recipient field unless this record already names the same kind.
      const kind = line.slice(0, line.indexOf(':')).toLowerCase();
      if (!current || current.some((field) => field.toLowerCase().startsWith(`${kind}:`))) {
        current = [];
        records.push(current);
      }
      current.push(line);
    } else if (current) {
      current.push(line);
    } else if (/^(?:reporting-mta|original-envelope-id|arrival-date|received-from-mta):/i.test(line)) {
      perMessage.push(line);
    }
  }
  const header = parseHeaderFields(perMessage.join('\n'));
  return {
    envelopeId: firstField(header, 'original-envelope-id'),
    reportingMta: typeValue(firstField(header, 'reporting-mta')),
    recipients: records.map((record) => recipientOf(parseHeaderFields(record.join('\n')))).filter((r) => r.action !== null || r.status !== null || r.diagnostic !== null),
  };
}

function recipientOf(fields: HeaderFields): DsnRecipient {
  const finalRecipient = addressIn(firstField(fields, 'final-recipient') ?? firstField(fields, 'x-actual-recipient'));
  const originalRecipient = addressIn(firstField(fields, 'original-recipient'));
  const status = /([245])\.(\d{1,3})\.(\d{1,3})/.exec(firstField(fields, 'status') ?? '');
  return {
    recipient: finalRecipient ?? originalRecipient,
    originalRecipient,
    action: firstField(fields, 'action')?.toLowerCase().split(/[\s(;]/)[0] || null,
    status: status ? `${status[1]}.${Number(status[2])}.${Number(status[3])}` : null,
    // The type stays: "x-unix; 77" (a sysexits code from a local mailer) means something only with it.
    diagnostic: diagnosticOf(firstField(fields, 'diagnostic-code')),
    remoteMta: typeValue(firstField(fields, 'remote-mta')),
  };
}

function diagnosticOf(value: string | null): string | null {
  return value === null || typeValue(value) === null ? null : value.trim();
}

/** `smtp; 550 ...` and `dns; mx.example.org` carry a type before the value (RFC 3464 §2.1.2). */
function typeValue(value: string | null): string | null {
  if (value === null) return null;
  const stripped = value.replace(/^[\w-]{1,20};\s*/, '').trim();
  return stripped === '' ? null : stripped;
}
