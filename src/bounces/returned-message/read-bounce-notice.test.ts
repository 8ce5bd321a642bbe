// Owns the tests of readBounceNotice: which words of a notice speak about which recipient.
import { describe, expect, it } from 'vitest';
import { readBounceNotice } from './read-bounce-notice.ts';

const none = new Set<string>();

describe('the words about each recipient', () => {
  it('start with the line that names the recipient, so that a transcript keeps its SMTP command', () => {
    const notice = readBounceNotice('While talking to mx.example.org:\n>>> RCPT To:<ann@example.org>\n<<< 550 User unknown\n', none);
    expect(notice.segments).toEqual([{ recipient: 'ann@example.org', text: '>>> RCPT To:<ann@example.org>\n<<< 550 User unknown\n' }]);
  });

  it('end where another recipient is named, even one named before (a notice that repeats its list)', () => {
    const text = [
      'The following address(es) failed:',
      '  bob@example.org',
      '    550 5.2.2 <bob@example.org>... Mailbox Full',
      '  ann@example.org',
      '    550 5.1.1 <ann@example.org>... User Unknown',
      'The following address(es) failed:',
      '  bob@example.org',
      '    550 5.2.2 <bob@example.org>... Mailbox Full',
    ].join('\n');
    const ann = readBounceNotice(text, none).segments.find((segment) => segment.recipient === 'ann@example.org');
    expect(ann?.text).toContain('User Unknown');
    expect(ann?.text).not.toContain('Mailbox Full');
  });

  it("end at Sendmail's status line about a mail host", () => {
    const text = '>>> RCPT To:<ann@example.org>\n<<< 550 <ann@example.org>, User Unknown\n421 example.org (smtp)... Deferred: Connection timed out\n';
    const [ann] = readBounceNotice(text, none).segments;
    expect(ann?.text).toContain('User Unknown');
    expect(ann?.text).not.toContain('Connection timed out');
  });

  it('skip the addresses the caller says are no recipients', () => {
    const notice = readBounceNotice('Mail from news@example.net to ann@example.org failed: 550 User unknown', new Set(['news@example.net']));
    expect(notice.segments.map((segment) => segment.recipient)).toEqual(['ann@example.org']);
  });
});
