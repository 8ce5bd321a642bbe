// The alerts' reader of the event log: past its cursor ('alerts'), the bounces and deferrals that
// are authentication refusals and the unsubscribes, kept as alert_signals, exactly once (the
// cursor's lock, the rows and the cursor's move are one transaction, as for the rollups and the
// webhook outbox). Every other event is passed over; the read costs what the outbox's does.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { lockCursor, saveCursor } from '../store/log-cursors.repository.ts';
import { readLogWithEmails, type LoggedEventWithEmail } from '../events/index.ts';
import { providerOfDomain } from '../analytics/index.ts';
import { authRefusalCode } from './auth-refusal.ts';
import { insertSignals, pruneSignals, type NewSignal } from './signals.repository.ts';

export const ALERTS_CURSOR = 'alerts';
export const SIGNALS_BATCH = 2_000;
const BATCH = SIGNALS_BATCH;
/** Signals are read at most 30 days back (the unsubscribe rule); older ones go. */
export const SIGNALS_KEPT_MS = 30 * 86_400_000;

/** Reads one batch past the cursor; returns how many events it read (BATCH: more may wait). */
export async function collectSignals(db: Kysely<Database>, now = new Date()): Promise<number> {
  const read = await db.transaction().execute(async (trx) => {
    const before = await lockCursor(trx, ALERTS_CURSOR);
    const events = await readLogWithEmails(trx, { after: before, limit: BATCH });
    if (events.length === 0) return 0;
    const picked = events.flatMap((e) => signalOf(e) ?? []);
    const providers = await providersOf(trx, picked.map((s) => domainOf(s.address)));
    await insertSignals(trx, picked.map((s) => ({ ...s, provider: providers.get(domainOf(s.address)) ?? 'other' })));
    const last = events.at(-1)!;
    await saveCursor(trx, ALERTS_CURSOR, { txid: last.txid, id: last.id });
    return events.length;
  });
  if (read < BATCH) await pruneSignals(db, new Date(now.getTime() - SIGNALS_KEPT_MS), 1_000);
  return read;
}

function signalOf(e: LoggedEventWithEmail): NewSignal | undefined {
  const base = { projectId: e.project_id, provider: '', address: e.to_address, emailId: e.email_id, at: e.created_at };
  if (e.event_type === 'unsubscribe') return { ...base, kind: 'unsubscribe', code: null };
  const code = authRefusalCode(e.event_type, e.metadata);
  return code ? { ...base, kind: 'auth_refusal', code } : undefined;
}

const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

/** Each domain's provider as the rollups decided it (mailbox_providers), else by its name, else other. */
async function providersOf(db: Kysely<Database>, domains: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(domains)];
  if (unique.length === 0) return new Map();
  const { rows } = await sql<{ domain: string; provider: string }>`SELECT domain, provider FROM mailbox_providers WHERE domain = ANY(${unique}::text[])`.execute(db);
  const known = new Map(rows.map((r) => [r.domain, r.provider]));
  return new Map(unique.map((d) => [d, known.get(d) ?? providerOfDomain(d) ?? 'other']));
}
