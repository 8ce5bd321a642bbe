// The audit log API as the screen uses it, and the screen's filters as URL search params (validated
// on the way in, so a shared link shows the same view).
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { api } from '../api.ts';

export type AuditEntry = {
  id: string;
  created_at: string;
  actor: { type: 'user' | 'api_key' | 'system'; id: string | null; label: string | null };
  action: string;
  target: { type: string; id: string } | null;
  outcome: 'success' | 'denied' | 'failed';
  reason: string | null;
  project_id: string | null;
  ip: string | null;
  user_agent: string | null;
  details: Record<string, unknown>;
  hash: string;
};

/** The actions GET /v1/audit filters by (the API's list, src/audit/audit-actions.ts). */
export const AUDIT_ACTIONS = [
  'api_key.create', 'api_key.revoke', 'user.create', 'user.update', 'user.disable', 'user.enable', 'user.sign_in', 'user.sign_in_failed',
  'user.sign_out', 'user.password_change', 'suppression.add', 'suppression.remove', 'suppression.import', 'domain.add', 'domain.remove',
  'webhook.create', 'webhook.update', 'webhook.delete', 'webhook.rotate_secret', 'webhook.test', 'webhook.replay', 'campaign.create',
  'campaign.send', 'campaign.cancel', 'campaign.resume', 'settings.update', 'retention.update', 'alert_rules.update', 'email.content_view', 'email.raw_download',
] as const;
export const AUDIT_OUTCOMES = ['success', 'denied', 'failed'] as const;

export type AuditSearch = { action?: string; outcome?: string; actor?: string; target?: string; from?: string; to?: string; cursor?: string };

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const short = (v: unknown, max: number) => (typeof v === 'string' && v.length > 0 && v.length <= max ? v : undefined);

export function validateAuditSearch(raw: Record<string, unknown>): AuditSearch {
  const out: AuditSearch = {};
  if ((AUDIT_ACTIONS as readonly unknown[]).includes(raw.action)) out.action = raw.action as string;
  if ((AUDIT_OUTCOMES as readonly unknown[]).includes(raw.outcome)) out.outcome = raw.outcome as string;
  const actor = short(raw.actor, 200);
  if (actor) out.actor = actor;
  const target = short(raw.target, 320);
  if (target) out.target = target;
  for (const k of ['from', 'to'] as const) if (typeof raw[k] === 'string' && DAY.test(raw[k])) out[k] = raw[k];
  if (typeof raw.cursor === 'string' && /^\d{1,19}$/.test(raw.cursor)) out.cursor = raw.cursor;
  return out;
}

/** The API's query: days are whole UTC days, `to` included. */
export function auditQueryString(search: AuditSearch): string {
  const q = new URLSearchParams({ limit: '50' });
  if (search.action) q.set('action', search.action);
  if (search.outcome) q.set('outcome', search.outcome);
  if (search.actor) q.set('actor', search.actor);
  if (search.target) q.set('target', search.target);
  if (search.from) q.set('from', `${search.from}T00:00:00Z`);
  if (search.to) q.set('to', new Date(Date.parse(`${search.to}T00:00:00Z`) + 86_400_000).toISOString());
  if (search.cursor) q.set('cursor', search.cursor);
  return q.toString();
}

export const auditQuery = (search: AuditSearch) =>
  queryOptions({
    queryKey: ['audit', search],
    queryFn: () => api<{ data: AuditEntry[]; next_cursor: string | null }>(`/v1/audit?${auditQueryString(search)}`),
    placeholderData: keepPreviousData,
  });
