// Password hashing (argon2id), and refusing a password that breaks the policy.
import { hash, verify } from '@node-rs/argon2';
import { AppError } from '../shared/app-error.ts';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './password-policy.ts';

// @node-rs/argon2's defaults are argon2id, v1.3, m=19456 KiB, t=2, p=1: the first of OWASP's
// recommended configurations (Password Storage Cheat Sheet). They are stored in each hash, so a
// later change of parameters still verifies old hashes.

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

/**
 * Verified instead when there is no hash to check (unknown email, user without a password), so
 * that the answer takes as long as a real verification and its timing does not tell whether an
 * address has an account. Same parameters as hashPassword's (the hash of 32 random bytes, thrown
 * away). A constant, so even the first such request takes no longer than the others.
 */
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$18S5H9namQnXApa5m8mjMQ$yMQ5lSxFW2pXLnt9KVzVMr+9RqKeLJ65iRQV/hrHg8c';

export async function verifyPassword(storedHash: string | null | undefined, password: string): Promise<boolean> {
  if (!storedHash) {
    await verify(DUMMY_HASH, password).catch(() => false);
    return false;
  }
  return verify(storedHash, password).catch(() => false);
}

export function assertPasswordAllowed(password: string): void {
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    throw new AppError('password_too_short', `A password needs at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw new AppError('validation_error', `A password has at most ${MAX_PASSWORD_LENGTH} characters`);
  }
}
