// Queue depth for /metrics without counting the queue. /metrics counted every email still to
// send on each scrape, a read growing with the backlog (tens of milliseconds at 200,000 queued on
// PGlite's one thread, which also sends), from an endpoint that needs no key.
//
// Kept like the campaign counters (migration 008): statement-level triggers on emails, in the
// transaction of each write, so every writer keeps them exact with no code of its own. Only the
// statuses of mail still to send are counted. Each connection adds into its own shard of rows
// (its backend pid modulo 16), so that concurrent workers on PostgreSQL do not queue on one row
// lock per status; a read sums the shards. On PGlite there is one connection, so one shard.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE queue_counters (
      status text NOT NULL,
      shard smallint NOT NULL,
      n bigint NOT NULL,
      PRIMARY KEY (status, shard)
    );

    -- d: status moves of one statement, as rows (status, n). Ordered by key, as the campaign
    -- counters are, so that statements sharing a shard lock its rows in one order.
    CREATE FUNCTION sendtrail_count_queue() RETURNS trigger LANGUAGE plpgsql AS $f$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        INSERT INTO queue_counters AS qc (status, shard, n)
        SELECT status, pg_backend_pid() % 16, count(*) FROM new_rows
        WHERE status IN ('scheduled', 'queued', 'delivery_delayed') GROUP BY 1 ORDER BY 1
        ON CONFLICT (status, shard) DO UPDATE SET n = qc.n + excluded.n;
      ELSIF TG_OP = 'UPDATE' THEN
        -- Claims and lease renewals move no status: nothing is added and no counter row is locked.
        INSERT INTO queue_counters AS qc (status, shard, n)
        SELECT m.status, pg_backend_pid() % 16, sum(m.n)
        FROM old_rows o JOIN new_rows w USING (id)
        CROSS JOIN LATERAL (VALUES (o.status, -1), (w.status, 1)) AS m(status, n)
        WHERE o.status <> w.status AND m.status IN ('scheduled', 'queued', 'delivery_delayed')
        GROUP BY 1 HAVING sum(m.n) <> 0 ORDER BY 1
        ON CONFLICT (status, shard) DO UPDATE SET n = qc.n + excluded.n;
      ELSE
        INSERT INTO queue_counters AS qc (status, shard, n)
        SELECT status, pg_backend_pid() % 16, -count(*) FROM old_rows
        WHERE status IN ('scheduled', 'queued', 'delivery_delayed') GROUP BY 1 ORDER BY 1
        ON CONFLICT (status, shard) DO UPDATE SET n = qc.n + excluded.n;
      END IF;
      RETURN NULL;
    END
    $f$;

    CREATE TRIGGER emails_queue_insert AFTER INSERT ON emails
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION sendtrail_count_queue();
    CREATE TRIGGER emails_queue_update AFTER UPDATE ON emails
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION sendtrail_count_queue();
    CREATE TRIGGER emails_queue_delete AFTER DELETE ON emails
      REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION sendtrail_count_queue();
  `.execute(db);
  // What the database already holds, counted once (the triggers count from here on).
  await sql`
    INSERT INTO queue_counters (status, shard, n)
    SELECT status, 0, count(*) FROM emails WHERE status IN ('scheduled', 'queued', 'delivery_delayed') GROUP BY 1
  `.execute(db);
}
