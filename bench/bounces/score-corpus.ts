// Owns scoring the classifier against a labelled bounce corpus (corpus/, labels.jsonl, not-bounces.jsonl).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classifyReturnedMessage, splitMbox, type BounceResult, type BounceRuleSet } from '../../src/bounces/index.ts';

export type Label = {
  file: string; source: string; recipient: string | null; reason: string; hard: boolean; status: string | null;
  status_pseudo: boolean; p5_agrees: boolean | null;
};

export type Tally = { n: number; hard: number; reason: number; recipient: number };
export type Miss = { file: string; source: string; recipient: string | null; want: string; got: string; ambiguous: boolean };

export type CorpusScore = {
  /** Labels whose value Sisimai's versions agree on (`p5_agrees` is not false): the headline figures. */
  scored: Tally;
  /** `p5_agrees: false` labels changed between Sisimai versions: reported apart, not in the headline. */
  ambiguous: Tally;
  /** Status compared only where the label's status is real (`status_pseudo: false`). */
  status: { n: number; right: number };
  bySource: Map<string, Tally>;
  /** The corpus folder of each source (`rhost:Aol` is `rhost-aol`). */
  familyOfSource: Map<string, string>;
  notBounces: { n: number; right: number; wrong: string[] };
  exceptions: string[];
  misses: Miss[];
  files: number;
  /** Results for recipients no label names: addresses taken for recipients that are none. */
  extraResults: string[];
};

const empty = (): Tally => ({ n: 0, hard: 0, reason: 0, recipient: 0 });

/** A 2-fold split of the files within each source (sorted by name, alternating): `a` takes the 1st, 3rd ...
 * file of every source, `b` the 2nd, 4th ... Rules developed on one fold and scored on the other check
 * that they generalise to unseen files of the same MTA families. */
export type Fold = 'a' | 'b';

export type ScoreOptions = {
  fold?: Fold;
  /** The rules to classify a family's files with (leave-one-source-out); all rules when absent. */
  rulesFor?: (family: string) => BounceRuleSet;
};

/** The corpus family of a file: its folder under corpus/ (`corpus/postfix/lhost-postfix-01.eml` is `postfix`). */
export function familyOf(file: string): string {
  return file.split('/')[1] ?? '';
}

export async function scoreCorpus(dir: string, { fold, rulesFor }: ScoreOptions = {}): Promise<CorpusScore> {
  const labels = inFold(readJsonl<Label>(join(dir, 'labels.jsonl')), fold);
  const notBounces = readJsonl<{ file: string }>(join(dir, 'not-bounces.jsonl'));
  const score: CorpusScore = { scored: empty(), ambiguous: empty(), status: { n: 0, right: 0 }, bySource: new Map(), familyOfSource: new Map(), notBounces: { n: 0, right: 0, wrong: [] }, exceptions: [], misses: [], files: 0, extraResults: [] };
  const byFile = new Map<string, Label[]>();
  for (const label of labels) byFile.set(label.file, [...(byFile.get(label.file) ?? []), label]);
  for (const [file, fileLabels] of byFile) {
    for (const label of fileLabels) score.familyOfSource.set(label.source, familyOf(file));
    const results = await classifyFile(join(dir, file), score.exceptions, rulesFor?.(familyOf(file)));
    score.files += 1;
    fileLabels.forEach((label, index) => scoreLabel(score, label, matchResult(label, index, results)));
    const named = new Set(fileLabels.map((label) => label.recipient?.toLowerCase() ?? null));
    for (const result of results) if (!named.has(result.recipient?.toLowerCase() ?? null)) score.extraResults.push(`${file}: ${result.recipient ?? 'null'}`);
  }
  for (const { file } of notBounces) {
    const results = await classifyFile(join(dir, file), score.exceptions);
    score.notBounces.n += 1;
    if (results.length === 0) score.notBounces.right += 1;
    else score.notBounces.wrong.push(`${file}: ${results.map((r) => r.reason).join(', ')}`);
  }
  return score;
}

async function classifyFile(path: string, exceptions: string[], rules?: BounceRuleSet): Promise<BounceResult[]> {
  try {
    const results: BounceResult[] = [];
    for (const message of splitMbox(readFileSync(path))) results.push(...(await classifyReturnedMessage(message, { rules })).results);
    return results;
  } catch (error) {
    exceptions.push(`${path}: ${String(error)}`);
    return [];
  }
}

/** The result for the label's recipient; for a label without one, the result at its position. */
function matchResult(label: Label, index: number, results: BounceResult[]): { result: BounceResult | undefined; recipientRight: boolean } {
  const wanted = label.recipient?.toLowerCase() ?? null;
  const same = results.find((result) => result.recipient?.toLowerCase() === wanted);
  if (same) return { result: same, recipientRight: true };
  return { result: results[index] ?? results[0], recipientRight: false };
}

function scoreLabel(score: CorpusScore, label: Label, { result, recipientRight }: { result: BounceResult | undefined; recipientRight: boolean }): void {
  const ambiguous = label.p5_agrees === false;
  const tallies = ambiguous ? [score.ambiguous] : [score.scored, sourceTally(score, label.source)];
  const hardRight = result !== undefined && result.hard === label.hard;
  const reasonRight = result?.reason === label.reason;
  for (const tally of tallies) {
    tally.n += 1;
    if (hardRight) tally.hard += 1;
    if (reasonRight) tally.reason += 1;
    if (recipientRight) tally.recipient += 1;
  }
  if (label.status !== null && !label.status_pseudo && !ambiguous) {
    score.status.n += 1;
    if (result?.status === label.status) score.status.right += 1;
  }
  if (!hardRight || !reasonRight || !recipientRight) {
    score.misses.push({
      file: label.file, source: label.source, recipient: label.recipient, ambiguous,
      want: `${label.reason}/${label.hard ? 'hard' : 'soft'}`,
      got: result ? `${result.reason}/${result.hard ? 'hard' : 'soft'} for ${result.recipient ?? 'null'} (${result.status ?? '-'}; ${(result.diagnostic ?? '').slice(0, 140)})` : 'no result',
    });
  }
}

function inFold(labels: Label[], fold: Fold | undefined): Label[] {
  if (fold === undefined) return labels;
  const filesBySource = new Map<string, string[]>();
  for (const { source, file } of labels) {
    const files = filesBySource.get(source) ?? [];
    if (!files.includes(file)) files.push(file);
    filesBySource.set(source, files);
  }
  const kept = new Set([...filesBySource.values()].flatMap((files) => files.sort().filter((_, i) => (i % 2 === 0) === (fold === 'a'))));
  return labels.filter((label) => kept.has(label.file));
}

function sourceTally(score: CorpusScore, source: string): Tally {
  const tally = score.bySource.get(source) ?? empty();
  score.bySource.set(source, tally);
  return tally;
}

export function readJsonl<T>(path: string): T[] {
  return readFileSync(path, 'utf8').split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as T);
}
