// Owns the tests of buildBounceResult's fallbacks: what a report gets when no rule reads its words.
import { describe, expect, it } from 'vitest';
import { ALL_BOUNCE_RULES } from '../rules/rule-set.ts';
import { buildBounceResult as build, type RecipientEvidence } from './build-bounce-result.ts';

const buildBounceResult = (evidence: RecipientEvidence) => build(evidence, ALL_BOUNCE_RULES);

const evidence = (over: Partial<RecipientEvidence>): RecipientEvidence => ({
  recipient: 'ann@example.org', action: 'failed', status: null, diagnostic: null, context: [], remoteMta: null, ...over,
});

describe('a report that no rule reads', () => {
  it('is onhold when it gives a cause in words we do not know', () => {
    const result = buildBounceResult(evidence({ diagnostic: 'Erreur de remise (message de test)' }));
    expect(result.reason).toBe('onhold');
    expect(result.hard).toBe(false);
  });

  it('is undefined when it gives no cause at all', () => {
    expect(buildBounceResult(evidence({ diagnostic: null, context: ['This is the mail system at host mx.example.net.'] })).reason).toBe('undefined');
  });

  it('is expired when it failed with nothing but a transient reply code: the retries ran out', () => {
    const result = buildBounceResult(evidence({ diagnostic: 'ann@example.org Error, ERROR_CODE :421, ERROR_CODE :, Nyaan.' }));
    expect(result.reason).toBe('expired');
    expect(result.reply_code).toBe(421);
  });

  it('is expired when it was only delayed', () => {
    expect(buildBounceResult(evidence({ action: 'delayed', status: '4.0.0' })).reason).toBe('expired');
  });
});

describe('unknown-user words in a report', () => {
  it('are a hard userunknown when the report says the refusal answered RCPT TO', () => {
    const result = buildBounceResult(evidence({ diagnostic: '550 <ann@example.org>: User unknown (in reply to RCPT TO command)' }));
    expect(result).toMatchObject({ reason: 'userunknown', hard: true });
  });

  it('are a soft filtered when nothing says which command they answered', () => {
    const result = buildBounceResult(evidence({ status: '5.0.0', diagnostic: 'smtp; 550 user unknown' }));
    expect(result).toMatchObject({ reason: 'filtered', hard: false });
  });

  it("are a hard userunknown when the mail system states its directory has no such user", () => {
    const result = buildBounceResult(evidence({ diagnostic: 'User some.name (ann@example.org) not listed in Domino Directory' }));
    expect(result).toMatchObject({ reason: 'userunknown', hard: true });
  });
});

describe('a missing domain', () => {
  it('is a hard hostunknown under a permanent status', () => {
    expect(buildBounceResult(evidence({ status: '5.4.4', diagnostic: 'X-Postfix; Host or domain name not found. Name service error for name=nowhere.example type=A: Host not found' })))
      .toMatchObject({ reason: 'hostunknown', hard: true });
  });

  it('is a soft networkerror under a transient status: the reporting MTA will ask DNS again', () => {
    expect(buildBounceResult(evidence({ status: '4.0.0', diagnostic: "smtp; DNS Error: DNS type 'mx' lookup of nowhere.example responded with code NXDOMAIN Domain name not found: nowhere.example" })))
      .toMatchObject({ reason: 'networkerror', hard: false });
  });
});
