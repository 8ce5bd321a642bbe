// The email log's reads from the API: pages of emails (by cursor), one email, its events and its
// message as sent, each a query the live stream can refresh.
import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { ApiError, api } from '../api.ts';
import { emailListParams, type LogSearch } from './log-search.ts';

export type Email = {
  id: string;
  campaign_id: string | null;
  from: string;
  to: string;
  cc: string[];
  subject: string | null;
  status: string;
  tags: string[];
  message_id: string;
  transport: string | null;
  attempts: number;
  scheduled_at: string | null;
  created_at: string;
  updated_at: string;
};
export type EmailPage = { data: Email[]; next_cursor: string | null };
export type EmailEvent = { id: number; event_type: string; metadata: Record<string, unknown>; created_at: string };
export type SentContent = {
  subject: string;
  from: string;
  to: string;
  html: string | null;
  text: string | null;
  tracking_pixel_removed: boolean;
  links: Array<{ index: number; url: string; tracked_url: string; hidden: boolean }>;
  headers: Array<{ name: string; value: string }>;
  raw_source: 'captured' | 'rebuilt' | 'not_sent';
};

const PAGE_SIZE = 50;

export const emailPagesQuery = (search: LogSearch) =>
  infiniteQueryOptions({
    queryKey: ['emails', 'pages', emailListParams(search)],
    queryFn: ({ pageParam, signal }) => {
      const params = new URLSearchParams(emailListParams(search));
      params.set('limit', String(PAGE_SIZE));
      if (pageParam) params.set('cursor', pageParam);
      return api<EmailPage>(`/v1/emails?${params}`, { signal });
    },
    initialPageParam: '',
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });

export const emailQuery = (id: string) => queryOptions({ queryKey: ['emails', 'one', id], queryFn: () => api<Email>(`/v1/emails/${id}`) });

export const emailEventsQuery = (id: string) =>
  queryOptions({ queryKey: ['emails', 'events', id], queryFn: () => api<{ data: EmailEvent[] }>(`/v1/emails/${id}/events`).then((r) => r.data) });

export const emailContentQuery = (id: string) =>
  queryOptions({
    queryKey: ['emails', 'content', id],
    queryFn: () => api<SentContent>(`/v1/emails/${id}/content`),
    staleTime: 60_000,
    // A body removed by retention (409) stays removed: say so at once instead of asking again.
    retry: (failures, err) => !(err instanceof ApiError && err.status < 500) && failures < 2,
  });

export const campaignNameQuery = (id: string) =>
  queryOptions({ queryKey: ['campaigns', 'name', id], queryFn: () => api<{ name: string }>(`/v1/campaigns/${id}`).then((c) => c.name), staleTime: 300_000 });
