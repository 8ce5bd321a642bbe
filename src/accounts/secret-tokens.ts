// Bearer secrets handed to a browser (session cookies, sign-in links): random, stored only hashed.
import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes, base64url: 256 bits, so a plain SHA-256 of it cannot be reversed by guessing. */
export const newSecretToken = (): string => randomBytes(32).toString('base64url');

export const hashSecretToken = (token: string): string => createHash('sha256').update(token).digest('hex');
