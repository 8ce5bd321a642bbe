// Owns the tests of classifySmtpReply and its rule tables, including the labelled-bounce benchmark.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { CODE_RULES, STATUS_RULES, type BounceReason } from './rules/bounce-rules.ts';
import { classifySmtpReply, isHardReason, statesUnknownAddress } from './classify-smtp-reply.ts';

describe('the bounce rule table', () => {
  it('a remote server\'s bare "User unknown" is no address verdict', () => {
    expect(statesUnknownAddress('550 5.1.1 <ann@example.org>... User Unknown')).toBe(false);
    expect(statesUnknownAddress('452 Requested action not taken: mailbox unavailable (not enough free space)')).toBe(false);
  });

  it('keys status rules as RFC 3463 codes and code rules as 4xx/5xx replies', () => {
    for (const rule of STATUS_RULES) expect(rule.status).toMatch(/^(?:[45x])\.\d{1,3}(?:\.\d{1,3})?$/);
    for (const rule of CODE_RULES) expect(rule.code).toBeGreaterThanOrEqual(400);
  });
});

type Case = [family: string, message: string, reason: BounceReason, bounceType: 'hard' | 'soft'];

describe('replies from different MTA families', () => {
  it.each<Case>([
    ['Postfix', '550 5.1.1 <ann@example.org>: Recipient address rejected: User unknown in local recipient table', 'userunknown', 'hard'],
    ['Postfix', '550 5.1.2 <ann@nowhere.example>: Recipient address rejected: Domain not found', 'hostunknown', 'hard'],
    ['Postfix', '552 5.2.2 <ann@example.org>: Recipient address rejected: Mailbox is full', 'mailboxfull', 'soft'],
    ['Postfix', '554 5.4.6 Too many hops', 'networkerror', 'soft'],
    ['Exim', '550 Unrouteable address', 'hostunknown', 'hard'],
    ['Exim', '550 No Such User Here', 'userunknown', 'hard'],
    ['Exim', '550 5.2.2 ann@example.org: mailbox is full (MTA-imposed quota exceeded while writing to file /var/mail/ann)', 'mailboxfull', 'soft'],
    ['Exim', '451 Temporary local problem - please try later', 'systemerror', 'soft'],
    ['Sendmail', '550 5.1.1 <ann@example.org>... User unknown', 'userunknown', 'hard'],
    ['Sendmail', '553 5.1.8 <news@nowhere.example>... Domain of sender address news@nowhere.example does not exist', 'rejected', 'soft'],
    ['qmail', "553 sorry, that domain isn't in my list of allowed rcpthosts. (#5.7.1)", 'norelaying', 'soft'],
    ['Exchange', '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found', 'userunknown', 'hard'],
    ['Office 365', '550 5.7.606 Access denied, banned sending IP [192.0.2.1]. To request removal from this list please visit https://sender.office.com/', 'blocked', 'soft'],
    ['Office 365', '550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP.', 'blocked', 'soft'],
    ['Office 365', '550 5.7.509 Access denied, sending domain example.net does not pass DMARC verification and has a DMARC policy of reject.', 'authfailure', 'soft'],
    ['Gmail', '550-5.7.1 [192.0.2.1 12] Our system has detected that this message is likely unsolicited mail. To reduce the amount of spam sent to Gmail, this message has been blocked.', 'spamdetected', 'soft'],
    ['Gmail', '550-5.7.1 [192.0.2.1] Our system has detected that this message is likely suspicious due to the very low reputation of the sending IP address.', 'badreputation', 'soft'],
    ['Gmail', '550 5.7.26 This mail has been blocked because the sender is unauthenticated.', 'authfailure', 'soft'],
    ['Yahoo', '552 1 Requested mail action aborted, mailbox not found', 'userunknown', 'hard'],
    ['Yahoo', '421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1', 'badreputation', 'soft'],
    ['Yahoo', "553 5.7.1 [BL21] Connections will not be accepted from 192.0.2.1, because the ip is in Spamhaus's list", 'blocked', 'soft'],
    ['Outlook.com', '550 5.5.0 Requested action not taken: mailbox unavailable (S2017062302).', 'userunknown', 'hard'],
    ['GMX', '554-gmx.net (mxgmx017) Nemesis ESMTP Service not available 554-No SMTP service 554 Bad DNS PTR resource record.', 'requireptr', 'soft'],
    ['Amazon SES', '554 4.4.7 Message expired: unable to deliver in 840 minutes.<421 4.4.2 Connection timed out>', 'expired', 'soft'],
    ['Domino', '550 5.1.1 User not listed in public Name & Address Book', 'userunknown', 'hard'],
    // Mimecast documents this 554 as a virus signature (or a spam score over its ceiling) hit.
    ['Mimecast', '554 Email rejected due to security policies - https://community.mimecast.com/docs/DOC-1369#554', 'virusdetected', 'soft'],
    ['Proofpoint', '550 5.7.1 Message blocked due to spam content in the message.', 'spamdetected', 'soft'],
    ['Barracuda', '554 Service unavailable; Client host [192.0.2.1] blocked using Barracuda Reputation; http://www.barracudanetworks.com/reputation/?r=1&ip=192.0.2.1', 'blocked', 'soft'],
    ['Zoho', '550 5.1.1 User does not exist - <ann@zoho.example>', 'userunknown', 'hard'],
    ['OpenSMTPD', '550 Invalid recipient: <ann@example.org>', 'userunknown', 'hard'],
  ])('%s: %j is %s (%s)', (_family, message, reason, bounceType) => {
    expect(classifySmtpReply({ message })).toMatchObject({ reason, bounceType });
  });
});

