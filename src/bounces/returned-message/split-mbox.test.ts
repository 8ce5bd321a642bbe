// Owns the tests of splitMbox.
import { describe, expect, it } from 'vitest';
import { splitMbox } from './split-mbox.ts';

const message = (subject: string, body: string): string => `From: MAILER-DAEMON@example.org\nSubject: ${subject}\n\n${body}\n`;

describe('splitMbox', () => {
  it('gives back a plain message whole', () => {
    const raw = Buffer.from(message('one', 'hello'));
    expect(splitMbox(raw)).toEqual([raw]);
  });

  it('cuts an mbox file at each "From " separator line and drops the separators (RFC 4155)', () => {
    const raw = Buffer.from(`From MAILER-DAEMON Mon Sep 20 19:29:27 2021\n${message('one', 'first')}\nFrom MAILER-DAEMON Mon Sep 20 19:30:00 2021\n${message('two', 'second')}`);
    const parts = splitMbox(raw).map((part) => part.toString());
    expect(parts).toHaveLength(2);
    expect(parts[0]).toMatch(/^From: MAILER-DAEMON@example.org\nSubject: one\n\nfirst\n$/);
    expect(parts[1]).toMatch(/^From: MAILER-DAEMON@example.org\nSubject: two\n\nsecond\n$/);
  });

  it('does not split at a body line that starts with "From " but is followed by text', () => {
    const raw = Buffer.from(`From MAILER-DAEMON Mon Sep 20 19:29:27 2021\n${message('one', 'line\n\nFrom the team, thanks\nbye')}`);
    expect(splitMbox(raw)).toHaveLength(1);
  });
});
