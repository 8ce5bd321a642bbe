// Owns reading a bounce notice written for people: its text before the returned original, the
// recipients it names and the part of the text that speaks about each of them.
import { ORIGINAL_MARKERS } from './notice-rules.ts';

export type NoticeSegment = { recipient: string; text: string };

export type BounceNotice = {
  /** The notice without the returned original. */
  text: string;
  /** The notice before the first recipient: often says "permanent", "expired" ... for all of them. */
  preamble: string;
  segments: NoticeSegment[];
};

const ADDRESS = /(?<![\w.!#$%&'*+/=?^`{|}~-])[\w.!#$%&'*+/=?^`{|}~-]{1,64}@[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){1,10}/gi;
// Lines that carry addresses that are no recipient: message ids, the sender in the transcript, and the
// help desk a notice points to ("For further assistance, please contact <support@example.net>").
const NOT_RECIPIENT_LINE = /^[ \t>]*(?:message-id|in-reply-to|references|from|sender|return-path|reply-to|mail from|x-[\w-]+)\s*[:=]|\bMAIL FROM:\s*<[^>]*>|\bsender (?:address|was)\b/i;
// Sendmail's status line about a mail host, not a recipient ("421 example.org (smtp)... Deferred: ..."):
// the words before it about a recipient end there.
const HOST_STATUS_LINE = /^[ \t]*[45]\d\d [\w.-]{1,253} \((?:e?smtp|local|relay)\)\.\.\. /i;
const HELP_LINE = /\b(?:please )?contact\b|\bassistance\b|\bsend (?:e-?mail|mail|a message) to (?:the )?(?:postmaster|administrator|helpdesk|support)/i;

/** Cuts off the returned original at the first marker; the notice is at most the first 16 KB. */
export function noticeTextOf(text: string): string {
  let end = Math.min(text.length, 16_384);
  for (const marker of ORIGINAL_MARKERS) {
    const match = marker.pattern.exec(text.slice(0, end));
    if (match && match.index > 0) end = match.index;
  }
  return text.slice(0, end);
}

/** `notRecipients` holds addresses that are no recipient (the notice's own From/To, the original sender). */
export function readBounceNotice(text: string, notRecipients: ReadonlySet<string>): BounceNotice {
  const notice = noticeTextOf(text);
  const lines = notice.split('\n');
  // An address named once as the help desk is the help desk wherever else the notice names it.
  const helpDesk = lines.filter((line) => HELP_LINE.test(line)).flatMap((line) => [...line.matchAll(ADDRESS)].map((m) => m[0].toLowerCase()));
  const excluded = new Set([...notRecipients, ...helpDesk]);
  const mentions: { recipient: string; index: number }[] = [];
  const hostLines: number[] = [];
  let offset = 0;
  for (const line of lines) {
    if (HOST_STATUS_LINE.test(line)) hostLines.push(offset);
    if (!NOT_RECIPIENT_LINE.test(line)) {
      let lineStart = true;
      for (const match of line.matchAll(ADDRESS)) {
        const recipient = match[0].replace(/\.+$/, '').toLowerCase();
        if (excluded.has(recipient) || /^(?:[0-9a-f-]{20,}|[^@]*\$)/i.test(recipient)) continue;
        // A recipient's words start with its line (">>> RCPT To:<ann@...>", "Invalid final delivery userid:
        // ann@..."), unless an address was named earlier on the same line.
        mentions.push({ recipient, index: lineStart ? offset : offset + (match.index ?? 0) });
        lineStart = false;
      }
    }
    offset += line.length + 1;
  }
  const firsts = mentions.filter((mention, i) => mentions.findIndex((m) => m.recipient === mention.recipient) === i);
  // A recipient's words end where the notice names another recipient, even one named before (notices
  // that repeat their list, Exim's "The following address(es) failed" twice).
  const segments = firsts.map((first) => ({
    recipient: first.recipient,
    text: notice.slice(first.index, Math.min(
      mentions.find((m) => m.index > first.index && m.recipient !== first.recipient)?.index ?? notice.length,
      hostLines.find((index) => index > first.index) ?? notice.length,
    )),
  }));
  return { text: notice, preamble: notice.slice(0, firsts[0]?.index ?? notice.length), segments };
}
