// The audit log in the database, on both stores: appends chain, the table refuses changes, verify
// names the first broken row, and on PostgreSQL concurrent writers never fork the chain.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestStore, STORE_KINDS, type TestStore } from '../../test/support/test-store.ts';
import { openStore } from '../store/open-store.ts';
import { recordAudit, selectAuditPage, verifyAuditChain, type AuditEntry } from './index.ts';

const entry = (n: number): AuditEntry => ({
  actor: { type: 'user', id: `user-${n % 3}`, label: `u${n % 3}@example.com` },
  action: n % 2 ? 'api_key.create' : 'suppression.add',
  target: { type: 'thing', id: `t-${n}` },
  ip: '192.0.2.1',
  userAgent: 'vitest',
  details: { name: `key ${n}`, email: `r${n}@example.com`, key: 'st_NEVERSTORED' },
});

// The trigger is off only for the statement that plays the attacker, as a superuser could.
async function tamper(store: TestStore, statement: string) {
  await sql.raw(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only; ${statement}; ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`).execute(store.db);
}

describe.each(STORE_KINDS)('the audit log on %s', (kind) => {
  let store: TestStore;
  beforeAll(async () => { store = await createTestStore(kind); });
  afterAll(async () => { await store?.close(); });

  it('chains appends, reads them newest first with filters and a cursor, and verifies', async () => {
    for (let n = 1; n <= 7; n++) await recordAudit(store.db, entry(n));
    const all = await selectAuditPage(store.db, {}, undefined, 100);
    expect(all.map((r) => r.seq)).toEqual(['7', '6', '5', '4', '3', '2', '1']);
    expect(all.every((r) => !JSON.stringify(r.details).includes('NEVERSTORED'))).toBe(true);
    const firstPage = await selectAuditPage(store.db, { action: 'api_key.create' }, undefined, 2);
    expect(firstPage.map((r) => r.target_id)).toEqual(['t-7', 't-5']);
    const next = await selectAuditPage(store.db, { action: 'api_key.create' }, BigInt(firstPage.at(-1)!.seq), 2);
    expect(next.map((r) => r.target_id)).toEqual(['t-3', 't-1']);
    expect((await selectAuditPage(store.db, { actorId: 'user-0' }, undefined, 100)).map((r) => r.target_id)).toEqual(['t-6', 't-3']);
    expect(await selectAuditPage(store.db, { from: new Date(Date.now() + 60_000) }, undefined, 100)).toEqual([]);
    expect(await selectAuditPage(store.db, { to: new Date(Date.now() + 60_000), targetId: 't-4' }, undefined, 100)).toHaveLength(1);
    expect(await verifyAuditChain(store.db)).toEqual({ ok: true, rows: 7 });
  });

  it('refuses UPDATE, DELETE and TRUNCATE of its rows', async () => {
    await expect(sql`UPDATE audit_log SET outcome = 'denied'`.execute(store.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_log`.execute(store.db)).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE audit_log`.execute(store.db)).rejects.toThrow(/append-only/);
  });

  it('writes nothing when the change it records rolls back', async () => {
    await expect(store.db.transaction().execute(async (trx) => {
      await recordAudit(trx, entry(100));
      throw new Error('the change failed');
    })).rejects.toThrow('the change failed');
    expect(await verifyAuditChain(store.db)).toEqual({ ok: true, rows: 7 });
  });

  it('names the first row changed behind its back, then a removed row', async () => {
    await tamper(store, `UPDATE audit_log SET actor_label = 'mallory@example.com' WHERE seq = 4`);
    expect(await verifyAuditChain(store.db)).toMatchObject({ ok: false, seq: '4', rows: 3, problem: expect.stringMatching(/changed/) });
    await tamper(store, `UPDATE audit_log SET actor_label = 'u1@example.com' WHERE seq = 4`);
    expect(await verifyAuditChain(store.db)).toEqual({ ok: true, rows: 7 });
    await tamper(store, 'DELETE FROM audit_log WHERE seq = 7');
    expect(await verifyAuditChain(store.db)).toMatchObject({ ok: false, problem: expect.stringMatching(/removed from the end/) });
    await tamper(store, 'DELETE FROM audit_log WHERE seq = 2');
    expect(await verifyAuditChain(store.db)).toMatchObject({ ok: false, seq: '2', problem: expect.stringMatching(/missing/) });
  });
});

describe('the audit log on PostgreSQL with several processes', () => {
  it('never forks the chain under concurrent writers, each in a store (pool) of its own', async () => {
    const store = await createTestStore('postgres');
    const others = await Promise.all([1, 2, 3].map(() => openStore({ databaseUrl: store.url! })));
    try {
      const writers = [store, ...others].map(async (s, w) => {
        for (let n = 0; n < 15; n++) {
          // Each append in a transaction that does more work after it, to hold the head's lock a while.
          await s.db.transaction().execute(async (trx) => {
            await recordAudit(trx, entry(w * 100 + n), entry(w * 100 + n + 50));
            await sql`SELECT pg_sleep(0.001)`.execute(trx);
          });
        }
      });
      await Promise.all(writers);
      expect(await verifyAuditChain(store.db)).toEqual({ ok: true, rows: 4 * 15 * 2 });
    } finally {
      await Promise.all(others.map((o) => o.close()));
      await store.close();
    }
  });
});
