// GET /v1/system as the System screen reads it, refetched every few seconds.
import { queryOptions } from '@tanstack/react-query';
import { api } from '../api.ts';

export type ProcessState = 'alive' | 'stopped' | 'lost';

export type SystemProcess = {
  id: string;
  roles: string[];
  version: string;
  host: string;
  pid: number;
  started_at: string;
  heartbeat_at: string;
  heartbeat_age_ms: number;
  stopped_at: string | null;
  state: ProcessState;
  /** What it holds a lease on now: being sent, forwarded or posted by it. */
  leases: { emails: number; reply_forwards: number; webhook_deliveries: number };
};

export type StoreSummary = {
  kind: 'pglite' | 'postgres';
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  data_dir?: string;
  fsync: boolean;
  warning?: string;
};

export type SystemReport = {
  server_time: string;
  heartbeat_ms: number;
  lost_after_ms: number;
  processes: SystemProcess[];
  queue: { queued: number; scheduled: number; retrying: number; due: number; due_capped: boolean; held: number };
  store: StoreSummary;
};

/** How often the screen asks again: heartbeats come every few seconds. */
export const SYSTEM_REFRESH_MS = 3000;

export const systemQuery = queryOptions({
  queryKey: ['system'],
  queryFn: () => api<SystemReport>('/v1/system'),
  refetchInterval: SYSTEM_REFRESH_MS,
  refetchIntervalInBackground: false,
});
