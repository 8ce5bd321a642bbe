// Owns the tests that every rule row decides its own example, and that its sources are the corpus families
// it matches (what the leave-one-source-out benchmark relies on).
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { measureRuleSources, sourceMismatches } from '../../../bench/bounces/rule-sources.ts';
import { classifySmtpReply, decidingTextRule, statesUnknownAddress } from '../classify-smtp-reply.ts';
import { smtpStageIn } from '../returned-message/smtp-command-stage.ts';
import { ALL_BOUNCE_RULES, comesOnlyFrom, rulesWithout } from './rule-set.ts';

const BOUNCES = fileURLToPath(new URL('../../../test/fixtures/bounces/', import.meta.url));
const FAMILIES = new Set(readdirSync(`${BOUNCES}corpus`));

describe('every text rule', () => {
  it.each(ALL_BOUNCE_RULES.text.map((rule, index) => [index, rule.reason, rule] as const))(
    'rule %i (%s) is the rule that decides its own example, to its reason',
    (_index, reason, rule) => {
      expect(rule.pattern.test(rule.example)).toBe(true);
      expect(decidingTextRule(rule.example)).toBe(rule);
      expect(classifySmtpReply({ message: rule.example }).reason).toBe(reason);
    },
  );
});

describe('every address verdict and SMTP stage rule', () => {
  it.each(ALL_BOUNCE_RULES.verdicts.map((rule, index) => [index, rule] as const))('address verdict %i matches its own example', (_index, rule) => {
    expect(rule.pattern.test(rule.example)).toBe(true);
    expect(statesUnknownAddress(rule.example)).toBe(true);
  });

  it.each(ALL_BOUNCE_RULES.stages.map((rule, index) => [index, rule.stage, rule] as const))('stage rule %i reads its example as %s', (_index, stage, rule) => {
    expect(rule.pattern.test(rule.example)).toBe(true);
    expect(smtpStageIn(rule.example, ALL_BOUNCE_RULES)).toBe(stage);
  });
});

describe('rule sources', () => {
  const rows = [...ALL_BOUNCE_RULES.text, ...ALL_BOUNCE_RULES.verdicts, ...ALL_BOUNCE_RULES.stages];

  it('belong to one row each: every example is its row\'s own (the sources writer finds rows by pattern and example)', () => {
    const keys = rows.map((rule) => `${String(rule.pattern)} ${rule.example}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('name folders of the labelled corpus', () => {
    for (const rule of rows) for (const family of rule.sources) expect(FAMILIES, String(rule.pattern)).toContain(family);
  });

  it('are exactly the families whose files each rule matches (npm run bench:bounces -- --write-rule-sources)', async () => {
    expect(sourceMismatches(await measureRuleSources(BOUNCES))).toEqual([]);
  });

  it("a family's set leaves out the rules that come from it alone, and only those", () => {
    const family = 'postfix';
    const without = rulesWithout(family);
    const only = ALL_BOUNCE_RULES.text.filter((rule) => comesOnlyFrom(rule, family));
    expect(only.length).toBeGreaterThan(0);
    for (const rule of only) expect(without.text).not.toContain(rule);
    expect(without.text.length + only.length).toBe(ALL_BOUNCE_RULES.text.length);
  });
});
