// Owns classifySmtpReply: turns an SMTP reply (or a DSN Diagnostic-Code) into a typed bounce.
import { CODE_RULES, STATUS_RULES, type BounceReason, type BounceRule, type BounceRuleSet } from './rules/bounce-rules.ts';
import { ALL_BOUNCE_RULES } from './rules/rule-set.ts';

export interface SmtpReply {
  /** The reply code when the transport reports it apart from the text; otherwise read from `message`. */
  readonly code?: number | null;
  readonly message: string;
}

export interface SmtpReplyClass {
  readonly bounceType: 'hard' | 'soft';
  readonly reason: BounceReason;
  /** The enhanced status code (RFC 3463) found in the reply, e.g. `5.1.1`; null when there is none. */
  readonly status: string | null;
}

/** SMTP reply lines are at most 512 octets (RFC 5321 §4.5.3.1.5); a few multi-line replies fit in this.
 * Anything longer is cut so that a hostile reply cannot make classification slow. */
const MAX_MESSAGE_CHARS = 4096;

// RFC 3463 §2: class.subject.detail, subject and detail of 1-3 digits. Not part of a longer dotted
// number (an IP address) and optionally written "#5.1.1" as qmail does.
const STATUS = String.raw`(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?!\.?\d)`;
const STATUS_AFTER_CODE = new RegExp(String.raw`(?<![\w.#-])[45]\d\d[ -]['"]?#?` + STATUS);
const ANY_STATUS = new RegExp(STATUS);
const REPLY_CODE = /(?<![\w.#-])([45]\d\d)(?=[ -]|$)/m;
// A code written as the prefix of a reply line: "550-5.1.1 " (continued, RFC 5321 §4.2.1), "550 5.1.1 ".
const LINE_PREFIX = /(?<![\w.#-])[45]\d\d(?:-(?:#?[245]\.\d{1,3}\.\d{1,3}(?:\s|$))?| #?[245]\.\d{1,3}\.\d{1,3}(?:\s|$))/g;

const ALWAYS_HARD: ReadonlySet<string> = new Set(['userunknown', 'hostunknown', 'hasmoved']);

/**
 * Hard means "do not send to this address again". The address-level reasons are hard even at 4xx
 * (Postfix answers 450 4.1.1 for an unknown user while soft_bounce is on); `notaccept` (null MX, RFC 7505)
 * only with a 5xx; anything else is soft. An unknown code counts as transient.
 */
export function isHardReason(reason: string, code: number | null | undefined): boolean {
  if (ALWAYS_HARD.has(reason)) return true;
  return reason === 'notaccept' && code != null && code >= 500 && code < 600;
}

/** `rules` is for the benchmark, which scores a family without the rules that come from it alone. */
export function classifySmtpReply(reply: SmtpReply, rules: BounceRuleSet = ALL_BOUNCE_RULES): SmtpReplyClass {
  const raw = typeof reply.message === 'string' ? reply.message.slice(0, MAX_MESSAGE_CHARS) : '';
  const code = validCode(reply.code) ?? replyCodeIn(raw);
  const status = statusIn(raw);
  const found = decisiveStatusReason(status) ?? textRuleFor(normalise(raw, code), rules)?.reason ?? reasonByStatus(status) ?? reasonByCode(code) ?? 'undefined';
  const reason = refineByStatus(found, status);
  // The reply code decides the class; a DSN without one still carries the status class (RFC 3464 §2.3.4).
  const effectiveCode = code ?? (status ? Number(status[0]) * 100 : null);
  return { bounceType: isHardReason(reason, effectiveCode) ? 'hard' : 'soft', reason, status };
}

function validCode(code: number | null | undefined): number | null {
  return typeof code === 'number' && Number.isInteger(code) && code >= 200 && code <= 599 ? code : null;
}

// Zoho writes the code apart: "Error, ERROR_CODE :421, ERROR_CODE :, Host not reachable."
const LABELLED_CODE = /\bERROR_CODE ?: ?([45]\d\d)\b/;

export function replyCodeIn(text: string): number | null {
  const match = REPLY_CODE.exec(text) ?? LABELLED_CODE.exec(text);
  return match ? Number(match[1]) : null;
}

/** Prefer the status written right after a reply code: relays (Amazon SES, Office 365) put their own
 * status first and quote the remote server's reply after it. */
export function statusIn(text: string): string | null {
  const match = STATUS_AFTER_CODE.exec(text) ?? ANY_STATUS.exec(text);
  return match ? `${match[1]}.${Number(match[2])}.${Number(match[3])}` : null;
}

/** One line of text for the rules; the reply code is put in front when only the transport reported it,
 * because a few rules mean different things at 4xx and 5xx. */
function normalise(text: string, code: number | null): string {
  let prefixes = 0;
  const flat = text
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\s+/g, ' ')
    // Keep the first line's prefix and drop the repeats, so text split across lines reads as one sentence.
    .replace(LINE_PREFIX, (prefix) => (prefixes++ === 0 ? `${prefix.replace('-', ' ').trimEnd()} ` : ''))
    .replace(/\s+/g, ' ')
    .trim();
  return code !== null && !REPLY_CODE.test(flat) ? `${code} ${flat}` : flat;
}

/** The reason of the first text rule matching a reply or diagnostic; null when none does. Callers that
 * weigh other evidence (a DSN's Status field, the notice around it) use this before the fallbacks. */
export function reasonFromText(text: string, rules: BounceRuleSet): BounceReason | null {
  return decidingTextRule(text, rules)?.reason ?? null;
}

/** The text rule that decides a reply or diagnostic (the first that matches it); null when none does. */
export function decidingTextRule(text: string, rules: BounceRuleSet = ALL_BOUNCE_RULES): BounceRule | null {
  const raw = typeof text === 'string' ? text.slice(0, MAX_MESSAGE_CHARS) : '';
  return textRuleFor(normalise(raw, replyCodeIn(raw)), rules);
}

/** Whether a reply speaks of an unknown mailbox, whichever rule wins for it ("550 5.7.1 User unknown" is
 * `filtered` by the table, yet the words are there). */
export function mentionsUnknownUser(text: string, rules: BounceRuleSet): boolean {
  const flat = normalise(typeof text === 'string' ? text.slice(0, MAX_MESSAGE_CHARS) : '', null);
  return flat !== '' && rules.text.some((rule) => rule.reason === 'userunknown' && rule.pattern.test(flat));
}

/** Whether a notice states that the mailbox is not in the mail system's own directory (ADDRESS_VERDICT_RULES). */
export function statesUnknownAddress(text: string, rules: BounceRuleSet = ALL_BOUNCE_RULES): boolean {
  const flat = normalise(typeof text === 'string' ? text.slice(0, MAX_MESSAGE_CHARS) : '', null);
  return flat !== '' && rules.verdicts.some((rule) => rule.pattern.test(flat));
}

function textRuleFor(text: string, rules: BounceRuleSet): BounceRule | null {
  if (text === '') return null;
  return rules.text.find((rule) => rule.pattern.test(text)) ?? null;
}

const STATUS_REASONS: ReadonlyMap<string, BounceReason> = new Map(STATUS_RULES.map((rule) => [rule.status, rule.reason]));
const DECISIVE_STATUSES: ReadonlyMap<string, BounceReason> = new Map(STATUS_RULES.filter((rule) => rule.decisive).map((rule) => [rule.status, rule.reason]));

/** The reason of a provider's own single-failure status code (StatusRule.decisive); null for any other. */
export function decisiveStatusReason(status: string | null): BounceReason | null {
  return status === null ? null : (DECISIVE_STATUSES.get(status) ?? null);
}

/** RFC 3463 §3.3 and §3.4 tell a mailbox's size limit (X.2.3) from the system's (X.3.4): a reply that only
 * says "message too large" gets its limit's owner from the status. */
export function refineByStatus<R extends string>(reason: R, status: string | null): R | 'exceedlimit' {
  return reason === 'mesgtoobig' && /^[45]\.2\.3$/.test(status ?? '') ? 'exceedlimit' : reason;
}

export function reasonByStatus(status: string | null): BounceReason | null {
  if (status === null) return null;
  const [, subject, detail] = status.split('.');
  // Exact, then any class, then the subject's default; X.0.x (RFC 3463 §3.1 "other") has none.
  return STATUS_REASONS.get(status) ?? STATUS_REASONS.get(`x.${subject}.${detail}`) ?? STATUS_REASONS.get(`x.${subject}`) ?? null;
}

const CODE_REASONS: ReadonlyMap<number, BounceReason> = new Map(CODE_RULES.map((rule) => [rule.code, rule.reason]));

export function reasonByCode(code: number | null): BounceReason | null {
  return code === null ? null : (CODE_REASONS.get(code) ?? null);
}
