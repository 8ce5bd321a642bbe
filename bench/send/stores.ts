// A fresh store per run: a new PostgreSQL database (dropped afterwards) or a new PGlite data dir.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export type StoreName = 'pg' | 'pglite';

export type BenchStore = {
  name: StoreName;
  /** Environment for `sendtrail` pointing at this store. */
  env: Record<string, string>;
  dataDir: string;
  /** Counts emails per status straight from the database (PostgreSQL only). */
  statusCounts?(campaignId: string): Promise<Record<string, number>>;
  destroy(): Promise<void>;
};

export const ADMIN_URL = process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export async function createStore(name: StoreName): Promise<BenchStore> {
  const dataDir = await mkdtemp(join(tmpdir(), `sendtrail-bench-${name}-`));
  if (name === 'pglite') {
    return { name, dataDir, env: { SENDTRAIL_DATA_DIR: dataDir, DATABASE_URL: '' }, destroy: () => rm(dataDir, { recursive: true, force: true }) };
  }
  const database = `sendtrail_bench_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${database}`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  return {
    name,
    dataDir,
    env: { SENDTRAIL_DATA_DIR: dataDir, DATABASE_URL: url.toString() },
    async statusCounts(campaignId) {
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      try {
        const { rows } = await client.query<{ status: string; n: number }>(
          'SELECT status, count(*)::int AS n FROM emails WHERE campaign_id = $1 GROUP BY status',
          [campaignId],
        );
        return Object.fromEntries(rows.map((r) => [r.status, r.n]));
      } finally {
        await client.end();
      }
    },
    async destroy() {
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function admin(work: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}
