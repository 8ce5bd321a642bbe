// The way back in for a user who forgot their password (`sendtrail users link`), and what a
// password change, a reset and disabling take away: sessions and the links handed out before.
import { describe, expect, it } from 'vitest';
import { createTestStore, STORE_KINDS } from '../../test/support/test-store.ts';
import { changePassword } from './change-password.ts';
import { changeUser, createUser, newSignInLinkFor } from './manage-users.ts';
import { resolveSession } from './sessions.ts';
import { createSignInLink } from './sign-in-links.ts';
import { signInWithLink, signInWithPassword } from './sign-in.ts';

const clock = () => new Date();
const PASSWORD = 'the forgotten passphrase';
const ip = '127.0.0.1';

describe.each(STORE_KINDS)('managing users on %s', (kind) => {
  it('gives a user who forgot their password a link that signs them in to set a new one; the old password and sessions stop working', async () => {
    const store = await createTestStore(kind);
    try {
      const deps = { db: store.db, clock };
      await createUser(deps, { email: 'ann@example.org', role: 'admin', password: PASSWORD });
      const before = await signInWithPassword(deps, { email: 'ann@example.org', password: PASSWORD, ip });
      expect(before.kind).toBe('signed_in');

      const token = await newSignInLinkFor(deps, 'Ann@example.org');
      expect(await signInWithPassword(deps, { email: 'ann@example.org', password: PASSWORD, ip })).toEqual({ kind: 'refused' });
      if (before.kind === 'signed_in') expect(await resolveSession(store.db, before.token, clock)).toBeUndefined();

      const linked = await signInWithLink(deps, { token, ip });
      expect(linked).toMatchObject({ kind: 'signed_in', user: { hasPassword: false } });
      if (linked.kind !== 'signed_in') return;
      const newPassword = 'a new passphrase at last';
      expect(await changePassword(deps, { userId: linked.user.id, sessionId: linked.sessionId, newPassword, ip })).toEqual({ kind: 'changed' });
      expect((await signInWithPassword(deps, { email: 'ann@example.org', password: newPassword, ip })).kind).toBe('signed_in');
    } finally {
      await store.close();
    }
  });

  it('voids the links handed out before a reset: of two `users link` runs, only the second link works', async () => {
    const store = await createTestStore(kind);
    try {
      const deps = { db: store.db, clock };
      await createUser(deps, { email: 'cat@example.org', role: 'viewer', password: PASSWORD });
      const first = await newSignInLinkFor(deps, 'cat@example.org');
      const second = await newSignInLinkFor(deps, 'cat@example.org');
      expect(await signInWithLink(deps, { token: first, ip })).toEqual({ kind: 'refused' });
      expect((await signInWithLink(deps, { token: second, ip })).kind).toBe('signed_in');
    } finally {
      await store.close();
    }
  });

  it('ends the other sessions and voids unused links when a user changes their password, and keeps the session that changed it', async () => {
    const store = await createTestStore(kind);
    try {
      const deps = { db: store.db, clock };
      const { user } = await createUser(deps, { email: 'dan@example.org', role: 'admin', password: PASSWORD });
      const here = await signInWithPassword(deps, { email: 'dan@example.org', password: PASSWORD, ip });
      const elsewhere = await signInWithPassword(deps, { email: 'dan@example.org', password: PASSWORD, ip: '198.51.100.1' });
      if (here.kind !== 'signed_in' || elsewhere.kind !== 'signed_in') throw new Error('not signed in');
      // A link someone was handed before the change (links are made only for users without a
      // password today; made here directly, so that the change alone is what voids it).
      const leftover = await createSignInLink(store.db, user.id, clock);

      const newPassword = 'a brand new passphrase';
      expect(await changePassword(deps, { userId: user.id, sessionId: here.sessionId, currentPassword: PASSWORD, newPassword, ip })).toEqual({ kind: 'changed' });
      expect(await resolveSession(store.db, here.token, clock)).toMatchObject({ userId: user.id });
      expect(await resolveSession(store.db, elsewhere.token, clock)).toBeUndefined();
      expect(await signInWithLink(deps, { token: leftover, ip })).toEqual({ kind: 'refused' });
    } finally {
      await store.close();
    }
  });

  it('ends every session of a user when they are disabled', async () => {
    const store = await createTestStore(kind);
    try {
      const deps = { db: store.db, clock };
      await createUser(deps, { email: 'root@example.org', role: 'admin', password: PASSWORD });
      const { user } = await createUser(deps, { email: 'eve@example.org', role: 'viewer', password: PASSWORD });
      const session = await signInWithPassword(deps, { email: 'eve@example.org', password: PASSWORD, ip });
      if (session.kind !== 'signed_in') throw new Error('not signed in');
      await changeUser(deps, user.id, { disabled: true });
      expect(await resolveSession(store.db, session.token, clock)).toBeUndefined();
      expect(await store.db.selectFrom('sessions').select('id').where('user_id', '=', user.id).execute()).toEqual([]);
      // Enabled again, the old session stays ended.
      await changeUser(deps, user.id, { disabled: false });
      expect(await resolveSession(store.db, session.token, clock)).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it('voids a disabled user\'s unused links: enabling them again does not revive one', async () => {
    const store = await createTestStore(kind);
    try {
      const deps = { db: store.db, clock };
      await createUser(deps, { email: 'root@example.org', role: 'admin', password: PASSWORD });
      const { user, signInToken } = await createUser(deps, { email: 'bob@example.org', role: 'viewer' });
      await changeUser(deps, user.id, { disabled: true });
      await changeUser(deps, user.id, { disabled: false });
      expect(await signInWithLink(deps, { token: signInToken!, ip })).toEqual({ kind: 'refused' });
      const fresh = await newSignInLinkFor(deps, 'bob@example.org');
      expect((await signInWithLink(deps, { token: fresh, ip })).kind).toBe('signed_in');
    } finally {
      await store.close();
    }
  });
});
