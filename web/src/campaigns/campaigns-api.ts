// The campaign API as the screens read it: shapes of the answers, and queries keyed under
// 'stats' so the stats stream (live.ts) refetches them as the campaign moves.
import { queryOptions, keepPreviousData } from '@tanstack/react-query';
import { api, ApiError } from '../api.ts';
import type { RateName, StatsSeries } from '../overview/stats.ts';

export type CampaignStatus = 'draft' | 'scheduled' | 'sending' | 'paused' | 'completed' | 'cancelled';

export type CampaignSummary = {
  id: string;
  name: string;
  from: string;
  subject: string;
  status: CampaignStatus;
  scheduled_at: string | null;
  /** Why an alert paused it, while it is paused. */
  paused_reason?: string | null;
  recipient_count: number;
  tags: string[];
  created_at: string;
  updated_at: string;
};

export type Campaign = CampaignSummary & { html: string | null; text: string | null; reply_to: string | null };

export type CampaignStats = {
  campaign_id: string;
  status: CampaignStatus;
  recipient_count: number;
  preparing: number;
  counts: Record<string, number> & { total: number };
  engagement: {
    opens: { unique: number; total: number; backfilled: number };
    clicks: { unique: number; total: number };
    machine: { opens: Record<string, number>; clicks: Record<string, number> };
    coalesced: { opens: number; clicks: number };
    replies: { human: number; repliers: number; auto: number };
    complaints: number;
    unsubscribes: number;
    bounces: { total: number; hard: number; soft: number };
  };
  rates: Record<RateName, number | null>;
  period: { from: string; to: string; granularity: 'hour' | 'day'; tz: string };
  series: StatsSeries;
  notes: string[];
};

export type CampaignLinks = { data: Array<{ index: number; url: string; unique: number; total: number }> };
export type CampaignBounces = { data: Array<{ bounce_type: string | null; reason: string | null; emails: number; example: string | null }>; emails_read: number; limit: number };
export type EmailRow = { id: string; to: string; subject: string | null; status: string; created_at: string; updated_at: string };
export type Page<T> = { data: T[]; next_cursor: string | null };
export type RecipientsAdded = { added: number; duplicates: number; invalid: number; invalid_lines: Array<{ line: number; reason: string }>; recipient_count: number };

/** Campaigns still moving: their counts change, so the list shows their progress live. */
export const isActive = (s: CampaignStatus) => s === 'sending' || s === 'scheduled';

export const campaignListQuery = (cursor: string | undefined) =>
  queryOptions({
    queryKey: ['stats', 'campaigns', 'list', cursor ?? null],
    queryFn: ({ signal }) => api<Page<CampaignSummary>>(`/v1/campaigns?${new URLSearchParams({ limit: '25', ...(cursor ? { cursor } : {}) })}`, { signal }),
    placeholderData: keepPreviousData,
  });

export const campaignQuery = (id: string) =>
  queryOptions({ queryKey: ['stats', 'campaigns', id], queryFn: ({ signal }) => api<Campaign>(`/v1/campaigns/${id}`, { signal }) });

/** `live`: keyed under 'stats', refetched as the stats stream reports changes; a finished campaign's stats are read once. */
export const campaignStatsQuery = (id: string, tz: string, live = true) =>
  queryOptions({
    queryKey: [live ? 'stats' : 'campaign-stats', 'campaigns', id, 'stats', tz],
    queryFn: ({ signal }) => api<CampaignStats>(`/v1/campaigns/${id}/stats?${new URLSearchParams({ tz })}`, { signal }),
    placeholderData: keepPreviousData,
  });

export const campaignLinksQuery = (id: string) =>
  queryOptions({ queryKey: ['stats', 'campaigns', id, 'links'], queryFn: ({ signal }) => api<CampaignLinks>(`/v1/campaigns/${id}/links`, { signal }) });

export const campaignBouncesQuery = (id: string) =>
  queryOptions({ queryKey: ['stats', 'campaigns', id, 'bounces'], queryFn: ({ signal }) => api<CampaignBounces>(`/v1/campaigns/${id}/bounces`, { signal }) });

export const campaignEmailsQuery = (id: string, cursor: string | undefined) =>
  queryOptions({
    queryKey: ['stats', 'campaigns', id, 'emails', cursor ?? null],
    queryFn: ({ signal }) => api<Page<EmailRow>>(`/v1/emails?${new URLSearchParams({ campaign_id: id, limit: '25', ...(cursor ? { cursor } : {}) })}`, { signal }),
    placeholderData: keepPreviousData,
  });

/**
 * Streams a CSV file to the campaign's list. Strict first (a bad line refuses the whole list and
 * the API names every bad line); `skipInvalid` then adds the good lines and skips the named ones.
 */
export async function uploadRecipients(id: string, file: Blob, skipInvalid: boolean): Promise<RecipientsAdded> {
  const res = await fetch(`/v1/campaigns/${id}/recipients?skip_invalid=${skipInvalid}`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { accept: 'application/json', 'content-type': 'text/csv' },
    body: file,
  });
  const json = (await res.json().catch(() => undefined)) as { error?: { code: string; message: string; details?: unknown } } | RecipientsAdded | undefined;
  if (!res.ok) {
    const error = (json as { error?: { code: string; message: string; details?: unknown } } | undefined)?.error;
    throw new UploadError(res.status, error?.code ?? `http_${res.status}`, error?.message ?? res.statusText, error?.details);
  }
  return json as RecipientsAdded;
}

export class UploadError extends ApiError {
  constructor(status: number, code: string, message: string, readonly details: unknown) {
    super(status, code, message);
  }
  /** The bad lines a refused list names: [{line, reason}]. */
  get lines(): Array<{ line: number; reason: string }> {
    const lines = (this.details as { lines?: unknown } | undefined)?.lines;
    return Array.isArray(lines) ? (lines as Array<{ line: number; reason: string }>) : [];
  }
  get invalidCount(): number {
    const n = (this.details as { invalid_count?: unknown } | undefined)?.invalid_count;
    return typeof n === 'number' ? n : this.lines.length;
  }
}
