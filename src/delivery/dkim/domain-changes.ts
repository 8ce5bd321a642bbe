// Telling every worker that a project's domain was added or removed, so that its signer reads the
// key now rather than when its cached answer ("no key", or the old key) expires. On PostgreSQL the
// API and the workers may be different processes: the notice is a NOTIFY, like the queue's wake-ups.
import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.ts';
import { notify, type Notifier } from '../../store/open-store.ts';
import type { DkimSigner } from './dkim-signer.ts';

export const DOMAINS_CHANNEL = 'sendtrail_domains';

export async function announceDomainChange(db: Kysely<Database>, projectId: string, domain: string): Promise<void> {
  await notify(db, DOMAINS_CHANNEL, `${projectId} ${domain}`);
}

/**
 * Makes `signer` forget what it cached about an announced domain. A lost notice (a dropped LISTEN
 * connection) costs only the wait: cached answers expire by themselves (dkim-signer.ts).
 */
export async function watchDomainChanges(notifier: Notifier, signer: DkimSigner): Promise<() => Promise<void>> {
  return notifier.listen(DOMAINS_CHANNEL, (payload) => {
    const [projectId, domain] = payload.split(' ');
    if (projectId && domain) signer.forget(projectId, domain);
  });
}
