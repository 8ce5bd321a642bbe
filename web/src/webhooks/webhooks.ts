// The webhooks API as the screen uses it: endpoints through the query cache, their delivery logs,
// and the changes an admin makes (create, enable or disable, rotate, test, replay).
import { queryOptions } from '@tanstack/react-query';
import { api } from '../api.ts';

export type Endpoint = {
  id: string;
  url: string;
  description: string;
  event_types: string[];
  counted_only: boolean;
  enabled: boolean;
  disabled_reason: string | null;
  failing_since: string | null;
  previous_secret_until: string | null;
  created_at: string;
  updated_at: string;
};
export type EndpointWithSecret = Endpoint & { secret: string };

export type Attempt = { attempted_at: string; status: number | null; duration_ms: number; response_excerpt: string | null; error: string | null };
export type Delivery = {
  id: string;
  event_type: string;
  email_id: string | null;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  next_attempt_at: string | null;
  created_at: string;
  attempt_log: Attempt[];
};

export const WEBHOOKS_KEY = ['webhooks'] as const;

export const webhooksQuery = queryOptions({
  queryKey: WEBHOOKS_KEY,
  queryFn: async () => (await api<{ data: Endpoint[] }>('/v1/webhooks')).data,
  refetchInterval: 10_000,
});

export const deliveriesQuery = (endpointId: string) =>
  queryOptions({
    queryKey: [...WEBHOOKS_KEY, endpointId, 'deliveries'],
    queryFn: async () => (await api<{ data: Delivery[] }>(`/v1/webhooks/${encodeURIComponent(endpointId)}/deliveries?limit=50`)).data,
    // Retries and new events arrive by themselves: the log follows them.
    refetchInterval: 3_000,
  });

const path = (id: string, rest = '') => `/v1/webhooks/${encodeURIComponent(id)}${rest}`;

export const createEndpoint = (body: { url: string; description?: string; event_types?: string[]; counted_only?: boolean }) =>
  api<EndpointWithSecret>('/v1/webhooks', { method: 'POST', body });
export const setEnabled = (id: string, enabled: boolean) => api<Endpoint>(path(id), { method: 'PATCH', body: { enabled } });
export const rotateSecret = (id: string) => api<EndpointWithSecret>(path(id, '/rotate-secret'), { method: 'POST' });
export const sendTest = (id: string) => api<{ delivery_id: string }>(path(id, '/test'), { method: 'POST' });
export const replayDelivery = (id: string, deliveryId: string) =>
  api<{ queued: number }>(path(id, `/deliveries/${encodeURIComponent(deliveryId)}/replay`), { method: 'POST' });

/** The types an endpoint can subscribe to, as the API names them. */
export const EVENT_TYPES = [
  'email.queued', 'email.scheduled', 'email.sent', 'email.delivered', 'email.delivery_delayed', 'email.bounced', 'email.rejected',
  'email.failed', 'email.cancelled', 'email.complained', 'email.unsubscribed', 'email.opened', 'email.clicked', 'email.replied',
  'alert.triggered', 'alert.resolved',
];

export function validateWebhooksSearch(raw: Record<string, unknown>): { endpoint?: string } {
  return typeof raw.endpoint === 'string' && /^[0-9a-f-]{36}$/i.test(raw.endpoint) ? { endpoint: raw.endpoint } : {};
}
