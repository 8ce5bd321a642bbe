// Sendtrail processes and their heartbeats (issue 20, part 5): what the System screen lists, and how
// a live process learns that another one died, so the emails it held are taken over at once rather
// than when their leases run out (LEASE_MS).
//
// `id` is the holder name a process writes into the leases it takes (emails.locked_by), so a
// process found dead names exactly the leases to release. Times come from the database's clock
// (now()), never a process's: processes on several hosts compare heartbeats on one clock.
// A row stays after its process stops (stopped_at set), so the System screen can say that a
// process stopped, or was lost, and when; old ones are pruned.
//
// emails_held_by finds a dead holder's leases without reading the queue: only leased rows are in
// it (an outcome or a release clears locked_by), so it holds at most what the workers have in flight.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE processes (
      id text PRIMARY KEY,
      roles text[] NOT NULL,
      version text NOT NULL,
      host text NOT NULL,
      pid integer NOT NULL,
      store_kind text NOT NULL CHECK (store_kind IN ('pglite', 'postgres')),
      started_at timestamptz NOT NULL DEFAULT now(),
      heartbeat_at timestamptz NOT NULL DEFAULT now(),
      stopped_at timestamptz,
      -- 'stopped': a clean stop; 'lost': its heartbeat stopped, and its leases were taken over.
      stop_kind text CHECK (stop_kind IN ('stopped', 'lost')),
      CHECK ((stopped_at IS NULL) = (stop_kind IS NULL))
    );
    CREATE INDEX processes_running ON processes (heartbeat_at) WHERE stopped_at IS NULL;
    CREATE INDEX emails_held_by ON emails (locked_by) WHERE locked_by IS NOT NULL;
  `.execute(db);
}
