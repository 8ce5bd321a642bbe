// npm run bench:classifier: precision and recall of "counted" on the labelled set, the base rules (rules: 'design') vs the full classifier.
// Usage: node --import tsx bench/classifier/run.ts [FILE.jsonl] [--by-actor]
import { readFileSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { cpus } from 'node:os';
import { createClassifier, type ClassifyHit } from '../../src/tracking/classify/index.ts';
import { parseHitLine } from '../../src/tracking/replay/parse-hit-line.ts';
import { classifyRecorded, type NumberedHit } from '../../src/tracking/replay/replay-hits.ts';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--')) ?? new URL('./labelled-hits.jsonl', import.meta.url).pathname;
const lines = readFileSync(file, 'utf8').split('\n');
const entries: NumberedHit[] = [];
const truth = new Map<number, { expected: boolean; actor: string }>();
lines.forEach((raw, i) => {
  if (!raw.trim()) return;
  const r = parseHitLine(raw);
  if (!r.ok) throw new Error(`${file}:${i + 1}: ${r.problem}`);
  const { expected_counted, actor } = JSON.parse(raw) as { expected_counted: boolean; actor: string };
  entries.push({ line: i + 1, rec: r.value });
  truth.set(i + 1, { expected: expected_counted, actor });
});

type Score = { tp: number; fp: number; fn: number; tn: number };
function score(classify: ClassifyHit) {
  const total: Score = { tp: 0, fp: 0, fn: 0, tn: 0 };
  const byActor = new Map<string, Score & { why: Map<string, number> }>();
  for (const hits of classifyRecorded(entries, classify).values()) {
    for (const h of hits) {
      if (h.backfilled) continue;
      const t = truth.get(h.line)!;
      const key = t.expected ? (h.counted ? 'tp' : 'fn') : h.counted ? 'fp' : 'tn';
      total[key] += 1;
      const a = byActor.get(t.actor) ?? { tp: 0, fp: 0, fn: 0, tn: 0, why: new Map() };
      a[key] += 1;
      const why = h.counted ? 'counted' : h.why ?? '?';
      a.why.set(why, (a.why.get(why) ?? 0) + 1);
      byActor.set(t.actor, a);
    }
  }
  return { total, byActor };
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const metrics = (s: Score) => ({ precision: s.tp / (s.tp + s.fp), recall: s.tp / (s.tp + s.fn), f1: (2 * s.tp) / (2 * s.tp + s.fp + s.fn) });

const sets = { 'base rules alone': createClassifier({ rules: 'design' }), 'full classifier (classifyHit)': createClassifier() };
const results = Object.entries(sets).map(([name, c]) => ({ name, ...score(c) }));
const commit = (() => { try { return execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim(); } catch { return '?'; } })();
const people = [...truth.values()].filter((t) => t.expected).length;

console.log(`Labelled set: ${file.split('/').slice(-3).join('/')} — ${truth.size} hits, ${people} to be counted; commit ${commit}; ${cpus()[0]?.model}, Node ${process.version}\n`);
console.log('| rules | precision | recall | F1 | counted by mistake (FP) | people missed (FN) |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const r of results) {
  const m = metrics(r.total);
  console.log(`| ${r.name} | ${pct(m.precision)} | ${pct(m.recall)} | ${pct(m.f1)} | ${r.total.fp} | ${r.total.fn} |`);
}
if (args.includes('--by-actor')) {
  console.log('\n| actor | hits | to count | base rules: FP / FN | full: FP / FN | full verdicts |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  const [plain, full] = results;
  for (const [actor, a] of [...full!.byActor].sort()) {
    const p = plain!.byActor.get(actor)!;
    const n = a.tp + a.fp + a.fn + a.tn;
    const whys = [...a.why].sort((x, y) => y[1] - x[1]).map(([w, k]) => `${w} ${k}`).join(', ');
    console.log(`| ${actor} | ${n} | ${a.tp + a.fn} | ${p.fp} / ${p.fn} | ${a.fp} / ${a.fn} | ${whys} |`);
  }
}

// Cost on the recorder's path: hits classified per second with their email's history (single core).
const full = createClassifier();
const t0 = process.hrtime.bigint();
let n = 0;
while (process.hrtime.bigint() - t0 < 1_000_000_000n) {
  for (const hits of classifyRecorded(entries, full).values()) n += hits.length;
}
console.log(`\nclassifyHit throughput: ${Math.round(n / (Number(process.hrtime.bigint() - t0) / 1e9)).toLocaleString('en')} hits/s (replaying the whole set repeatedly, histories included)`);
