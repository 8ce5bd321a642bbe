// Owns running work in a transaction that may already be open: a use case that needs one joins its
// caller's (so an audit row, or anything else the caller writes, commits with it) or opens its own.
import type { Kysely } from 'kysely';
import type { Database } from './database.ts';

export function transact<T>(db: Kysely<Database>, work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}