describe('hard and soft', () => {
  it('a 550 5.1.1 reply is a hard bounce with its status', () => {
    expect(classifySmtpReply({ code: 550, message: '5.1.1 <ann@example.org>... User unknown' }))
      .toEqual({ bounceType: 'hard', reason: 'userunknown', status: '5.1.1' });
  });

  it('an unknown user stays hard at 4xx, while every other 4xx is soft', () => {
    expect(classifySmtpReply({ message: '450 4.1.1 <ann@example.org>: Recipient address rejected: User unknown in virtual alias table' }).bounceType).toBe('hard');
    expect(classifySmtpReply({ message: '452 4.2.2 Mailbox full' })).toMatchObject({ reason: 'mailboxfull', bounceType: 'soft' });
    expect(classifySmtpReply({ code: 450, message: 'Requested mail action not taken: mailbox unavailable' }).bounceType).toBe('soft');
  });

  it('a null MX is hard with a 5xx and soft with a 4xx', () => {
    expect(classifySmtpReply({ code: 556, message: '5.1.10 Recipient address has null MX' }).bounceType).toBe('hard');
    expect(classifySmtpReply({ code: 450, message: '4.1.10 Recipient address has null MX' }).bounceType).toBe('soft');
    expect(isHardReason('notaccept', null)).toBe(false);
  });

  it('reads the status when written "#5.1.1" or inside the text, and falls back to it without text rules', () => {
    expect(classifySmtpReply({ message: 'Delivery failed (#5.1.1)' })).toMatchObject({ reason: 'userunknown', status: '5.1.1' });
    expect(classifySmtpReply({ code: 550, message: 'Rejected, see 5.2.3 for details' })).toMatchObject({ reason: 'exceedlimit', status: '5.2.3' });
    expect(classifySmtpReply({ message: 'host 192.0.2.5.1.1 said nothing useful' }).status).toBeNull();
  });

  it('falls back on the reply code, then on undefined and soft', () => {
    expect(classifySmtpReply({ code: 552, message: 'Requested mail action aborted' }).reason).toBe('mailboxfull');
    expect(classifySmtpReply({ code: 554, message: 'No thanks' })).toEqual({ bounceType: 'soft', reason: 'undefined', status: null });
  });
});

