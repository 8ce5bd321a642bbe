// `npm run bench:bounces [DIR]`: classification accuracy on a labelled bounce corpus, per source, with the misses.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { availableParallelism, cpus } from 'node:os';
import { scoreCorpus, type Fold, type Tally } from './score-corpus.ts';

const TARGETS = { hard: 0.98, reason: 0.92, recipient: 0.98 };

// `--fold=a|b` scores one half of the files of every source (see scoreCorpus).
const foldArg = process.argv.slice(2).find((arg) => arg.startsWith('--fold='))?.slice('--fold='.length);
const fold: Fold | undefined = foldArg === 'a' || foldArg === 'b' ? foldArg : undefined;
const dir = resolve(process.argv.slice(2).find((arg) => !arg.startsWith('--')) ?? 'test/fixtures/bounces');
const started = performance.now();
const score = await scoreCorpus(dir, fold);
const seconds = (performance.now() - started) / 1000;

const pct = (right: number, n: number): string => (n === 0 ? '-' : `${((100 * right) / n).toFixed(1)}%`);
const row = (name: string, t: Tally): string => `| ${name} | ${t.n} | ${pct(t.hard, t.n)} | ${pct(t.reason, t.n)} | ${pct(t.recipient, t.n)} |`;
const met = (right: number, n: number, target: number): string => (n > 0 && right / n >= target ? 'met' : 'NOT met');

console.log(`# bench:bounces on ${dir}${fold ? ` (fold ${fold})` : ''}`);
console.log(`commit ${gitCommit()}, ${cpus()[0]?.model ?? 'cpu'} x${availableParallelism()}, Node ${process.version}; ${score.files} labelled files in ${seconds.toFixed(1)} s\n`);
console.log('| labels | n | hard/soft | reason | recipient |\n| --- | --- | --- | --- | --- |');
console.log(row('**scored** (p5_agrees not false)', score.scored));
console.log(row('ambiguous (p5_agrees: false, apart)', score.ambiguous));
const all: Tally = { n: score.scored.n + score.ambiguous.n, hard: score.scored.hard + score.ambiguous.hard, reason: score.scored.reason + score.ambiguous.reason, recipient: score.scored.recipient + score.ambiguous.recipient };
console.log(row('all labels', all));
console.log(`\nTargets on scored labels: hard/soft >= 98% ${met(score.scored.hard, score.scored.n, TARGETS.hard)}, reason >= 92% ${met(score.scored.reason, score.scored.n, TARGETS.reason)}, recipient >= 98% ${met(score.scored.recipient, score.scored.n, TARGETS.recipient)}.`);
console.log(`Status (labels with a real status, status_pseudo false): ${pct(score.status.right, score.status.n)} of ${score.status.n}.`);
console.log(`Not-bounces said so: ${score.notBounces.right}/${score.notBounces.n}${score.notBounces.wrong.length ? ` (wrong: ${score.notBounces.wrong.join('; ')})` : ''}.`);
console.log(`Results for recipients no label names: ${score.extraResults.length}${score.extraResults.map((e) => `\n  ${e}`).join('')}`);
console.log(`Exceptions: ${score.exceptions.length}${score.exceptions.map((e) => `\n  ${e}`).join('')}\n`);

console.log('## Per source (scored labels)\n\n| source | n | hard/soft | reason | recipient |\n| --- | --- | --- | --- | --- |');
for (const [source, tally] of [...score.bySource].sort(([a], [b]) => a.localeCompare(b))) console.log(row(source, tally));

console.log(`\n## Errors (${score.misses.length})\n`);
for (const miss of score.misses) console.log(`- ${miss.ambiguous ? '[ambiguous] ' : ''}${miss.file} <${miss.recipient ?? 'null'}>: want ${miss.want}, got ${miss.got}`);
process.exitCode = score.exceptions.length > 0 ? 1 : 0;

function gitCommit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).trim() !== '';
    return dirty ? `${head} (+ uncommitted changes)` : head;
  } catch {
    return 'unknown';
  }
}
