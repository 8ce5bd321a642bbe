// The installation secret for signed tokens (return paths, tracking links): SENDTRAIL_SECRET, or one
// generated once. On PGlite it is kept in the data dir; on PostgreSQL in the database itself, so every
// process sharing that database (on any machine) signs and verifies with the same key.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from './schema.ts';
import type { Store } from '../store/open-store.ts';
import { getOrCreateSetting } from '../store/installation-settings.repository.ts';

const newSecret = () => randomBytes(32).toString('base64url');

export async function resolveSecret(config: Config, store: Pick<Store, 'kind' | 'db'>): Promise<string> {
  if (config.SENDTRAIL_SECRET) return config.SENDTRAIL_SECRET;
  if (store.kind === 'postgres') return getOrCreateSetting(store.db, 'secret', newSecret());
  return secretInDataDir(config.SENDTRAIL_DATA_DIR);
}

async function secretInDataDir(dataDir: string): Promise<string> {
  const file = join(dataDir, 'secret');
  try {
    const existing = (await readFile(file, 'utf8')).trim();
    if (existing) return existing;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await mkdir(dataDir, { recursive: true });
  const secret = newSecret();
  // 'wx' so two processes starting at once cannot each write a different secret.
  try {
    await writeFile(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return (await readFile(file, 'utf8')).trim();
    throw err;
  }
}
