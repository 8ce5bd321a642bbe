// A project's retention: how many days message bodies, events (with the emails they belong to) and
// raw inbound mail are kept. Rollups, suppressions and the audit log are kept whatever these say.
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { AppError } from '../shared/app-error.ts';

export type Retention = { bodies_days: number; events_days: number; raw_inbound_days: number };

/** Issue 21's defaults: a month of bodies and raw mail, 400 days (a year and a season) of events. */
export const DEFAULT_RETENTION: Readonly<Retention> = Object.freeze({ bodies_days: 30, events_days: 400, raw_inbound_days: 30 });
export const MIN_RETENTION_DAYS = 1;
export const MAX_RETENTION_DAYS = 3650;

const FIELDS = ['bodies_days', 'events_days', 'raw_inbound_days'] as const;

/**
 * The settings a change asks for, over the current ones. Events may not go before bodies: an email
 * is deleted whole with its events, so a body kept longer than its email could never be shown.
 */
export function checkRetention(current: Retention, change: Partial<Retention>): Retention {
  const next = { ...current, ...change };
  for (const f of FIELDS) {
    const v = next[f];
    if (!Number.isInteger(v) || v < MIN_RETENTION_DAYS || v > MAX_RETENTION_DAYS) {
      throw new AppError('validation_error', `${f} must be a whole number of days from ${MIN_RETENTION_DAYS} to ${MAX_RETENTION_DAYS}`);
    }
  }
  if (next.events_days < next.bodies_days) {
    throw new AppError('validation_error', `events_days (${next.events_days}) must be at least bodies_days (${next.bodies_days}): an email and its events go together, so its body cannot outlive them`);
  }
  return next;
}

export async function readRetention(db: Kysely<Database>, projectId: string): Promise<Retention & { is_default: boolean }> {
  const row = await db.selectFrom('retention_settings').select(FIELDS).where('project_id', '=', projectId).executeTakeFirst();
  return row ? { ...row, is_default: false } : { ...DEFAULT_RETENTION, is_default: true };
}

export async function saveRetention(db: Kysely<Database>, projectId: string, change: Partial<Retention>): Promise<Retention> {
  const { is_default: _, ...current } = await readRetention(db, projectId);
  const next = checkRetention(current, change);
  await db
    .insertInto('retention_settings')
    .values({ project_id: projectId, ...next })
    .onConflict((oc) => oc.column('project_id').doUpdateSet({ ...next, updated_at: new Date() }))
    .execute();
  return next;
}
