// Owns measuring which corpus families each bounce rule matches (its sources, see RuleProvenance) and
// writing those lists into the rule tables.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { ALL_BOUNCE_RULES, classifyReturnedMessage, splitMbox, type BounceRuleSet, type RuleProvenance } from '../../src/bounces/index.ts';
import { familyOf, readJsonl, type Label } from './score-corpus.ts';

type Row = RuleProvenance & { pattern: RegExp };

/** A pattern that hands each text it matched to a callback (RegExp.prototype.test calls exec). */
class TracedRegExp extends RegExp {
  constructor(pattern: RegExp, private readonly onMatch: (text: string) => void) {
    super(pattern.source, pattern.flags);
  }

  override exec(text: string): RegExpExecArray | null {
    const match = super.exec(text);
    if (match) this.onMatch(text);
    return match;
  }
}

/** Classifies every labelled file of the corpus with `rules`, telling `onFamily` whose files come next. */
async function classifyCorpus(dir: string, rules: BounceRuleSet, onFamily: (family: string) => void): Promise<void> {
  const files = [...new Set(readJsonl<Label>(join(dir, 'labels.jsonl')).map((label) => label.file))];
  for (const file of files) {
    onFamily(familyOf(file));
    for (const message of splitMbox(readFileSync(join(dir, file)))) await classifyReturnedMessage(message, { rules });
  }
}

/** For every rule of `rules`, the families whose labelled files it matched text of while they were classified. */
export async function measureRuleSources(dir: string, rules: BounceRuleSet = ALL_BOUNCE_RULES): Promise<Map<Row, Set<string>>> {
  const seen = new Map<Row, Set<string>>();
  let family = '';
  const traced = <T extends Row>(rows: readonly T[]): T[] => rows.map((rule) => {
    const families = new Set<string>();
    seen.set(rule, families);
    return { ...rule, pattern: new TracedRegExp(rule.pattern, () => families.add(family)) };
  });
  await classifyCorpus(dir, { text: traced(rules.text), verdicts: traced(rules.verdicts), stages: traced(rules.stages) }, (next) => { family = next; });
  return seen;
}

/** Rules whose declared sources differ from the measured ones, as printable lines. */
export function sourceMismatches(measured: Map<Row, Set<string>>): string[] {
  const lines: string[] = [];
  for (const [rule, families] of measured) {
    const want = [...families].sort();
    const have = [...(rule.sources ?? [])].sort();
    if (want.join(',') !== have.join(',')) lines.push(`${String(rule.pattern).slice(0, 80)}: declared [${have.join(', ')}], matches [${want.join(', ')}]`);
  }
  return lines;
}

export const RULE_FILES = ['src/bounces/rules/bounce-rules.ts', 'src/bounces/rules/mta-bounce-rules.ts', 'src/bounces/rules/smtp-stage-rules.ts'];

/** Rewrites the `sources` of every rule row in the rule files with the measured lists; returns how many changed. */
export function writeRuleSources(root: string, measured: Map<Row, Set<string>>): number {
  const byKey = new Map<string, string[]>();
  for (const [rule, families] of measured) byKey.set(`${String(rule.pattern)}\u0000${rule.example}`, [...families].sort());
  let changed = 0;
  for (const file of RULE_FILES) {
    const path = join(root, file);
    const text = readFileSync(path, 'utf8');
    const edits: { start: number; end: number; text: string }[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isObjectLiteralExpression(node)) {
        const property = (name: string) => node.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText() === name);
        const pattern = property('pattern');
        const example = property('example');
        if (pattern && example && ts.isRegularExpressionLiteral(pattern.initializer) && ts.isStringLiteralLike(example.initializer)) {
          const families = byKey.get(`${pattern.initializer.text}\u0000${example.initializer.text}`);
          if (families) {
            const value = `[${families.map((f) => `'${f}'`).join(', ')}]`;
            const sources = property('sources');
            if (!sources) edits.push({ start: example.end, end: example.end, text: `, sources: ${value}` });
            else if (sources.initializer.getText() !== value) edits.push({ start: sources.initializer.getStart(), end: sources.initializer.end, text: value });
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true));
    let out = text;
    for (const edit of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
    if (out !== text) writeFileSync(path, out);
    changed += edits.length;
  }
  return changed;
}

/** The top-level alternatives of a pattern (`a|b(c|d)|e` gives `a`, `b(c|d)`, `e`). */
export function topLevelAlternatives(source: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inClass = false;
  let start = 0;
  for (let i = 0; i < source.length; i += 1) {
    const c = source[i];
    if (c === '\\') i += 1;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth += 1;
    else if (c === ')') depth -= 1;
    else if (c === '|' && depth === 0) {
      parts.push(source.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(source.slice(start));
  return parts;
}

type AlternativeSources = Map<Row, { alternatives: RegExp[]; families: Set<string>[] }>;

/** Like measureRuleSources, one level finer: for each top-level alternative of each rule's pattern, the
 * families whose text it matched when its rule matched. A rule that bundles several families' words
 * ("a|b") has sources that are the union of its alternatives'; this sees each one apart. */
export async function measureAlternativeSources(dir: string, rules: BounceRuleSet = ALL_BOUNCE_RULES): Promise<AlternativeSources> {
  const seen: AlternativeSources = new Map();
  let family = '';
  const traced = <T extends Row>(rows: readonly T[]): T[] => rows.map((rule) => {
    const alternatives = topLevelAlternatives(rule.pattern.source).map((alt) => new RegExp(alt, rule.pattern.flags));
    const entry = { alternatives, families: alternatives.map(() => new Set<string>()) };
    seen.set(rule, entry);
    return { ...rule, pattern: new TracedRegExp(rule.pattern, (text) => {
      alternatives.forEach((alt, i) => { if (alt.test(text)) entry.families[i]?.add(family); });
    }) };
  });
  await classifyCorpus(dir, { text: traced(rules.text), verdicts: traced(rules.verdicts), stages: traced(rules.stages) }, (next) => { family = next; });
  return seen;
}

/** The rules without the alternatives whose only source is `family` (a rule left with none is dropped). */
export function rulesWithoutAlternativesOf(family: string, measured: AlternativeSources, rules: BounceRuleSet = ALL_BOUNCE_RULES): BounceRuleSet {
  const strip = <T extends Row>(rows: readonly T[]): T[] => rows.flatMap((rule) => {
    const entry = measured.get(rule);
    if (!entry) return [rule];
    const kept = entry.alternatives.filter((_alt, i) => {
      const families = entry.families[i] ?? new Set();
      return !(families.size === 1 && families.has(family));
    });
    if (kept.length === entry.alternatives.length) return [rule];
    return kept.length === 0 ? [] : [{ ...rule, pattern: new RegExp(kept.map((alt) => alt.source).join('|'), rule.pattern.flags) }];
  });
  return { text: strip(rules.text), verdicts: strip(rules.verdicts), stages: strip(rules.stages) };
}
