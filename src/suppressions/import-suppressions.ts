// Use case: POST /v1/suppressions/import: a CSV list (from another provider, or our own export)
// streamed into the suppression list in batches, so memory holds one batch whatever the file's size.
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { AppError } from '../shared/app-error.ts';
import { CsvParser, type CsvRecord } from '../shared/csv-parser.ts';
import { stringProblem } from '../shared/storable-text.ts';
import { isValidAddress } from '../sending/index.ts';
import { addSuppressions, SUPPRESSION_REASONS, type NewSuppression, type SuppressionReason } from './suppressions.repository.ts';
import { textChunks } from '../shared/text-chunks.ts';

/** Rows per INSERT: short statements, since PGlite runs each one on the event loop. */
const BATCH_ROWS = 1_000;
/** Bad lines listed in the answer; `invalid` counts them all. */
export const MAX_REPORTED_LINES = 100;

export type ImportedSuppressions = { added: number; already_listed: number; invalid: number; invalid_lines: Array<{ line: number; reason: string }> };

type Columns = { email: number; reason: number };

/**
 * A header row names an `email` column and, optionally, a `reason` column (one of the reasons the
 * list knows; `defaultReason` where it is absent or empty). Every valid line is added, every bad
 * one is reported by line number: unlike a campaign's list, half an import is still useful.
 */
export async function importSuppressions(
  db: Kysely<Database>,
  projectId: string,
  body: AsyncIterable<Buffer | string>,
  defaultReason: SuppressionReason,
): Promise<ImportedSuppressions> {
  const result: ImportedSuppressions = { added: 0, already_listed: 0, invalid: 0, invalid_lines: [] };
  const parser = new CsvParser(4096);
  let columns: Columns | undefined;
  let batch: NewSuppression[] = [];
  // An address twice in one file counts once, as a repeat of its first line.
  const flush = async () => {
    const seen = new Set<string>();
    const unique = batch.filter((b) => !seen.has(b.email) && seen.add(b.email));
    const added = (await addSuppressions(db, unique)).length;
    result.added += added;
    result.already_listed += batch.length - added;
    batch = [];
  };
  const take = async (records: CsvRecord[]) => {
    for (const rec of records) {
      if (!columns) {
        columns = headerColumns(rec);
        continue;
      }
      const row = rowOf(rec, columns, defaultReason);
      if ('problem' in row) {
        result.invalid++;
        if (result.invalid_lines.length < MAX_REPORTED_LINES) result.invalid_lines.push({ line: rec.line, reason: row.problem });
      } else batch.push({ projectId, email: row.email, reason: row.reason });
      if (batch.length >= BATCH_ROWS) await flush();
    }
  };
  for await (const text of textChunks(body)) await take(parser.push(text));
  await take(parser.end());
  if (!columns) throw new AppError('invalid_recipients_file', 'the CSV is empty: it needs a header row with an "email" column', { lines: [{ line: 1, reason: 'no header row' }] });
  await flush();
  return result;
}

function headerColumns(rec: CsvRecord): Columns {
  const names = rec.fields.map((f) => f.trim().toLowerCase());
  const email = names.indexOf('email');
  if (rec.error || email === -1) {
    throw new AppError('invalid_recipients_file', `line ${rec.line}: the header row needs an "email" column`, { lines: [{ line: rec.line, reason: rec.error ?? 'no "email" column in the header row' }] });
  }
  return { email, reason: names.indexOf('reason') };
}

function rowOf(rec: CsvRecord, columns: Columns, defaultReason: SuppressionReason): { email: string; reason: SuppressionReason } | { problem: string } {
  if (rec.error) return { problem: rec.error };
  const raw = rec.fields[columns.email];
  if (raw === undefined) return { problem: 'no value in the "email" column' };
  const email = raw.trim().toLowerCase();
  const unstorable = stringProblem(email, 'email');
  if (unstorable || !isValidAddress(email)) return { problem: `"${raw.slice(0, 100)}" is not a valid email address` };
  const given = columns.reason === -1 ? '' : (rec.fields[columns.reason] ?? '').trim();
  if (given === '') return { email, reason: defaultReason };
  if (!(SUPPRESSION_REASONS as readonly string[]).includes(given)) return { problem: `"${given.slice(0, 50)}" is not a reason (${SUPPRESSION_REASONS.join(', ')})` };
  return { email, reason: given as SuppressionReason };
}