describe('garbage input', () => {
  const junk = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) % 256)).toString('latin1');
  it.each([
    ['an empty string', ''],
    ['binary junk', junk],
    ['100 KB of one letter', 'a'.repeat(100_000)],
    ['100 KB of repeated rule words', 'user mailbox account recipient 550-5.7.1 '.repeat(2_500)],
    ['100 KB of dotted numbers', '5.'.repeat(50_000)],
    ['100 KB of angle brackets', `550 5.7.1 <${'<'.repeat(100_000)}`],
  ])('%s never throws and returns quickly', (_name, message) => {
    const started = performance.now();
    const result = classifySmtpReply({ message });
    expect(performance.now() - started).toBeLessThan(100);
    expect(['hard', 'soft']).toContain(result.bounceType);
  });

  it('never throws on arbitrary text built from reply fragments', () => {
    const fragment = fc.constantFrom('550', '450-', '5.1.1', '#5.7.1', ' ', '\r\n', 'user', 'unknown', '<', '>', ';', 'smtp;', 'x-unix;', '.');
    fc.assert(fc.property(fc.array(fc.oneof(fragment, fc.string()), { maxLength: 200 }), (parts) => {
      const result = classifySmtpReply({ message: parts.join('') });
      expect(['hard', 'soft']).toContain(result.bounceType);
    }));
  });

  it('survives a message that is not a string at run time', () => {
    expect(classifySmtpReply({ message: undefined as unknown as string }).reason).toBe('undefined');
  });
});

// The labelled half of Sisimai's set-of-emails (test/fixtures/bounces/README.md); a held-out half measures us.
const BOUNCES = new URL('../../test/fixtures/bounces/', import.meta.url);
const REASON_FLOOR = 0.89;
const HARD_FLOOR = 0.92;

interface Label { file: string; recipient: string | null; reason: string; hard: boolean; p5_agrees: boolean | null }

/** The recipient's Diagnostic-Code (RFC 3464 §2.3.6), unfolded; null when the report has none for it. */
async function diagnosticCodeFor(eml: Buffer, recipient: string | null): Promise<string | null> {
  // mailparser inlines an unnamed message/delivery-status part into `text` and decodes it; broken MIME
  // leaves only the raw bytes to search.
  const parsed = await simpleParser(eml).catch(() => null);
  const parts = parsed?.attachments.filter((a) => /delivery-status|^text\//i.test(a.contentType)) ?? [];
  const sources = [parsed?.text ?? '', ...parts.map((a) => a.content.toString('utf8')), eml.toString('latin1')];
  for (const source of sources) {
    const fields = source.replace(/\r\n/g, '\n').split(/\n[ \t]*\n/).flatMap((block) => {
      const unfolded = block.replace(/\n[ \t]+/g, ' ');
      const match = /^Diagnostic-Code:[ \t]*(.*)$/im.exec(unfolded);
      return match?.[1] ? [{ block: unfolded.toLowerCase(), text: match[1].trim() }] : [];
    });
    if (fields.length === 0) continue;
    const own = recipient ? fields.find((field) => field.block.includes(recipient.toLowerCase())) : undefined;
    const field = own ?? (fields.length === 1 ? fields[0] : undefined);
    // "smtp;" alone is a diagnostic type with no diagnostic.
    return field && field.text.replace(/^[\w-]+;/, '').trim() !== '' ? field.text : null;
  }
  return null;
}

describe('the labelled bounce corpus', () => {
  it(`classifies Diagnostic-Codes with >= ${REASON_FLOOR * 100}% right reasons and >= ${HARD_FLOOR * 100}% right hard/soft`, async () => {
    const labels = readFileSync(new URL('labels.jsonl', BOUNCES), 'utf8').split('\n').filter(Boolean)
      .map((line) => JSON.parse(line) as Label)
      .filter((label) => label.p5_agrees !== false && !['feedback', 'vacation', 'delivered'].includes(label.reason));
    const misses: string[] = [];
    let scored = 0;
    let rightReasons = 0;
    let rightHard = 0;
    for (const label of labels) {
      const diagnostic = await diagnosticCodeFor(readFileSync(new URL(label.file, BOUNCES)), label.recipient);
      if (diagnostic === null) continue;
      const result = classifySmtpReply({ message: diagnostic });
      scored += 1;
      if (result.reason === label.reason) rightReasons += 1;
      if ((result.bounceType === 'hard') === label.hard) rightHard += 1;
      if (result.reason !== label.reason) misses.push(`${label.file}: want ${label.reason}, got ${result.reason}: ${diagnostic.slice(0, 120)}`);
    }
    console.info(`bounce corpus: ${scored} labels with a Diagnostic-Code, reason ${rightReasons}/${scored}, hard/soft ${rightHard}/${scored}`);
    expect(scored).toBeGreaterThan(100);
    expect(rightReasons / scored, misses.join('\n')).toBeGreaterThanOrEqual(REASON_FLOOR);
    expect(rightHard / scored).toBeGreaterThanOrEqual(HARD_FLOOR);
  });
});
