// npm run bench:classifier: precision and recall of "counted" on the labelled sets, the base rules (rules: 'design') vs the full classifier,
// and the emails whose counted opens and clicks match what people did.
// Usage: node --import tsx bench/classifier/run.ts [FILE.jsonl ...] [--by-actor]  (default: the unseen set, the fresh held-out set, the first held-out set, the development set)
import { readFileSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { cpus } from 'node:os';
import { createClassifier, type ClassifyHit } from '../../src/tracking/classify/index.ts';
import { parseHitLine } from '../../src/tracking/replay/parse-hit-line.ts';
import { classifyRecorded, countMessage, type NumberedHit } from '../../src/tracking/replay/replay-hits.ts';

const args = process.argv.slice(2);
const given = args.filter((a) => !a.startsWith('--'));
const files = given.length > 0 ? given : ['./labelled-hits.unseen.jsonl', './labelled-hits.fresh.jsonl', './labelled-hits.held-out.jsonl', './labelled-hits.jsonl'].map((f) => new URL(f, import.meta.url).pathname);

type Truth = { expected: boolean; actor: string; kind: string; email: string };
type LabelledSet = { file: string; entries: NumberedHit[]; truth: Map<number, Truth> };

function load(file: string): LabelledSet {
  const entries: NumberedHit[] = [];
  const truth = new Map<number, Truth>();
  readFileSync(file, 'utf8').split('\n').forEach((raw, i) => {
    if (!raw.trim()) return;
    const r = parseHitLine(raw);
    if (!r.ok) throw new Error(`${file}:${i + 1}: ${r.problem}`);
    const { expected_counted, actor, kind, message } = JSON.parse(raw) as { expected_counted: boolean; actor: string; kind: string; message: string };
    entries.push({ line: i + 1, rec: r.value });
    truth.set(i + 1, { expected: expected_counted, actor, kind, email: message });
  });
  return { file, entries, truth };
}

type Score = { tp: number; fp: number; fn: number; tn: number };

/**
 * What `sendtrail tracking replay` reports per email (countMessage), reduced to what people did:
 * opens counted (back-filled ones included) and counted clicks per URL.
 */
const countsKey = (opens: number, clicks: Record<string, number>) =>
  `${opens}|${Object.entries(clicks).filter(([, n]) => n > 0).sort(([a], [b]) => a.localeCompare(b)).map(([u, n]) => `${u}=${n}`).join(',')}`;

/** What an email where no person did anything should count. */
const NOBODY = countsKey(0, {});

/** Per email, what people did: their counted hits, and one open when they clicked but no open of theirs was seen. */
function truthByEmail(set: LabelledSet): Map<string, string> {
  const opens = new Map<string, number>();
  const clicks = new Map<string, Record<string, number>>();
  for (const e of set.entries) {
    const t = set.truth.get(e.line)!;
    if (!opens.has(t.email)) (opens.set(t.email, 0), clicks.set(t.email, {}));
    if (!t.expected) continue;
    if (t.kind === 'open') opens.set(t.email, opens.get(t.email)! + 1);
    else {
      const c = clicks.get(t.email)!;
      const url = e.rec.hit.url ?? '';
      c[url] = (c[url] ?? 0) + 1;
    }
  }
  const out = new Map<string, string>();
  for (const [email, n] of opens) {
    const c = clicks.get(email)!;
    const clicked = Object.values(c).some((x) => x > 0);
    out.set(email, countsKey(n === 0 && clicked ? 1 : n, c));
  }
  return out;
}

function score(set: LabelledSet, classify: ClassifyHit, truth: Map<string, string>) {
  const total: Score = { tp: 0, fp: 0, fn: 0, tn: 0 };
  const byActor = new Map<string, Score & { why: Map<string, number> }>();
  let emailsRight = 0;
  let peopleEmailsRight = 0;
  for (const [email, hits] of classifyRecorded(set.entries, classify)) {
    const m = countMessage(hits);
    const clicks = Object.fromEntries(Object.entries(m.clicks).map(([u, c]) => [u, c.total]));
    const right = countsKey(m.total_opens, clicks) === truth.get(email);
    if (right) emailsRight += 1;
    if (right && truth.get(email) !== NOBODY) peopleEmailsRight += 1;
    for (const h of hits) {
      if (h.backfilled) continue;
      const t = set.truth.get(h.line)!;
      const key = t.expected ? (h.counted ? 'tp' : 'fn') : h.counted ? 'fp' : 'tn';
      total[key] += 1;
      const a = byActor.get(t.actor) ?? { tp: 0, fp: 0, fn: 0, tn: 0, why: new Map() };
      a[key] += 1;
      const why = h.counted ? 'counted' : h.why ?? '?';
      a.why.set(why, (a.why.get(why) ?? 0) + 1);
      byActor.set(t.actor, a);
    }
  }
  return { total, byActor, emailsRight, peopleEmailsRight };
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const metrics = (s: Score) => ({ precision: s.tp / (s.tp + s.fp), recall: s.tp / (s.tp + s.fn), f1: (2 * s.tp) / (2 * s.tp + s.fp + s.fn) });
const commit = (() => { try { return execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim(); } catch { return '?'; } })();
const classifiers = { 'plain rules (contract)': createClassifier({ rules: 'design' }), 'full classifier (classifyHit)': createClassifier() };

console.log(`commit ${commit}; ${cpus()[0]?.model}, Node ${process.version}`);
for (const file of files) {
  const set = load(file);
  const truth = truthByEmail(set);
  const results = Object.entries(classifiers).map(([name, c]) => ({ name, ...score(set, c, truth) }));
  const people = [...set.truth.values()].filter((t) => t.expected).length;
  const peopleEmails = [...truth.values()].filter((k) => k !== NOBODY).length;
  console.log(`\nLabelled set: ${file.split('/').slice(-3).join('/')} — ${set.truth.size} hits of ${truth.size} emails (every email with a hit; ${peopleEmails} where a person opened or clicked), ${people} hits to be counted\n`);
  console.log('| rules | precision | recall | F1 | counted by mistake (FP) | people missed (FN) | emails counted as people acted |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const r of results) {
    const m = metrics(r.total);
    console.log(`| ${r.name} | ${pct(m.precision)} | ${pct(m.recall)} | ${pct(m.f1)} | ${r.total.fp} | ${r.total.fn} | ${r.emailsRight} of ${truth.size} (${pct(r.emailsRight / truth.size)}) |`);
  }
  console.log(`\nOf the ${peopleEmails} emails where a person opened or clicked: ${results.map((r) => `${r.name} ${r.peopleEmailsRight} right (${pct(r.peopleEmailsRight / peopleEmails)})`).join('; ')}.`);
  if (args.includes('--by-actor')) {
    console.log('\n| actor | hits | to count | plain rules: FP / FN | full: FP / FN | full verdicts |');
    console.log('| --- | --- | --- | --- | --- | --- |');
    const [plain, full] = results;
    for (const [actor, a] of [...full!.byActor].sort()) {
      const p = plain!.byActor.get(actor)!;
      const n = a.tp + a.fp + a.fn + a.tn;
      const whys = [...a.why].sort((x, y) => y[1] - x[1]).map(([w, k]) => `${w} ${k}`).join(', ');
      console.log(`| ${actor} | ${n} | ${a.tp + a.fn} | ${p.fp} / ${p.fn} | ${a.fp} / ${a.fn} | ${whys} |`);
    }
  }
}

// Cost on the recorder's path: hits classified per second with their email's history (single core).
const first = load(files[0]!);
const full = createClassifier();
const t0 = process.hrtime.bigint();
let n = 0;
while (process.hrtime.bigint() - t0 < 1_000_000_000n) {
  for (const hits of classifyRecorded(first.entries, full).values()) n += hits.length;
}
console.log(`\nclassifyHit throughput: ${Math.round(n / (Number(process.hrtime.bigint() - t0) / 1e9)).toLocaleString('en')} hits/s (replaying ${first.file.split('/').pop()} repeatedly, histories included)`);
