// bench:retention: one retention run over a back-dated project on each store. Emails past events
// retention (each with 5 events), emails past bodies retention only, and raw inbound mail past its
// time, written straight into the tables (the task's cost, not the writers', is measured); the
// rollups' cursor set at the log's end, as a running scheduler leaves it. Then a run as of now,
// timed, and a second run (what a quiet day costs: nothing left to do).
//   npm run bench:retention -- [--emails 40000] [--stores pg,pglite]
import { parseArgs } from 'node:util';
import { sql, type Kysely } from 'kysely';
import { openStore } from '../../src/store/open-store.ts';
import type { Database } from '../../src/store/database.ts';
import { ensureDefaultProject } from '../../src/projects/default-project.ts';
import { runRetention } from '../../src/retention/index.ts';
import { createStore, type StoreName } from '../send/stores.ts';
import { machineInfo, markdownTable, whole } from '../send/report.ts';

const { values } = parseArgs({ options: { emails: { type: 'string', default: '40000' }, stores: { type: 'string', default: 'pg,pglite' } } });
const EMAILS = Number(values.emails);
const STORES = values.stores!.split(',') as StoreName[];
const EVENT_TYPES = ['queued', 'sent', 'delivered', 'open', 'click'];

/** `n` delivered emails created `daysAgo` days ago (a millisecond apart), UUIDv7 ids of that time, each with the five events. */
async function backdate(db: Kysely<Database>, projectId: string, n: number, daysAgo: number, tag: string): Promise<void> {
  // Raw SQL: a UUIDv7 built from each row's instant (the walks read ids in creation order).
  await sql`
    INSERT INTO emails (id, project_id, from_address, to_address, subject, html, text, status, priority, message_id, created_at, updated_at)
    SELECT (substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-7' || substr(r, 1, 3) || '-8' || substr(r, 4, 3) || '-' || substr(r, 7, 12))::uuid,
      ${projectId}, 'news@example.com', 'reader' || g || '@gmail.com', 'Hello', '<p>A body of some length for ' || g || '</p>', 'A body', 'delivered', 1, '<' || g || '@x>', t, t
    FROM generate_series(1, ${n}) g
    CROSS JOIN LATERAL (SELECT now() - make_interval(days => ${daysAgo}) + g * interval '1 millisecond' AS t) ts
    CROSS JOIN LATERAL (SELECT lpad(to_hex((extract(epoch FROM t) * 1000)::bigint), 12, '0') AS h, md5(${tag} || g) AS r) ids
  `.execute(db);
  await sql`
    INSERT INTO events (project_id, email_id, event_type, metadata, created_at)
    SELECT e.project_id, e.id, k.t, '{}'::jsonb, e.created_at + k.o * interval '1 second'
    FROM emails e CROSS JOIN unnest(${EVENT_TYPES}::text[]) WITH ORDINALITY AS k(t, o)
    WHERE e.created_at < now() - make_interval(days => ${daysAgo - 1}) AND e.created_at >= now() - make_interval(days => ${daysAgo + 1})
  `.execute(db);
  await sql`
    INSERT INTO captured_messages (email_id, project_id, raw)
    SELECT id, project_id, 'Subject: Hello' FROM emails WHERE created_at < now() - make_interval(days => ${daysAgo - 1}) AND created_at >= now() - make_interval(days => ${daysAgo + 1})
  `.execute(db);
}

async function benchStore(name: StoreName): Promise<Array<string | number>[]> {
  const bench = await createStore(name);
  const store = await openStore(name === 'pg' ? { databaseUrl: bench.env.DATABASE_URL } : { dataDir: bench.dataDir });
  try {
    const db = store.db;
    const { projectId } = await ensureDefaultProject(db);
    await backdate(db, projectId, EMAILS, 500, 'old');
    await backdate(db, projectId, EMAILS, 100, 'mid');
    await backdate(db, projectId, EMAILS, 2, 'new');
    await sql`
      INSERT INTO inbound_messages (id, project_id, kind, mail_from, rcpt_to, content_hash, size_bytes, raw, received_at)
      SELECT (substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-7000-8000-' || lpad(to_hex(g), 12, '0'))::uuid, ${projectId}, 'dsn', '', ARRAY['b@x'], md5('in' || g), 2000,
        convert_to(repeat('x', 2000), 'UTF8'), t
      FROM generate_series(1, ${Math.round(EMAILS / 10)}) g
      CROSS JOIN LATERAL (SELECT now() - interval '60 days' + g * interval '1 millisecond' AS t) ts
      CROSS JOIN LATERAL (SELECT lpad(to_hex((extract(epoch FROM t) * 1000)::bigint), 12, '0') AS h) ids
    `.execute(db);
    await sql`INSERT INTO rollup_cursors (name, txid, event_id) SELECT 'stats', txid, id FROM events ORDER BY txid DESC, id DESC LIMIT 1`.execute(db);
    await sql`DELETE FROM rollup_cursors WHERE name <> 'stats'`.execute(db);
    if (name === 'pglite') await sql`VACUUM ANALYZE`.execute(db);
    else await sql`ANALYZE`.execute(db);

    // The event loop's longest stall while the run goes: what another task on the process waits at most.
    let longestGapMs = 0;
    let last = performance.now();
    const probe = setInterval(() => {
      const now = performance.now();
      longestGapMs = Math.max(longestGapMs, now - last - 5);
      last = now;
    }, 5);
    const first = await runRetention(db);
    clearInterval(probe);
    const again = await runRetention(db);
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM events`.execute(db);
    if (first.events !== EMAILS * 5 || first.bodies !== EMAILS || rows[0]!.n !== EMAILS * 10) throw new Error(`unexpected counts: ${JSON.stringify(first)}, ${rows[0]!.n} events left`);
    console.error(`${name}: ${JSON.stringify(first)}; second run ${again.duration_ms} ms`);
    return [[
      name === 'pg' ? 'PostgreSQL' : 'PGlite',
      whole(first.emails), whole(first.events), whole(first.bodies), whole(first.raw_inbound),
      `${(first.duration_ms / 1000).toFixed(1)} s`, whole(Math.round(first.events / (first.duration_ms / 1000))), `${Math.round(longestGapMs)} ms`, `${again.duration_ms} ms`,
    ]];
  } finally {
    await store.close();
    await bench.destroy();
  }
}

const rows: Array<Array<string | number>> = [];
for (const name of STORES) rows.push(...(await benchStore(name)));
console.log(JSON.stringify(machineInfo()));
console.log(markdownTable(['store', 'emails deleted', 'events deleted', 'bodies emptied', 'raw inbound emptied', 'run', 'events/s', 'longest event-loop stall', 'second run'], rows));
