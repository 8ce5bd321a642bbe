// The suppression list as the screen reads and changes it.
import { queryOptions, keepPreviousData } from '@tanstack/react-query';
import { api, ApiError } from '../api.ts';

export type Suppression = { email: string; reason: string; source_email_id: string | null; created_at: string };
export type Imported = { added: number; already_listed: number; invalid: number; invalid_lines: Array<{ line: number; reason: string }> };

export const REASONS = ['manual', 'hard_bounce', 'soft_bounces', 'complaint', 'unsubscribe', 'simulator'] as const;

/** Why an address is on the list, in words. */
export const REASON_WORDS: Record<string, string> = {
  hard_bounce: 'hard bounce',
  soft_bounces: 'repeated soft bounces',
  complaint: 'spam complaint',
  unsubscribe: 'unsubscribed',
  manual: 'added by hand',
  simulator: 'simulator',
};

// Under 'stats': a bounce, complaint or unsubscribe adds entries, and the stats stream says so.
export const suppressionsQuery = (search: { cursor?: string; email?: string }) =>
  queryOptions({
    queryKey: ['stats', 'suppressions', search.cursor ?? null, search.email ?? null],
    queryFn: ({ signal }) =>
      api<{ data: Suppression[]; next_cursor: string | null }>(
        `/v1/suppressions?${new URLSearchParams({ limit: '50', ...(search.cursor ? { cursor: search.cursor } : {}), ...(search.email ? { email: search.email } : {}) })}`,
        { signal },
      ),
    placeholderData: keepPreviousData,
  });

export async function importSuppressions(file: Blob): Promise<Imported> {
  const res = await fetch('/v1/suppressions/import', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { accept: 'application/json', 'content-type': 'text/csv' },
    body: file,
  });
  const json = (await res.json().catch(() => undefined)) as Imported & { error?: { code: string; message: string } };
  if (!res.ok) throw new ApiError(res.status, json?.error?.code ?? `http_${res.status}`, json?.error?.message ?? res.statusText);
  return json;
}
