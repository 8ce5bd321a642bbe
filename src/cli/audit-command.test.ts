// `sendtrail audit verify`, the shipped command, against a PostgreSQL database: intact, then with a
// row changed directly in SQL (the trigger set aside, as a superuser could), which it names.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODE_FLAGS, REPO_ROOT } from '../../test/support/sendtrail-process.ts';
import { createTestStore, type TestStore } from '../../test/support/test-store.ts';
import { recordAudit } from '../audit/index.ts';

async function sendtrail(args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [...NODE_FLAGS, 'bin/sendtrail.js', ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('sendtrail audit verify', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await createTestStore('postgres');
    for (const id of ['k1', 'k2', 'k3']) {
      await recordAudit(store.db, { actor: { type: 'user', id: 'u1', label: 'ann@example.com' }, action: 'api_key.revoke', target: { type: 'api_key', id } });
    }
  });
  afterAll(async () => store?.close());

  it('says the chain is intact, then names the row changed behind its back', async () => {
    const env = { DATABASE_URL: store.url! };
    const intact = await sendtrail(['audit', 'verify'], env);
    expect(intact.code, intact.stderr).toBe(0);
    expect(intact.stdout).toContain('Audit log intact: 3 rows');
    await sql.raw(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only;
      UPDATE audit_log SET target_id = 'k9' WHERE seq = 2;
      ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`).execute(store.db);
    const broken = await sendtrail(['audit', 'verify'], env);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('Audit log broken at row 2');
  });
});
