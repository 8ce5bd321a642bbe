// GET and PUT /v1/projects/current/retention: how long this project keeps bodies, events and raw inbound mail.
import { queryOptions } from '@tanstack/react-query';
import { api } from '../api.ts';

export type Retention = { bodies_days: number; events_days: number; raw_inbound_days: number; is_default: boolean };
export type RetentionChange = Omit<Retention, 'is_default'>;

export const retentionQuery = queryOptions({
  queryKey: ['retention'],
  queryFn: () => api<Retention>('/v1/projects/current/retention'),
});

export const saveRetention = (change: RetentionChange) => api<Retention>('/v1/projects/current/retention', { method: 'PUT', body: change });

/** What each setting means, in the order the panel lists them. */
export const RETENTION_FIELDS: Array<{ key: keyof RetentionChange; label: string; meaning: string }> = [
  { key: 'bodies_days', label: 'Message bodies', meaning: 'The html, text and template data of each email, and captured copies. After this, the Content tab says the body was removed.' },
  { key: 'events_days', label: 'Emails and their events', meaning: 'Each email and its event log, deleted together. Stats keep counting them: the rollups stay. At least as long as bodies.' },
  { key: 'raw_inbound_days', label: 'Raw inbound mail', meaning: 'The raw message of bounces, complaints and replies. What was read from it (kind, sender, subject, matched email) stays.' },
];
