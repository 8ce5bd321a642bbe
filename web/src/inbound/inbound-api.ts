// Mail the inbound server received, as the screens read it.
import { queryOptions, keepPreviousData } from '@tanstack/react-query';
import { api } from '../api.ts';

export type InboundMessage = {
  id: string;
  kind: string;
  matched: boolean;
  email_id: string | null;
  mail_from: string | null;
  rcpt_to: string[] | string | null;
  from: string | null;
  subject: string | null;
  size_bytes: number;
  event_count: number;
  received_at: string;
  forward: { state: string; attempts: number; error: string | null } | null;
};

export const KIND_WORDS: Record<string, string> = {
  bounce: 'bounce report',
  delivery_report: 'delivery report',
  complaint: 'spam complaint',
  auto_reply: 'automatic reply',
  reply: 'reply',
  unsubscribe: 'unsubscribe request',
  other: 'other mail',
};

/** Every page of the list: what the inbound stream refetches (live-inbound.ts). */
export const INBOUND_LIST_KEY = ['inbound', 'list'] as const;

/** `matched`: absent for the mail that matched no email (what needs a person), 'true' or 'all'. */
export const inboundListQuery = (search: { cursor?: string; matched?: 'true' | 'all' }) =>
  queryOptions({
    queryKey: [...INBOUND_LIST_KEY, search.cursor ?? null, search.matched ?? 'false'],
    queryFn: ({ signal }) =>
      api<{ data: InboundMessage[]; next_cursor: string | null }>(
        `/v1/inbound?${new URLSearchParams({ limit: '50', ...(search.matched === 'all' ? {} : { matched: search.matched ?? 'false' }), ...(search.cursor ? { cursor: search.cursor } : {}) })}`,
        { signal },
      ),
    placeholderData: keepPreviousData,
  });

export const inboundMessageQuery = (id: string) => queryOptions({ queryKey: ['inbound', id], queryFn: ({ signal }) => api<InboundMessage>(`/v1/inbound/${id}`, { signal }) });

/** The first part of the raw message, as text: enough to read headers and body without loading a huge attachment. */
const RAW_SHOWN_BYTES = 64 * 1024;
export const inboundRawQuery = (id: string) =>
  queryOptions({
    queryKey: ['inbound', id, 'raw'],
    queryFn: async ({ signal }) => {
      const res = await fetch(`/v1/inbound/${id}/raw`, { credentials: 'same-origin', signal });
      if (!res.ok) {
        // A raw message past the project's retention is a 409 whose message says so.
        const said = ((await res.json().catch(() => undefined)) as { error?: { message?: string } } | undefined)?.error?.message;
        throw new Error(said ?? `the raw message could not be read (${res.status})`);
      }
      const blob = await res.blob();
      return { text: await blob.slice(0, RAW_SHOWN_BYTES).text(), cut: blob.size > RAW_SHOWN_BYTES };
    },
  });
