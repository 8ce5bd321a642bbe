// Opens the database: embedded PGlite under the data dir (guarded by a lock file) or PostgreSQL.
import { mkdir } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { lockDirectory } from '../shared/dir-lock.ts';
import { PGLITE_SHARED_BUFFERS_DEFAULT } from './pglite-settings.ts';
import type { Database } from './database.ts';
import { migrateToLatest } from './migrate.ts';

// bigint columns (event ids, counts) fit in a double for any realistic volume; strings would leak
// into every caller.
pg.types.setTypeParser(20, (v) => Number(v));

export type Notifier = {
  /** Calls `onMessage` for each NOTIFY on the channel, from any process sharing the database. */
  listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>>;
};

export type Store = {
  db: Kysely<Database>;
  kind: 'pglite' | 'postgres';
  notifier: Notifier;
  close(): Promise<void>;
};

export type OpenStoreOptions = {
  databaseUrl?: string;
  dataDir?: string;
  /** Open an existing PGlite instance (tests load a pre-migrated snapshot this way). */
  pglite?: PGlite;
  /** PGlite's shared_buffers: most of its memory; the OS page cache still holds the files. */
  pgliteSharedBuffers?: string;
  poolSize?: number;
  migrate?: boolean;
};

export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const store = options.databaseUrl
    ? openPostgres(options.databaseUrl, options.poolSize ?? 10)
    : await openPglite(options);
  if (options.migrate !== false) {
    try {
      await migrateToLatest(store.db);
    } catch (err) {
      await store.close();
      throw err;
    }
  }
  return store;
}

function openPostgres(url: string, poolSize: number): Store {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client losing its connection (server restart) must not crash the process.
  pool.on('error', () => {});
  // Nor may a checked-out one (a transaction between two statements when the database goes away):
  // pg emits 'error' on the client with no listener, which kills the process. The statement's own
  // promise still rejects, so callers see the failure.
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const listeners = new Set<{ stop(): Promise<void> }>();
  const notifier: Notifier = {
    async listen(channel, onMessage) {
      const listener = await listenWithReconnect(url, channel, onMessage);
      listeners.add(listener);
      return async () => {
        listeners.delete(listener);
        await listener.stop();
      };
    },
  };
  return {
    db,
    kind: 'postgres',
    notifier,
    async close() {
      await Promise.all([...listeners].map((l) => l.stop()));
      await db.destroy();
    },
  };
}

/**
 * LISTENs on its own connection, and reconnects when that connection drops (a server restart, a
 * network blip): after reconnecting it calls `onMessage` once, since notifications sent meanwhile
 * were lost, and its listeners read what they missed from the tables.
 */
async function listenWithReconnect(url: string, channel: string, onMessage: (payload: string) => void): Promise<{ stop(): Promise<void> }> {
  let client: pg.Client | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url });
    c.on('error', () => {});
    c.on('end', () => {
      if (stopped || client !== c) return;
      client = undefined;
      retry = setTimeout(() => void reconnect(), LISTEN_RETRY_MS);
      retry.unref();
    });
    await c.connect();
    c.on('notification', (n) => n.channel === channel && onMessage(n.payload ?? ''));
    await c.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    client = c;
  };
  const reconnect = async () => {
    if (stopped) return;
    try {
      await connect();
      onMessage('');
    } catch {
      retry = setTimeout(() => void reconnect(), LISTEN_RETRY_MS);
      retry.unref();
    }
  };
  await connect();
  return {
    async stop() {
      stopped = true;
      clearTimeout(retry);
      await client?.end().catch(() => {});
    },
  };
}

const LISTEN_RETRY_MS = 1000;

async function openPglite(options: OpenStoreOptions): Promise<Store> {
  let release: (() => Promise<void>) | undefined;
  let pglite = options.pglite;
  if (!pglite) {
    if (!options.dataDir) throw new Error('openStore needs a databaseUrl, a dataDir or a pglite instance');
    await mkdir(options.dataDir, { recursive: true });
    release = await lockDataDir(options.dataDir);
    try {
      const pgdata = join(options.dataDir, 'pgdata');
      if (!existsSync(join(pgdata, 'PG_VERSION'))) await initPgliteInChild(pgdata);
      pglite = await PGlite.create({
        dataDir: pgdata,
        postgresqlconf: [`shared_buffers = ${options.pgliteSharedBuffers ?? PGLITE_SHARED_BUFFERS_DEFAULT}`],
      });
    } catch (err) {
      await release();
      throw err;
    }
  }
  const instance = pglite;
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: new pg.Pool(createPgConfig(instance) as pg.PoolConfig) }),
  });
  const notifier = pgliteNotifier(instance, db);
  return {
    db,
    kind: 'pglite',
    notifier,
    async close() {
      await db.destroy();
      if (!options.pglite) await instance.close();
      await release?.();
    },
  };
}

/**
 * Listening on PGlite. Its session is the process's one database session, shared through the pool's
 * one connection; `PGlite.listen()` sends its LISTEN beside that connection, where it can land inside
 * another caller's open transaction (and vanish with its rollback) or between the parts of another
 * caller's statement (whose unnamed prepared statement it destroys). So each channel is listened to
 * once, through the pool like every other statement, and kept: the channels are a fixed handful, and
 * PGlite hands every notification to `onNotification`, whichever statement it arrived with.
 */
function pgliteNotifier(instance: PGlite, db: Kysely<Database>): Notifier {
  const listeners = new Map<string, Set<(payload: string) => void>>();
  const listening = new Map<string, Promise<void>>();
  instance.onNotification((channel, payload) => {
    for (const onMessage of listeners.get(channel) ?? []) onMessage(payload);
  });
  return {
    async listen(channel, onMessage) {
      let ready = listening.get(channel);
      if (!ready) {
        ready = sql`LISTEN ${sql.id(channel)}`.execute(db).then(() => {});
        listening.set(channel, ready);
        ready.catch(() => listening.delete(channel));
      }
      await ready;
      // Each registration is its own, so one callback given twice is removed once per unlisten.
      const entry = (payload: string) => onMessage(payload);
      let set = listeners.get(channel);
      if (!set) listeners.set(channel, (set = new Set()));
      set.add(entry);
      return async () => {
        set.delete(entry);
      };
    },
  };
}

// PGlite is single-process and nothing stops a second process from opening the same files, whose
// writes would then be silently lost: refuse with a clear error instead.
const lockDataDir = (dataDir: string) =>
  lockDirectory(
    dataDir,
    'sendtrail',
    `The data directory ${dataDir} is in use by another Sendtrail process. ` +
      'The embedded database serves one process only: stop the other one, ' +
      'or set DATABASE_URL to a PostgreSQL server to run several.',
  );

/**
 * Creates a new PGlite data directory (initdb) in a short-lived child process. initdb grows the
 * WASM heap to ~900 MB and a WASM heap never shrinks (a worker thread did not give it all back
 * either); a process that only opens the directory stays near 300 MB.
 */
async function initPgliteInChild(pgdata: string): Promise<void> {
  const script = `const { PGlite } = await import(${JSON.stringify(import.meta.resolve('@electric-sql/pglite'))});
    const db = await PGlite.create({ dataDir: ${JSON.stringify(pgdata)} });
    await db.close();`;
  await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { timeout: 120_000 });
}

/** Sends a NOTIFY through the ordinary connection; works the same on PGlite and PostgreSQL. */
export async function notify(db: Kysely<Database>, channel: string, payload = ''): Promise<void> {
  await sql`SELECT pg_notify(${channel}, ${payload})`.execute(db);
}
