// All SQL of webhook endpoints: rows of one project, never a deleted one, secrets sealed.
import type { Kysely, Selectable } from 'kysely';
import type { Database, WebhookEndpointsTable } from '../../store/database.ts';

export type EndpointRow = Selectable<WebhookEndpointsTable>;

export type NewEndpoint = Pick<EndpointRow, 'id' | 'project_id' | 'url' | 'description' | 'event_types' | 'counted_only' | 'enabled' | 'secret_sealed'>;

export async function insertEndpoint(db: Kysely<Database>, endpoint: NewEndpoint): Promise<EndpointRow> {
  return db.insertInto('webhook_endpoints').values(endpoint).returningAll().executeTakeFirstOrThrow();
}

export async function listEndpoints(db: Kysely<Database>, projectId: string): Promise<EndpointRow[]> {
  return db.selectFrom('webhook_endpoints').selectAll().where('project_id', '=', projectId).where('deleted_at', 'is', null)
    .orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
}

export async function findEndpoint(db: Kysely<Database>, projectId: string, id: string): Promise<EndpointRow | undefined> {
  return db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).where('project_id', '=', projectId).where('deleted_at', 'is', null).executeTakeFirst();
}

export type EndpointChanges = Partial<Pick<EndpointRow, 'url' | 'description' | 'event_types' | 'counted_only' | 'enabled' | 'disabled_reason' | 'failing_since' | 'secret_sealed' | 'previous_secret_sealed' | 'previous_secret_until' | 'deleted_at'>>;

export async function updateEndpoint(db: Kysely<Database>, projectId: string, id: string, changes: EndpointChanges): Promise<EndpointRow | undefined> {
  return db.updateTable('webhook_endpoints').set({ ...changes, updated_at: new Date() })
    .where('id', '=', id).where('project_id', '=', projectId).where('deleted_at', 'is', null)
    .returningAll().executeTakeFirst();
}

/** The enabled endpoints of every project, for the outbox (few rows: read once per batch). */
export async function listEnabledEndpoints(db: Kysely<Database>): Promise<EndpointRow[]> {
  return db.selectFrom('webhook_endpoints').selectAll().where('enabled', '=', true).where('deleted_at', 'is', null).execute();
}

/** The endpoint a sender signs and posts with, if it may still be sent to. */
export async function endpointForSending(db: Kysely<Database>, id: string): Promise<EndpointRow | undefined> {
  return db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).where('enabled', '=', true).where('deleted_at', 'is', null).executeTakeFirst();
}

/** Turns an endpoint off and says why (410, failing for days); the first reason stays. */
export async function disableEndpoint(db: Kysely<Database>, id: string, reason: string): Promise<void> {
  await db.updateTable('webhook_endpoints').set({ enabled: false, disabled_reason: reason, updated_at: new Date() })
    .where('id', '=', id).where('enabled', '=', true).execute();
}

/** Records an attempt's outcome on its endpoint: a success ends a failing spell, a failure starts one. */
export async function markEndpointHealth(db: Kysely<Database>, id: string, ok: boolean, at: Date): Promise<EndpointRow | undefined> {
  const query = db.updateTable('webhook_endpoints').where('id', '=', id);
  return (ok
    ? query.set({ failing_since: null }).where('failing_since', 'is not', null)
    : query.set((eb) => ({ failing_since: eb.fn.coalesce('failing_since', eb.val(at)) }))
  ).returningAll().executeTakeFirst();
}
