// Owns the table-driven tests of classifyReturnedMessage over the labelled corpus of real bounces.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scoreCorpus } from '../../../bench/bounces/score-corpus.ts';
import { classifyReturnedMessage } from './classify-returned-message.ts';
import { rulesWithout } from '../rules/rule-set.ts';

// The development half of Sisimai's set-of-emails (test/fixtures/bounces/README.md); a held-out half measures us.
const BOUNCES = fileURLToPath(new URL('../../../test/fixtures/bounces/', import.meta.url));
// Just under what the classifier reaches (npm run bench:bounces), so that a regression fails.
const FLOORS = { hard: 0.99, reason: 0.975, recipient: 0.99 };
// The same, leave-one-source-out (npm run bench:bounces prints both).
const LOSO_FLOORS = { hard: 0.98, reason: 0.93, recipient: 0.99 };

const files = readdirSync(`${BOUNCES}corpus`, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.eml')).sort();

describe('the labelled bounce corpus', () => {
  it.each(files)('%s is classified without an exception', async (file) => {
    const result = await classifyReturnedMessage(readFileSync(`${BOUNCES}corpus/${file}`));
    expect(['bounce', 'delivery_report', 'complaint', 'auto_reply', 'reply', 'other']).toContain(result.kind);
  });

  it(`reaches the accuracy floors on labels Sisimai's versions agree on`, async () => {
    const score = await scoreCorpus(BOUNCES);
    const { n, hard, reason, recipient } = score.scored;
    const misses = score.misses.filter((miss) => !miss.ambiguous).map((miss) => `${miss.file}: want ${miss.want}, got ${miss.got}`).join('\n');
    expect(n).toBeGreaterThan(290);
    expect(score.exceptions).toEqual([]);
    expect(hard / n, misses).toBeGreaterThanOrEqual(FLOORS.hard);
    expect(reason / n, misses).toBeGreaterThanOrEqual(FLOORS.reason);
    expect(recipient / n, misses).toBeGreaterThanOrEqual(FLOORS.recipient);
  });

  it('holds its leave-one-source-out figures: each family scored without the rules that come from it alone', async () => {
    const score = await scoreCorpus(BOUNCES, { rulesFor: (family) => rulesWithout(family) });
    const { n, hard, reason, recipient } = score.scored;
    const misses = score.misses.filter((miss) => !miss.ambiguous).map((miss) => `${miss.file}: want ${miss.want}, got ${miss.got}`).join('\n');
    expect(score.exceptions).toEqual([]);
    expect(hard / n, misses).toBeGreaterThanOrEqual(LOSO_FLOORS.hard);
    expect(reason / n, misses).toBeGreaterThanOrEqual(LOSO_FLOORS.reason);
    expect(recipient / n, misses).toBeGreaterThanOrEqual(LOSO_FLOORS.recipient);
  });

  it('says that the not-bounces are no bounces', async () => {
    const listed = readFileSync(`${BOUNCES}not-bounces.jsonl`, 'utf8').split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { file: string }).file);
    expect(listed.length).toBeGreaterThan(0);
    for (const file of listed) {
      const result = await classifyReturnedMessage(readFileSync(`${BOUNCES}${file}`));
      expect(result.results, file).toEqual([]);
      expect(result.kind, file).not.toBe('bounce');
    }
  });
});

describe('truncated and mangled corpus files', () => {
  // A sample across MTA families keeps the run to seconds; each property tries many cuts and edits.
  const sample = files.filter((_file, index) => index % 12 === 0).map((file) => readFileSync(`${BOUNCES}corpus/${file}`));

  it('never throw when cut anywhere', async () => {
    await fc.assert(fc.asyncProperty(fc.constantFrom(...sample), fc.double({ min: 0, max: 1, noNaN: true }), async (raw, at) => {
      const result = await classifyReturnedMessage(raw.subarray(0, Math.floor(raw.length * at)));
      expect(Array.isArray(result.results)).toBe(true);
    }), { numRuns: 60 });
  });

  it('never throw when bytes are overwritten, lines dropped or boundaries broken', async () => {
    const edit = fc.oneof(
      fc.record({ kind: fc.constant('bytes' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }) }),
      fc.record({ kind: fc.constant('line' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('boundary' as const), at: fc.nat() }),
    );
    await fc.assert(fc.asyncProperty(fc.constantFrom(...sample), fc.array(edit, { minLength: 1, maxLength: 8 }), async (raw, edits) => {
      let text = raw.toString('latin1');
      for (const change of edits) text = mangle(text, change);
      const result = await classifyReturnedMessage(Buffer.from(text, 'latin1'));
      expect(Array.isArray(result.results)).toBe(true);
    }), { numRuns: 60 });
  });
});

type Edit = { kind: 'bytes'; at: number; bytes: Uint8Array } | { kind: 'line'; at: number } | { kind: 'boundary'; at: number };

function mangle(text: string, edit: Edit): string {
  const at = text.length === 0 ? 0 : edit.at % text.length;
  if (edit.kind === 'bytes') return text.slice(0, at) + Buffer.from(edit.bytes).toString('latin1') + text.slice(at + edit.bytes.length);
  if (edit.kind === 'line') {
    const lines = text.split('\n');
    lines.splice(edit.at % Math.max(lines.length, 1), 1);
    return lines.join('\n');
  }
  // Break a MIME boundary line or a header fold, as broken bounces do.
  const index = text.indexOf('\n--', at);
  return index < 0 ? `${text}\n--` : `${text.slice(0, index + 3)}x${text.slice(index + 3)}`;
}
