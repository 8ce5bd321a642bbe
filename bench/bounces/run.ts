// `npm run bench:bounces [DIR]`: classification accuracy on a labelled bounce corpus: with every rule
// (the development figures), leave-one-source-out (each MTA family scored without the rules that come
// from its files alone), the same by pattern alternative (stricter), and the two folds; per family,
// with the misses.
// `--fold=a|b` scores one fold only; `--rule-sources` checks each rule's declared sources against the
// families it matches, `--write-rule-sources` rewrites them in src/bounces/rules/.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { availableParallelism, cpus } from 'node:os';
import { ALL_BOUNCE_RULES, comesOnlyFrom, rulesWithout } from '../../src/bounces/index.ts';
import { measureAlternativeSources, measureRuleSources, rulesWithoutAlternativesOf, sourceMismatches, writeRuleSources } from './rule-sources.ts';
import { scoreCorpus, type CorpusScore, type Fold, type Miss, type Tally } from './score-corpus.ts';

const TARGETS = { hard: 0.98, reason: 0.92, recipient: 0.98 };

const args = process.argv.slice(2);
const foldArg = args.find((arg) => arg.startsWith('--fold='))?.slice('--fold='.length);
const fold: Fold | undefined = foldArg === 'a' || foldArg === 'b' ? foldArg : undefined;
const dir = resolve(args.find((arg) => !arg.startsWith('--')) ?? 'test/fixtures/bounces');

if (args.includes('--rule-sources') || args.includes('--write-rule-sources')) {
  const measured = await measureRuleSources(dir);
  if (args.includes('--write-rule-sources')) console.log(`${writeRuleSources(process.cwd(), measured)} rule rows rewritten`);
  else {
    const mismatches = sourceMismatches(measured);
    console.log(mismatches.length === 0 ? 'Every rule declares the families it matches.' : mismatches.join('\n'));
    process.exitCode = mismatches.length === 0 ? 0 : 1;
  }
} else {
  await report();
}

async function report(): Promise<void> {
  const started = performance.now();
  const dev = await scoreCorpus(dir, { fold });
  const loso = fold ? null : await scoreCorpus(dir, { rulesFor: (family) => rulesWithout(family) });
  // Stricter: a rule's alternatives are left out one by one (a rule bundling several families' words).
  const alternatives = fold ? null : await measureAlternativeSources(dir);
  const strict = alternatives ? await scoreCorpus(dir, { rulesFor: (family) => rulesWithoutAlternativesOf(family, alternatives) }) : null;
  const folds = fold ? [] : await Promise.all((['a', 'b'] as const).map(async (f) => [f, await scoreCorpus(dir, { fold: f })] as const));
  const seconds = (performance.now() - started) / 1000;

  console.log(`# bench:bounces on ${dir}${fold ? ` (fold ${fold})` : ''}`);
  console.log(`${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, commit ${gitCommit()}, ${cpus()[0]?.model ?? 'cpu'} x${availableParallelism()}, Node ${process.version}; ${dev.files} labelled files, ${seconds.toFixed(1)} s for every run below\n`);
  console.log('| run | labels | n | hard/soft | reason | recipient |\n| --- | --- | --- | --- | --- | --- |');
  const runs: [string, CorpusScore][] = [[fold ? `fold ${fold}` : 'development (every rule)', dev], ...(loso ? [['**leave-one-source-out**', loso] as [string, CorpusScore]] : []), ...(strict ? [['leave-one-source-out by pattern alternative', strict] as [string, CorpusScore]] : []), ...folds.map(([f, s]) => [`fold ${f}`, s] as [string, CorpusScore])];
  for (const [name, score] of runs) {
    console.log(row([name, 'scored (p5_agrees not false)'], score.scored));
    console.log(row([name, 'ambiguous (p5_agrees: false)'], score.ambiguous));
  }
  const headline = loso ?? dev;
  const { scored } = headline;
  console.log(`\nTargets on ${loso ? 'leave-one-source-out' : 'these'} scored labels: hard/soft >= 98% ${met(scored.hard, scored.n, TARGETS.hard)}, reason >= 92% ${met(scored.reason, scored.n, TARGETS.reason)}, recipient >= 98% ${met(scored.recipient, scored.n, TARGETS.recipient)}, exceptions ${headline.exceptions.length}.`);
  console.log(`Status (development, labels with a real status): ${pct(dev.status.right, dev.status.n)} of ${dev.status.n}.`);
  console.log(`Not-bounces said so: ${dev.notBounces.right}/${dev.notBounces.n}${dev.notBounces.wrong.length ? ` (wrong: ${dev.notBounces.wrong.join('; ')})` : ''}.`);
  console.log(`Results for recipients no label names: ${dev.extraResults.length}${dev.extraResults.map((e) => `\n  ${e}`).join('')}`);
  const exceptions = [...dev.exceptions, ...(loso?.exceptions ?? [])];
  console.log(`Exceptions: ${exceptions.length}${exceptions.map((e) => `\n  ${e}`).join('')}\n`);

  console.log('## Per source (scored labels): development | leave-one-source-out\n');
  console.log('| source | rules off | n | hard/soft | reason | recipient | LOSO hard/soft | LOSO reason | LOSO recipient |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const [source, tally] of [...dev.bySource].sort(([a], [b]) => a.localeCompare(b))) {
    const held = loso?.bySource.get(source);
    const family = dev.familyOfSource.get(source) ?? '';
    console.log(`| ${source} | ${rulesOff(family)} | ${tally.n} | ${pct(tally.hard, tally.n)} | ${pct(tally.reason, tally.n)} | ${pct(tally.recipient, tally.n)} | ${held ? `${pct(held.hard, held.n)} | ${pct(held.reason, held.n)} | ${pct(held.recipient, held.n)}` : '- | - | -'} |`);
  }
  printMisses('Development errors', dev.misses);
  if (loso) printMisses('Leave-one-source-out errors', loso.misses);
  if (strict) printMisses('Leave-one-source-out by pattern alternative errors', strict.misses);
  process.exitCode = exceptions.length > 0 ? 1 : 0;
}

function rulesOff(family: string): number {
  const { text, verdicts, stages } = ALL_BOUNCE_RULES;
  return [...text, ...verdicts, ...stages].filter((rule) => comesOnlyFrom(rule, family)).length;
}

function printMisses(title: string, misses: Miss[]): void {
  console.log(`\n## ${title} (${misses.length})\n`);
  for (const miss of misses) console.log(`- ${miss.ambiguous ? '[ambiguous] ' : ''}${miss.file} <${miss.recipient ?? 'null'}>: want ${miss.want}, got ${miss.got}`);
}

function pct(right: number, n: number): string {
  return n === 0 ? '-' : `${((100 * right) / n).toFixed(1)}%`;
}

function row(names: string[], t: Tally): string {
  return `| ${names.join(' | ')} | ${t.n} | ${pct(t.hard, t.n)} | ${pct(t.reason, t.n)} | ${pct(t.recipient, t.n)} |`;
}

function met(right: number, n: number, target: number): string {
  return n > 0 && right / n >= target ? 'met' : 'NOT met';
}

function gitCommit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).trim() !== '';
    return dirty ? `${head} (+ uncommitted changes)` : head;
  } catch {
    return 'unknown';
  }
}
