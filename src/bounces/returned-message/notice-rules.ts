// Owns the data that recognises a bounce notice written for people: who sends it, its subject, and
// where the returned original starts. Each row has an example, checked by notice-rules.test.ts.

export type NoticeRule = { readonly pattern: RegExp; readonly example: string };

/** Senders of delivery reports (RFC 5321 §4.5.5 says they use a null reverse-path; their From names
 * the mail system). */
export const BOUNCE_SENDERS: readonly NoticeRule[] = [
  { pattern: /\b(?:mailer-daemon|mail-daemon|maildaemon|post_?master|mailerdaemon|mdaemon|bounces?|nobody)@/i, example: 'Mail Delivery System <MAILER-DAEMON@mx.example.org>' },
  { pattern: /\bmail (?:delivery )?(?:system|subsystem|service|daemon)\b|\bMail Administrator\b|\bmailer-daemon\b/i, example: 'Mail Delivery Subsystem <mailer-daemon@googlemail.com>' },
  { pattern: /\bMicrosoft Outlook\b|\bpostmaster\b/i, example: 'Microsoft Outlook <postmaster@outlook.com>' },
];

/** Subjects of bounce notices across MTA families (Postfix, Exim, Sendmail, qmail, Exchange, Gmail ...). */
export const BOUNCE_SUBJECTS: readonly NoticeRule[] = [
  { pattern: /\bundeliver(?:ed|able)\b|\bnon-?deliver(?:y|able)\b|\bnot (?:been )?delivered\b|\bcould not (?:be )?deliver/i, example: 'Undelivered Mail Returned to Sender' },
  { pattern: /\bdelivery (?:status notification|failure|failed|problem|report|notification|has failed|error)\b|\bmail delivery failed\b|\bfailure notice\b|\bfailed delivery\b/i, example: 'Delivery Status Notification (Failure)' },
  { pattern: /\breturned (?:mail|to sender)\b|\bmail (?:system )?error\b|\bdelivery (?:delayed|warning)\b|\bdelayed mail\b|\bwarning: could not send\b|\bbounced? (?:mail|message)\b/i, example: 'Returned mail: see transcript for details' },
  { pattern: /\bmessage (?:delivery )?(?:failure|rejected|blocked|not delivered)\b|\b(?:mail|message) (?:could not|couldn't|can't|cannot) be delivered\b|\bunable to deliver\b|\bnotice of delivery failure\b/i, example: 'Mail could not be delivered' },
  // Japanese carriers (au, docomo ...): "メールエラー通知" (mail error notice), "配信エラー", "不達" (undelivered).
  { pattern: /メールエラー|配信エラー|送信エラー|不達/, example: 'メールエラー通知' },
  // Mailing-list software refusing a post from a non-member (fml, ezmlm).
  { pattern: /\bare not (?:a )?member\b/i, example: 'You ann@example.org are not member (news ML)' },
  { pattern: /\bDSN\b|\bNDR\b|\bpermanent (?:error|failure)\b|\brejected\b|\bdelivery notification\b|\bnot reachable\b/i, example: 'Message rejected: Address blacklisted' },
];

/** Body phrases that say a message failed, for notices whose sender and subject say nothing. */
export const BOUNCE_PHRASES: readonly NoticeRule[] = [
  { pattern: /\bcould not be delivered\b|\bwasn't able to deliver\b|\bwas not able to deliver\b|\bunable to deliver\b|\bfollowing (?:address(?:\(es\)|es)?|recipients?) failed\b|\bdelivery (?:to the following recipients? )?(?:has )?failed\b|\bpermanent(?:ly)? (?:error|fatal errors?|failed)\b|\bundeliverable\b|\bnot (?:be )?delivered to\b/i,
    example: 'Delivery to the following recipient failed permanently:' },
];

/** A notice that delivery is only delayed: the mail system still retries (RFC 3464's "delayed" action, in
 * words: Gmail's "Message will be retried for 2 more day(s)", Exchange's "Delivery has been delayed"). */
export const DELAY_PHRASES: readonly NoticeRule[] = [
  { pattern: /\bwill (?:be )?retr(?:y|ied)(?: for \d+ more (?:days?|hours?|minutes?|day\(s\)|hour\(s\)))?\b|\bwill (?:keep|continue) (?:trying|to try|attempting|to attempt)\b|\bdelivery attempts will continue\b|\bstill (?:trying|retrying) to deliver\b/i,
    example: 'Message will be retried for 2 more day(s)' },
  { pattern: /\bdelivery (?:to the following recipients? )?(?:has been|is|was) delayed\b|\bdelivery delayed\b|\bthis is (?:only )?a warning\b|\byou do not need to resend\b|\bhas(?: not|n't) (?:yet )?been delivered(?: yet)?\b|\bdelivery status notification \(delay\)/i,
    example: 'Delivery to the following recipient has been delayed:' },
];

/** Words that the retries are over, which outweigh a delay notice's words (a final notice quotes them). */
export const GAVE_UP_PHRASES: readonly NoticeRule[] = [
  { pattern: /\bgave up\b|\bgiving up\b|\bwill not (?:be )?(?:retried|try again)\b|\bnot going to try again\b|\bpermanent(?:ly)? (?:error|failure|failed|fatal)\b|\bfailed permanently\b|\bno further (?:delivery )?attempts\b|\bcould not be delivered\b(?! for more than)/i,
    example: "This is a permanent error; I've given up. I'm not going to try again." },
];

/** A notice that the message was delivered or relayed (RFC 3461's success and relay notifications). */
export const SUCCESS_PHRASES: readonly NoticeRule[] = [
  { pattern: /\b(?:was|has been) (?:successfully )?(?:delivered|relayed)(?: successfully)? to\b|\bdelivery (?:to the following recipients? )?(?:was|has been) (?:successful|completed|succeeded)\b|\bsuccessfully delivered\b|\bdelivery status notification \((?:success|relay(?:ed)?)\)/i,
    example: 'Your message has been successfully delivered to the following recipients:' },
];

/** Where the returned original begins in a notice written as one text part (qmail, Exim, Gmail ...).
 * Everything after it is the original, not the notice. */
export const ORIGINAL_MARKERS: readonly NoticeRule[] = [
  { pattern: /^[ \t>]*-{2,} ?(?:Below this line is a copy of the message|This is a copy of the message|Original message|original message follows|The original message|Unsent message (?:below|follows)|Returned message|Message (?:text )?follows|Original message headers|Headers of the original message|(?:The )?header of the original message|Returned mail follows)/im,
    example: '--- Below this line is a copy of the message.' },
  { pattern: /^[ \t]*(?:Original message headers:|Original mail as follows:|Included is a copy of the message header:|Message headers follow\.|Original message follows\.|-+ ?Original Message ?-+|The (?:original|returned) message (?:was|is) (?:attached|included|below)\b[^\n]*\n)/im,
    example: 'Original message headers:' },
  // A header block of the returned message after a blank line, when no marker announces it.
  { pattern: /\n[ \t]*\n(?=(?:Return-Path|Received|DKIM-Signature|Delivered-To|X-Original-To): )/i,
    example: 'Remote host said: 550 5.1.1 unknown\n\nReturn-Path: <ann@example.org>' },
];
