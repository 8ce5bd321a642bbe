// Tells this process's live readers (the dashboard's Inbound screen) that a message was taken in:
// ingest announces each stored message on INBOUND_CHANNEL as its transaction commits, and one
// listener per process hands it on, whichever process (the inbound role) received it.
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { notify, type Notifier } from '../store/open-store.ts';

export const INBOUND_CHANNEL = 'sendtrail_inbound';

/** What a reader learns of a new message: enough to decide whether the list it shows moved. */
export type InboundArrival = { id: string; projectId: string; kind: string; matched: boolean };

export type InboundFeed = {
  subscribe(listener: (arrival: InboundArrival) => void): () => void;
  stop(): Promise<void>;
};

/** In the ingest's transaction: PostgreSQL delivers a NOTIFY at commit, and never one of a rollback. */
export async function announceInbound(trx: Kysely<Database>, arrival: InboundArrival): Promise<void> {
  await notify(trx, INBOUND_CHANNEL, JSON.stringify({ id: arrival.id, project_id: arrival.projectId, kind: arrival.kind, matched: arrival.matched }));
}

/** One LISTEN for all the streams of a process (on PostgreSQL each LISTEN holds a connection). */
export async function startInboundFeed(deps: { notifier: Notifier }): Promise<InboundFeed> {
  const listeners = new Set<(arrival: InboundArrival) => void>();
  const unlisten = await deps.notifier.listen(INBOUND_CHANNEL, (payload) => {
    const arrival = parseArrival(payload);
    if (!arrival) return;
    for (const listener of listeners) listener(arrival);
  });
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    async stop() {
      listeners.clear();
      await unlisten().catch(() => {});
    },
  };
}

function parseArrival(payload: string): InboundArrival | undefined {
  try {
    const p = JSON.parse(payload) as { id?: unknown; project_id?: unknown; kind?: unknown; matched?: unknown };
    if (typeof p.id !== 'string' || typeof p.project_id !== 'string' || typeof p.kind !== 'string') return undefined;
    return { id: p.id, projectId: p.project_id, kind: p.kind, matched: p.matched === true };
  } catch {
    return undefined;
  }
}
