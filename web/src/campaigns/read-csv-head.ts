// The first lines of a recipients CSV, read in the browser for the preview before anything is
// uploaded, with the server's own parser (so line numbers and malformed records agree).
import { CsvParser } from '../../../src/shared/csv-parser.ts';

/** Enough for a header and a screenful of rows without reading a 100 MB file. */
const HEAD_BYTES = 64 * 1024;
const PREVIEW_ROWS = 5;

export type CsvHead = {
  columns: string[];
  emailColumn: number;
  rows: Array<{ line: number; fields: string[]; problem?: string }>;
  /** Problems found in the lines read; the upload's answer names every bad line of the file. */
  problems: Array<{ line: number; reason: string }>;
  linesRead: number;
  complete: boolean;
};

export async function readCsvHead(file: Blob): Promise<CsvHead> {
  const complete = file.size <= HEAD_BYTES;
  let text = await file.slice(0, HEAD_BYTES).text();
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // A cut file ends mid-record: keep only whole lines.
  if (!complete) text = text.slice(0, Math.max(0, text.lastIndexOf('\n') + 1));
  const parser = new CsvParser();
  const records = complete ? [...parser.push(text), ...parser.end()] : parser.push(text);
  const [header, ...body] = records;
  const columns = (header?.fields ?? []).map((f) => f.trim());
  const emailColumn = columns.findIndex((c) => c.toLowerCase() === 'email');
  const problems: CsvHead['problems'] = [];
  const rows: CsvHead['rows'] = [];
  for (const rec of body) {
    const problem = rec.error ?? (rec.fields.length !== columns.length ? `expected ${columns.length} fields as in the header, found ${rec.fields.length}` : undefined);
    if (problem) problems.push({ line: rec.line, reason: problem });
    if (rows.length < PREVIEW_ROWS) rows.push({ line: rec.line, fields: rec.fields, problem });
  }
  return { columns, emailColumn, rows, problems, linesRead: body.length, complete };
}

/** The first good row as a sample recipient for the preview. */
export function sampleOf(head: CsvHead | undefined): { email: string; data: Record<string, string> } | undefined {
  const row = head?.rows.find((r) => !r.problem);
  if (!head || !row || head.emailColumn < 0) return undefined;
  const data: Record<string, string> = {};
  head.columns.forEach((c, i) => {
    if (i !== head.emailColumn && c !== '') data[c] = row.fields[i] ?? '';
  });
  return { email: row.fields[head.emailColumn] ?? '', data };
}
