// Owns the tests of reasonForStage: when "User unknown" is a missing mailbox and when a filter speaking.
import { describe, expect, it } from 'vitest';
import { reasonForGreeting, reasonForStage, type SmtpStage } from './smtp-command-stage.ts';

const unknownUser = { unknownUser: true, addressVerdict: false };

describe('unknown-user words decide by status and SMTP stage', () => {
  it.each<[string, string, SmtpStage | null, string | null, string]>([
    ['an X.1.1 status names the address, whatever the stage', 'userunknown', null, '5.1.1', 'userunknown'],
    ['an X.1.1 status outweighs a DATA stage (Sendmail pipelines RCPT)', 'userunknown', 'data', '5.1.1', 'userunknown'],
    ["a provider's X.1.NNN refinement of X.1.1", 'userunknown', null, '5.1.351', 'userunknown'],
    ['a refusal of RCPT TO names the address', 'userunknown', 'rcpt', null, 'userunknown'],
    ['a refusal of RCPT TO outweighs a mailbox-state status', 'userunknown', 'rcpt', '5.2.1', 'userunknown'],
    ['after DATA it is a content filter speaking for the mailbox', 'userunknown', 'data', null, 'filtered'],
    ['a mailbox-state status (X.2.1) without RCPT is a filter', 'userunknown', null, '5.2.1', 'filtered'],
    ['with no status and no stage the words alone are not enough', 'userunknown', null, '5.0.0', 'filtered'],
    ['a policy-coded "User unknown" (table says filtered) at RCPT is a missing mailbox', 'filtered', 'rcpt', '5.7.1', 'userunknown'],
  ])('%s', (_case, reason, stage, status, expected) => {
    expect(reasonForStage(reason, stage, status, unknownUser)).toBe(expected);
  });

  it("a mail system's statement about its own directory counts like an X.1.1 status", () => {
    expect(reasonForStage('userunknown', null, null, { unknownUser: true, addressVerdict: true })).toBe('userunknown');
  });

  it.each<[SmtpStage | null, string]>([['data', '5.0.0'], [null, '5.2.1'], [null, '5.5.0']])('such a statement decides after %s and under %s too', (stage, status) => {
    expect(reasonForStage('userunknown', stage, status, { unknownUser: true, addressVerdict: true })).toBe('userunknown');
  });

  it('Exchange Online\'s 5.1.10 beside unknown-user words is an address status', () => {
    expect(reasonForStage('userunknown', null, '5.1.10', unknownUser)).toBe('userunknown');
  });

  it('a filter reason without unknown-user words stays filtered at RCPT', () => {
    expect(reasonForStage('filtered', 'rcpt', '5.7.1', { unknownUser: false, addressVerdict: false })).toBe('filtered');
  });

  it('other reasons pass through, and a bare refusal at MAIL FROM or the greeting gets the sender or host reason', () => {
    expect(reasonForStage('mailboxfull', 'data', null)).toBe('mailboxfull');
    expect(reasonForStage(null, 'mail', null)).toBe('rejected');
    expect(reasonForStage(null, 'connect', null)).toBeNull();
    expect(reasonForGreeting('connect')).toBe('blocked');
    expect(reasonForGreeting('rcpt')).toBeNull();
    expect(reasonForStage(null, null, null)).toBeNull();
  });
});
