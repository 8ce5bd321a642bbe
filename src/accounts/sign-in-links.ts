// One-time sign-in links: how a user without a password (the first admin, a user created without
// one) signs in. The token travels in the URL's fragment, which browsers never send to a server,
// so it reaches no access log; the dashboard posts it to POST /v1/session/link.
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import type { Clock } from './clock.ts';
import { hashSecretToken, newSecretToken } from './secret-tokens.ts';
import { insertSignInLink, markSignInLinkUsed } from './sign-in-links.repository.ts';

export const SIGN_IN_LINK_TTL_MS = 24 * 3_600_000;

export async function createSignInLink(db: Kysely<Database>, userId: string, clock: Clock): Promise<string> {
  const token = newSecretToken();
  const now = clock();
  await insertSignInLink(db, { token_hash: hashSecretToken(token), user_id: userId, created_at: now, expires_at: new Date(now.getTime() + SIGN_IN_LINK_TTL_MS) });
  return token;
}

/** The user a link signs in, once; undefined for an unknown, used or expired link. */
export function redeemSignInLink(db: Kysely<Database>, token: string, clock: Clock): Promise<string | undefined> {
  return markSignInLinkUsed(db, hashSecretToken(token), clock());
}

export function signInLinkUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/sign-in#link=${token}`;
}
