// The first start of an installation creates its first admin, once, even when two processes start
// on one PostgreSQL at the same moment.
import { describe, expect, it } from 'vitest';
import { createTestDatabase, createTestStore, STORE_KINDS } from '../../test/support/test-store.ts';
import { openStore } from '../store/open-store.ts';
import { ensureFirstAdmin } from './first-admin.ts';
import { signInWithLink, signInWithPassword } from './sign-in.ts';

const clock = () => new Date();
const PASSWORD = 'first admin password';

describe.each(STORE_KINDS)('the first admin on %s', (kind) => {
  it('comes from SENDTRAIL_ADMIN_EMAIL and SENDTRAIL_ADMIN_PASSWORD when both are set, with no link', async () => {
    const store = await createTestStore(kind);
    try {
      const first = await ensureFirstAdmin(store.db, { email: 'Ops@Example.org', password: PASSWORD, clock });
      expect(first).toEqual({ email: 'ops@example.org' });
      const signedIn = await signInWithPassword({ db: store.db, clock }, { email: 'ops@example.org', password: PASSWORD, ip: '127.0.0.1' });
      expect(signedIn).toMatchObject({ kind: 'signed_in', user: { email: 'ops@example.org', role: 'admin' } });
      expect(await ensureFirstAdmin(store.db, { email: 'other@example.org', password: PASSWORD, clock })).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it('is admin@localhost without a password, with a one-time link, on the first start only', async () => {
    const store = await createTestStore(kind);
    try {
      const first = await ensureFirstAdmin(store.db, { clock });
      expect(first).toEqual({ email: 'admin@localhost', signInToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
      expect(await ensureFirstAdmin(store.db, { clock })).toBeUndefined();
      const deps = { db: store.db, clock };
      expect(await signInWithLink(deps, { token: first!.signInToken!, ip: '127.0.0.1' })).toMatchObject({ kind: 'signed_in', user: { email: 'admin@localhost', role: 'admin', hasPassword: false } });
      expect(await signInWithLink(deps, { token: first!.signInToken!, ip: '127.0.0.1' })).toEqual({ kind: 'refused' });
      const users = await store.db.selectFrom('users').selectAll().execute();
      expect(users).toHaveLength(1);
    } finally {
      await store.close();
    }
  });
});

describe('two processes starting at once on one PostgreSQL', () => {
  it('create one admin, whatever each was configured with', async () => {
    for (let round = 0; round < 5; round++) {
      const { url, drop } = await createTestDatabase();
      const [a, b] = [await openStore({ databaseUrl: url }), await openStore({ databaseUrl: url })];
      try {
        const results = await Promise.all([
          ensureFirstAdmin(a.db, { email: 'one@example.org', clock }),
          ensureFirstAdmin(b.db, { email: 'two@example.org', password: round % 2 ? PASSWORD : undefined, clock }),
        ]);
        expect(results.filter((r) => r !== undefined)).toHaveLength(1);
        expect(await a.db.selectFrom('users').select('email').execute()).toHaveLength(1);
      } finally {
        await a.close();
        await b.close();
        await drop();
      }
    }
  }, 120_000);
});
