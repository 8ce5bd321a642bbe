// `sendtrail start` on a store of a kind, for tests that drive the product as a user runs it: a new
// data dir, and on PostgreSQL a new database; `remove()` stops the process and removes both.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSendtrailProcess, type SendtrailEnv, type SendtrailProcess } from './sendtrail-process.ts';
import { createTestDatabase, type StoreKind } from './test-store.ts';

export type StoreProcess = SendtrailProcess & { dataDir: string; remove(): Promise<void> };

export async function startSendtrailOn(kind: StoreKind, prefix: string, env: SendtrailEnv = {}): Promise<StoreProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), prefix));
  const database = kind === 'postgres' ? await createTestDatabase() : undefined;
  const cleanUp = async () => {
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  };
  let proc: SendtrailProcess;
  try {
    proc = await startSendtrailProcess({ SENDTRAIL_DATA_DIR: dataDir, ...(database ? { DATABASE_URL: database.url } : {}), ...env });
  } catch (err) {
    await cleanUp();
    throw err;
  }
  return {
    ...proc,
    dataDir,
    async remove() {
      await proc.stop();
      await cleanUp();
    },
  };
}
