// bench:pglite-vacuum: what the embedded database's missing autovacuum costs, and what Sendtrail's
// periodic VACUUM (src/store/pglite-maintenance.ts) costs instead. Sends rounds of 20,000 emails
// through the real claim and outcome statements (no SMTP) on a fresh PGlite data dir, once without
// vacuuming and once vacuuming after each round, and reports the emails table's size and each
// VACUUM's duration (the time PGlite is held).
// Usage: npm run bench:pglite-vacuum [-- --rounds 5 --per-round 20000]
import { execSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { openStore, type Store } from '../../src/store/open-store.ts';
import { claimDueEmails, recordOutcomes } from '../../src/delivery/queue.repository.ts';
import { startPgliteMaintenance } from '../../src/store/pglite-maintenance.ts';
import { newId } from '../../src/shared/ids.ts';
import { fillEmails } from '../queue/fill-emails.ts';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' }, 'per-round': { type: 'string', default: '20000' } } });
const rounds = Number(values.rounds);
const perRound = Number(values['per-round']);
const PROJECT = newId();

async function addAndSend(store: Store, n: number): Promise<void> {
  await fillEmails(store.db, PROJECT, n, 'queued');
  for (;;) {
    const claimed = await claimDueEmails(store.db, 'bench', 128, 60_000);
    if (claimed.length === 0) return;
    await recordOutcomes(store.db, claimed.map((e) => ({
      emailId: e.id, projectId: e.project_id, status: 'sent' as const, nextAttemptAt: null, transport: 'relay',
      events: [{ projectId: e.project_id, emailId: e.id, type: 'sent' as const, metadata: { response: '250 ok' } }],
    })));
  }
}

type Row = { sent: number; tableMb: number; indexMb: number; vacuumMs?: number };

async function measure(vacuum: boolean): Promise<Row[]> {
  const dir = await mkdtemp(join(tmpdir(), 'sendtrail-bench-vacuum-'));
  const store = await openStore({ dataDir: dir });
  const maintenance = startPgliteMaintenance({ db: store.db, intervalMs: 0 });
  const rows: Row[] = [];
  try {
    for (let r = 1; r <= rounds; r++) {
      await addAndSend(store, perRound);
      const vacuumMs = vacuum ? await maintenance.runNow() : undefined;
      const { rows: [size] } = await sql<{ t: string; i: string }>`SELECT pg_table_size('emails') AS t, pg_indexes_size('emails') AS i`.execute(store.db);
      rows.push({ sent: r * perRound, tableMb: Number(size!.t) / 1e6, indexMb: Number(size!.i) / 1e6, vacuumMs });
      console.error(`[bench:pglite-vacuum] ${vacuum ? 'vacuumed' : 'never vacuumed'}: ${r * perRound} emails sent`);
    }
  } finally {
    await maintenance.stop();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
  return rows;
}

const never = await measure(false);
const vacuumed = await measure(true);
const commit = execSync('git rev-parse --short HEAD').toString().trim();
const dirty = execSync('git status --porcelain -- src bench').toString().trim() ? ' (+ uncommitted changes)' : '';
console.log([
  `bench:pglite-vacuum, commit ${commit}${dirty}, ${new Date().toISOString()}, ${cpus().length} x ${cpus()[0]?.model}, node ${process.version}`,
  `${rounds} rounds of ${perRound} emails, each claimed and given a 'sent' outcome by the worker's own statements`,
  '',
  '| emails sent | table MB, never vacuumed | table MB, vacuumed after each round | indexes MB, never / vacuumed | VACUUM (ANALYZE) ms |',
  '|---|---|---|---|---|',
  ...never.map((n, i) => {
    const v = vacuumed[i]!;
    return `| ${n.sent} | ${n.tableMb.toFixed(1)} | ${v.tableMb.toFixed(1)} | ${n.indexMb.toFixed(1)} / ${v.indexMb.toFixed(1)} | ${v.vacuumMs!.toFixed(0)} |`;
  }),
].join('\n'));
