// Validates and dedupes an inline recipient list into column form, ready for `unnest`.
import { AppError } from '../shared/app-error.ts';
import type { RecipientBatch } from './campaign-emails.repository.ts';
import { MAX_REPORTED_PROBLEMS } from './campaign-limits.ts';
import { normalizeRecipientAddress } from './recipient-address.ts';

export type InlineRecipient = { email: string; data?: Record<string, unknown> | null };

/**
 * Keeps the first of each address (case-insensitive) and counts the rest as duplicates. Any
 * invalid address refuses the whole list (422 invalid_recipient) naming the first few by index,
 * so a campaign is never created with part of its audience silently missing.
 */
export function collectInlineRecipients(list: readonly InlineRecipient[]): { batch: RecipientBatch; duplicates: number } {
  const seen = new Set<string>();
  const batch: RecipientBatch = { emails: [], data: [] };
  const invalid: Array<{ index: number; email: string }> = [];
  let invalidCount = 0;
  for (let i = 0; i < list.length; i++) {
    const r = list[i]!;
    const email = typeof r.email === 'string' ? normalizeRecipientAddress(r.email) : undefined;
    if (email === undefined) {
      if (invalidCount++ < MAX_REPORTED_PROBLEMS) invalid.push({ index: i, email: String(r.email).slice(0, 200) });
      continue;
    }
    if (seen.has(email)) continue;
    seen.add(email);
    batch.emails.push(email);
    batch.data.push(r.data ? JSON.stringify(r.data) : null);
  }
  if (invalidCount > 0) {
    const first = invalid[0]!;
    throw new AppError(
      'invalid_recipient',
      `recipients[${first.index}]: "${first.email}" is not a valid email address` + (invalidCount > 1 ? ` (${invalidCount} invalid in all)` : ''),
      { invalid_count: invalidCount, recipients: invalid },
    );
  }
  return { batch, duplicates: list.length - batch.emails.length };
}

/** Keeps the addresses not yet `seen` nor in `skip`, and marks them seen (dedupe across batches). */
export function withoutSeen(batch: RecipientBatch, seen: Set<string>, skip: ReadonlySet<string>): RecipientBatch {
  const out: RecipientBatch = { emails: [], data: [] };
  batch.emails.forEach((email, i) => {
    if (seen.has(email) || skip.has(email)) return;
    seen.add(email);
    out.emails.push(email);
    out.data.push(batch.data[i]!);
  });
  return out;
}

export function sliceBatch(batch: RecipientBatch, start: number, end: number): RecipientBatch {
  return { emails: batch.emails.slice(start, end), data: batch.data.slice(start, end) };
}
