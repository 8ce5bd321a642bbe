// Use case: GET /v1/suppressions/export: the whole list as CSV, read a page at a time along the
// primary key, so memory holds one page however long the list.
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { suppressionsAfter, type SuppressionReason } from './suppressions.repository.ts';

const PAGE_ROWS = 1_000;
export const EXPORT_COLUMNS = ['email', 'reason', 'source_email_id', 'created_at'] as const;

/**
 * One CSV cell (RFC 4180 quoting). A cell a spreadsheet would take for a formula (=, +, -, @, tab,
 * CR first) gets a leading apostrophe: an address like "=HYPERLINK(...)"@example.org is valid mail
 * syntax, and an exported list must not run code when opened (OWASP "CSV injection").
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export async function* exportSuppressions(db: Kysely<Database>, projectId: string, filter: { reason?: SuppressionReason } = {}): AsyncGenerator<string> {
  yield `${EXPORT_COLUMNS.join(',')}\r\n`;
  let after: string | undefined;
  for (;;) {
    const rows = await suppressionsAfter(db, projectId, { after, reason: filter.reason, limit: PAGE_ROWS });
    if (rows.length === 0) return;
    yield rows.map((r) => [r.email, r.reason, r.source_email_id ?? '', r.created_at.toISOString()].map(csvCell).join(',') + '\r\n').join('');
    if (rows.length < PAGE_ROWS) return;
    after = rows[rows.length - 1]!.email;
  }
}
