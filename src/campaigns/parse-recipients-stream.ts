// Reads a streamed recipient list (NDJSON or CSV) chunk by chunk into validated recipients.
import { textChunks } from '../shared/text-chunks.ts';
import { AppError } from '../shared/app-error.ts';
import { CsvParser, type CsvRecord } from '../shared/csv-parser.ts';
import { LineSplitter } from './line-splitter.ts';
import { normalizeRecipientAddress } from './recipient-address.ts';
import { storableProblem, stringProblem } from '../shared/storable-text.ts';

export type RecipientsFormat = 'ndjson' | 'csv';
export type ParsedRecipient = { line: number; email: string; data: string | null };
export type BadLine = { line: number; reason: string };
export type ParsedChunk = { recipients: ParsedRecipient[]; bad: BadLine[] };

type Row = ParsedRecipient | BadLine;
const isBad = (r: Row): r is BadLine => 'reason' in r;

/**
 * Yields the recipients of each chunk of the body as it arrives, so memory holds one chunk and
 * one line, whatever the body's size. NDJSON: one {"email", "data"?} object a line. CSV (RFC 4180):
 * a header row with an `email` column; the other columns become `data` fields.
 */
export async function* parseRecipientsStream(body: AsyncIterable<Buffer | string>, format: RecipientsFormat): AsyncGenerator<ParsedChunk> {
  const parse = format === 'csv' ? csvRows() : ndjsonRows();
  for await (const text of textChunks(body)) yield split(parse.push(text));
  yield split(parse.push('', true));
}

function split(rows: Row[]): ParsedChunk {
  const chunk: ParsedChunk = { recipients: [], bad: [] };
  for (const r of rows) {
    if (isBad(r)) chunk.bad.push(r);
    else chunk.recipients.push(r);
  }
  return chunk;
}

type RowParser = { push(text: string, last?: boolean): Row[] };

function ndjsonRows(): RowParser {
  const lines = new LineSplitter();
  return {
    push(text, last) {
      const all = last ? [...lines.push(text), ...lines.end()] : lines.push(text);
      const rows: Row[] = [];
      for (const l of all) {
        if (l.error) rows.push({ line: l.line, reason: l.error });
        else if (l.text.trim() !== '') rows.push(ndjsonRecipient(l.text, l.line));
      }
      return rows;
    },
  };
}

function ndjsonRecipient(text: string, line: number): Row {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { line, reason: 'not valid JSON' };
  }
  if (!isPlainObject(value)) return { line, reason: 'not a JSON object' };
  const unknown = Object.keys(value).find((k) => k !== 'email' && k !== 'data');
  if (unknown !== undefined) return { line, reason: `unknown field "${unknown.slice(0, 50)}" (expected "email" and "data")` };
  const data = value.data;
  if (data !== undefined && data !== null && !isPlainObject(data)) return { line, reason: '"data" must be an object' };
  const problem = storableProblem(data, '"data"');
  if (problem) return { line, reason: problem };
  return recipient(line, value.email, data ? JSON.stringify(data) : null);
}

function csvRows(): RowParser {
  const parser = new CsvParser();
  let header: string[] | undefined;
  let emailColumn = -1;
  return {
    push(text, last) {
      const records = last ? [...parser.push(text), ...parser.end()] : parser.push(text);
      const rows: Row[] = [];
      for (const rec of records) {
        if (header === undefined) {
          header = rec.fields.map((f) => f.trim());
          emailColumn = header.findIndex((h) => h.toLowerCase() === 'email');
          if (rec.error || emailColumn === -1) {
            throw new AppError('invalid_recipients_file', `line ${rec.line}: the header row needs an "email" column`, { lines: [{ line: rec.line, reason: rec.error ?? 'no "email" column in the header row' }] });
          }
        } else rows.push(csvRecipient(rec, header, emailColumn));
      }
      if (last && header === undefined) {
        throw new AppError('invalid_recipients_file', 'the CSV is empty: it needs a header row with an "email" column', { lines: [{ line: 1, reason: 'no header row' }] });
      }
      return rows;
    },
  };
}

function csvRecipient(rec: CsvRecord, header: string[], emailColumn: number): Row {
  if (rec.error) return { line: rec.line, reason: rec.error };
  if (rec.fields.length !== header.length) return { line: rec.line, reason: `expected ${header.length} fields as in the header, found ${rec.fields.length}` };
  let data: Record<string, string> | undefined;
  for (let i = 0; i < header.length; i++) {
    if (i === emailColumn || header[i] === '') continue;
    const problem = stringProblem(header[i]!, 'a column name') ?? stringProblem(rec.fields[i]!, `column "${header[i]!.slice(0, 50)}"`);
    if (problem) return { line: rec.line, reason: problem };
    (data ??= {})[header[i]!] = rec.fields[i]!;
  }
  return recipient(rec.line, rec.fields[emailColumn], data ? JSON.stringify(data) : null);
}

function recipient(line: number, email: unknown, data: string | null): Row {
  if (typeof email !== 'string') return { line, reason: '"email" is missing or not a string' };
  const address = normalizeRecipientAddress(email);
  if (address === undefined) return { line, reason: `"${email.slice(0, 100)}" is not a valid email address` };
  return { line, email: address, data };
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
