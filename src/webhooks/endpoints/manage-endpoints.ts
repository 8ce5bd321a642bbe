// Webhook endpoints of a project: create (the secret shown in that answer only), change, delete,
// rotate the secret (the old one keeps signing beside the new one for a day).
import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.ts';
import { transact } from '../../store/transact.ts';
import { AppError } from '../../shared/app-error.ts';
import { newId } from '../../shared/ids.ts';
import { generateWebhookSecret } from '../signature.ts';
import type { SecretBox } from '../secret-box.ts';
import { WEBHOOK_EVENT_TYPES } from '../webhook-event-types.ts';
import { checkWebhookUrl, type UrlRules } from './check-url.ts';
import { findEndpoint, insertEndpoint, updateEndpoint, type EndpointChanges, type EndpointRow } from './endpoints.repository.ts';
import { pauseDeliveries } from '../sending/deliveries.repository.ts';

/** How long a rotated-out secret still signs, so receivers can switch without losing a request. */
export const PREVIOUS_SECRET_MS = 24 * 3_600_000;

export type EndpointSettings = { box: SecretBox; urls: UrlRules };

export type EndpointInput = { url: string; event_types?: string[]; enabled?: boolean; description?: string; counted_only?: boolean };

function checkEventTypes(types: readonly string[]): string[] {
  const unknown = types.filter((t) => !WEBHOOK_EVENT_TYPES.includes(t));
  if (unknown.length > 0) {
    throw new AppError('validation_error', `Unknown event type ${unknown.map((t) => JSON.stringify(t)).join(', ')}; the types are ${WEBHOOK_EVENT_TYPES.join(', ')}`, [{ path: '/event_types' }]);
  }
  return [...new Set(types)];
}

export async function createEndpoint(db: Kysely<Database>, settings: EndpointSettings, projectId: string, input: EndpointInput): Promise<{ row: EndpointRow; secret: string }> {
  const url = await checkWebhookUrl(input.url, settings.urls);
  const secret = generateWebhookSecret();
  const row = await insertEndpoint(db, {
    id: newId(),
    project_id: projectId,
    url,
    description: input.description?.trim() ?? '',
    event_types: checkEventTypes(input.event_types ?? []),
    counted_only: input.counted_only ?? false,
    enabled: input.enabled ?? true,
    secret_sealed: settings.box.seal(secret),
  });
  return { row, secret };
}

export async function changeEndpoint(db: Kysely<Database>, settings: EndpointSettings, projectId: string, id: string, input: Partial<EndpointInput>): Promise<EndpointRow> {
  const changes: EndpointChanges = {};
  if (input.url !== undefined) changes.url = await checkWebhookUrl(input.url, settings.urls);
  if (input.event_types !== undefined) changes.event_types = checkEventTypes(input.event_types);
  if (input.description !== undefined) changes.description = input.description.trim();
  if (input.counted_only !== undefined) changes.counted_only = input.counted_only;
  if (input.enabled !== undefined) {
    changes.enabled = input.enabled;
    // Turned back on: a fresh start, the reason it was turned off and its failing spell forgotten.
    if (input.enabled) Object.assign(changes, { disabled_reason: null, failing_since: null });
    else changes.disabled_reason = 'disabled by a user';
  }
  return transact(db, async (trx) => {
    const row = await updateEndpoint(trx, projectId, id, changes);
    if (!row) throw new AppError('not_found', 'This project has no webhook endpoint with this id');
    if (input.enabled !== undefined) await pauseDeliveries(trx, id, !input.enabled);
    return row;
  });
}

export async function deleteEndpoint(db: Kysely<Database>, projectId: string, id: string): Promise<void> {
  await transact(db, async (trx) => {
    const row = await updateEndpoint(trx, projectId, id, { deleted_at: new Date(), enabled: false, disabled_reason: 'deleted' });
    if (!row) throw new AppError('not_found', 'This project has no webhook endpoint with this id');
    await pauseDeliveries(trx, id, true);
  });
}

export async function rotateEndpointSecret(db: Kysely<Database>, settings: EndpointSettings, projectId: string, id: string, now: Date): Promise<{ row: EndpointRow; secret: string }> {
  const current = await findEndpoint(db, projectId, id);
  if (!current) throw new AppError('not_found', 'This project has no webhook endpoint with this id');
  const secret = generateWebhookSecret();
  const row = await updateEndpoint(db, projectId, id, {
    secret_sealed: settings.box.seal(secret),
    previous_secret_sealed: current.secret_sealed,
    previous_secret_until: new Date(now.getTime() + PREVIOUS_SECRET_MS),
  });
  if (!row) throw new AppError('not_found', 'This project has no webhook endpoint with this id');
  return { row, secret };
}

/** The secrets that sign a request to `endpoint` at `now`: the current one, and the previous one for a day after a rotation. */
export function signingSecrets(endpoint: EndpointRow, box: SecretBox, now: Date): string[] {
  const secrets = [box.open(endpoint.secret_sealed)];
  if (endpoint.previous_secret_sealed && endpoint.previous_secret_until && endpoint.previous_secret_until > now) {
    secrets.push(box.open(endpoint.previous_secret_sealed));
  }
  return secrets;
}
