// Owns turning the evidence about one recipient (DSN fields, the notice's words) into a BounceResult.
import { decisiveStatusReason, isHardReason, mentionsUnknownUser, refineByStatus, statesUnknownAddress, reasonByCode, reasonByStatus, reasonFromText, replyCodeIn, statusIn } from '../classify-smtp-reply.ts';
import type { BounceReason, BounceRuleSet } from '../rules/bounce-rule-types.ts';
import type { BounceResult } from './returned-message.ts';
import { reasonForGreeting, reasonForStage, smtpStageIn } from './smtp-command-stage.ts';

export type RecipientEvidence = {
  recipient: string | null;
  action: string | null;
  /** The DSN Status field (RFC 3464 §2.3.4), when there is one. */
  status: string | null;
  /** The DSN Diagnostic-Code, or the notice's words about this recipient. */
  diagnostic: string | null;
  /** Further text about this recipient, in order of trust: the notice's segment, its preamble ... */
  context: readonly string[];
  remoteMta: string | null;
  /** The reporting system's own classification (an SES bounce sub-type), for when no rule reads the words. */
  reporterReason?: BounceReason | null;
};

const DELIVERED_ACTIONS = new Set(['delivered', 'relayed', 'expanded']);
const MAX_DIAGNOSTIC_CHARS = 1000;

export function buildBounceResult(evidence: RecipientEvidence, rules: BounceRuleSet): BounceResult {
  const diagnostic = tidy(evidence.diagnostic);
  const texts = [diagnostic ?? '', ...evidence.context].filter((text) => text.trim() !== '');
  // A DSN's X.0.0 says "other or undefined" (RFC 3463 §3.1): a specific status in the words is better, and
  // so is any status with a subject and detail that the remote server wrote into its reply (the reporting
  // MTA's Status field is its own summary, e.g. "Status: 5.5.0" over "550 5.1.1 User unknown").
  const statusInText = firstOf(texts, statusIn);
  const specificInText = /^[45]\.[1-9]\.[1-9]\d*$/.test(statusInText ?? '');
  const status = evidence.status === null || (/\.0\.0$/.test(evidence.status) && statusInText) || specificInText ? (statusInText ?? evidence.status) : evidence.status;
  const replyCode = firstOf(texts, replyCodeIn);
  const base = { recipient: evidence.recipient, action: evidence.action, status, reply_code: replyCode, feedback: false, feedback_type: null, vacation: false, diagnostic, remote_mta: evidence.remoteMta };
  // RFC 3463 §3.1: class 2 is success, whatever the action field says (or does not).
  if ((evidence.action !== null && DELIVERED_ACTIONS.has(evidence.action)) || evidence.status?.startsWith('2.')) return { ...base, reason: 'delivered', hard: false };
  const byText = firstOf(texts, (text) => reasonFromText(text, rules));
  const stage = firstOf(texts, (text) => smtpStageIn(text, rules));
  const words = { unknownUser: texts.some((text) => mentionsUnknownUser(text, rules)), addressVerdict: texts.some((text) => statesUnknownAddress(text, rules)) };
  const found = decisiveStatusReason(status) ?? reasonForStage(byText, stage, status, words) ?? evidence.reporterReason ?? reasonByStatus(status) ?? reasonForGreeting(stage) ?? reasonByCode(replyCode) ?? fallbackReason(evidence.action, status, replyCode, diagnostic);
  // A domain reported missing under a transient status (RFC 3463 class 4) and no 5xx reply is a DNS answer
  // the reporting MTA will retry, not a verdict that the domain does not exist.
  const reason = found === 'hostunknown' && status?.startsWith('4.') && !(replyCode !== null && replyCode >= 500) ? 'networkerror' : refineByStatus(found, status);
  // The reply code decides hard/soft; a report without one still carries the status class (RFC 3464 §2.3.4).
  // A failed report with neither is permanent: the MTA gave up (RFC 3464 §2.3.3 "failed").
  const effectiveCode = replyCode ?? (status ? Number(status[0]) * 100 : evidence.action === 'failed' ? 500 : null);
  return { ...base, reason, hard: isHardReason(reason, effectiveCode) };
}

/** A delayed report that names no cause means the retries go on until they expire; a failed one whose only
 * code is transient (4xx, RFC 5321 §4.2.1) means they did expire. A report with words
 * about the recipient that no rule reads is `onhold` (a cause was given, unknown to us); `undefined` is
 * kept for reports that give no cause at all (Sisimai's distinction). */
function fallbackReason(action: string | null, status: string | null, replyCode: number | null, diagnostic: string | null): string {
  if (action === 'delayed' || status?.startsWith('4.4.')) return 'expired';
  if (action === 'failed' && replyCode !== null && replyCode < 500) return 'expired';
  return diagnostic !== null && diagnostic.length > 0 ? 'onhold' : 'undefined';
}

function firstOf<T>(texts: readonly string[], read: (text: string) => T | null): T | null {
  for (const text of texts) {
    const value = read(text);
    if (value !== null) return value;
  }
  return null;
}

function tidy(text: string | null): string | null {
  if (text === null) return null;
  const flat = text.replace(/\s+/g, ' ').trim().slice(0, MAX_DIAGNOSTIC_CHARS);
  return flat === '' ? null : flat;
}
