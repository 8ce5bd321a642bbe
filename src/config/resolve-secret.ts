// The installation secret for signed tokens: SENDTRAIL_SECRET, or one generated once into the data dir.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from './schema.ts';

export async function resolveSecret(config: Config): Promise<string> {
  if (config.SENDTRAIL_SECRET) return config.SENDTRAIL_SECRET;
  const file = join(config.SENDTRAIL_DATA_DIR, 'secret');
  try {
    const existing = (await readFile(file, 'utf8')).trim();
    if (existing) return existing;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await mkdir(config.SENDTRAIL_DATA_DIR, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  // 'wx' so two processes starting at once cannot each write a different secret.
  try {
    await writeFile(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return (await readFile(file, 'utf8')).trim();
    throw err;
  }
}
