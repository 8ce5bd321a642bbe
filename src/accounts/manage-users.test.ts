// The way back in for a user who forgot their password (`sendtrail users link`), and what disabling
// takes away: sessions and the links handed out before.
import { describe, expect, it } from 'vitest';
import { createTestStore, STORE_KINDS } from '../../test/support/test-store.ts';
import { changePassword } from './change-password.ts';
import { changeUser, createUser, newSignInLinkFor } from './manage-users.ts';
import { resolveSession } from './sessions.ts';
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
