// Owns turning raw bytes into the parts the classifier reads, with mailparser; broken MIME never throws.
import { simpleParser, type Attachment } from 'mailparser';
import { bodyOf, headerBlockOf, parseHeaderFields, type HeaderFields } from './header-fields.ts';

export type MessagePart = { contentType: string; text: string };

export type ParsedMessage = {
  headers: HeaderFields;
  /** The human-readable text: mailparser's decoded text (it inlines message/delivery-status parts),
   * or the raw body when MIME parsing failed. */
  text: string;
  /** Decoded attachments: message/rfc822, text/rfc822-headers, message/delivery-status, message/feedback-report ... */
  parts: MessagePart[];
  /** The whole message as latin1 text: the last resort for broken MIME. */
  raw: string;
};

/** Beyond this size only the head is classified: a returned message quotes at most the original. */
const MAX_PARSE_BYTES = 2 * 1024 * 1024;

export async function parseMessage(input: Buffer): Promise<ParsedMessage> {
  const bytes = input.length > MAX_PARSE_BYTES ? input.subarray(0, MAX_PARSE_BYTES) : input;
  const raw = bytes.toString('latin1');
  const headers = parseHeaderFields(headerBlockOf(raw));
  const parsed = await simpleParser(bytes, { skipImageLinks: true, skipTextLinks: true, skipTextToHtml: true }).catch(() => null);
  if (!parsed) return { headers, text: bodyOf(raw), parts: [], raw };
  const text = parsed.text ?? (typeof parsed.html === 'string' ? htmlToText(parsed.html) : '') ?? '';
  const parts = parsed.attachments.map(partOf);
  // Text parts that mailparser saw as attachments (a broken Content-Type line) are notice text too.
  const strayText = parts.filter((part) => /^text\/plain\b(?!.*name=)/.test(part.contentType)).map((part) => part.text);
  const allText = [text, ...strayText].filter(Boolean).join('\n\n');
  return { headers, text: allText || (parts.length === 0 ? bodyOf(raw) : ''), parts, raw };
}

function partOf(attachment: Attachment): MessagePart {
  const contentType = (attachment.contentType ?? 'application/octet-stream').toLowerCase();
  const textual = /^(?:text|message)\//.test(contentType);
  return { contentType, text: textual ? attachment.content.toString('utf8') : '' };
}

/** Enough of HTML for rule matching: bounces sent as HTML only (Office 365) carry their text in it. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(?:style|script)[^>]*>[\s\S]*?<\/(?:style|script)>/gi, ' ')
    .replace(/<br\s*\/?>|<\/(?:p|div|tr|li|h\d)>/gi, '\n')
    .replace(/<[^>]{0,2000}>/g, ' ')
    .replace(/&nbsp;/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')
    .replace(/[ \t]+/g, ' ');
}
