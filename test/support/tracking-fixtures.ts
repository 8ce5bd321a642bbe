// Small factories for tracking tests: emails to hit, hits, and a stand-in classifier.
import type { Kysely } from 'kysely';
import type { Database } from '../../src/store/database.ts';
import { ensureDefaultProject } from '../../src/projects/default-project.ts';
import { submitEmails } from '../../src/sending/index.ts';
import { newId } from '../../src/shared/ids.ts';
import type { ClassifyHit } from '../../src/tracking/index.ts';
import type { RecordedHit } from '../../src/tracking/recorded-hit.ts';

/** Creates `count` emails in the default project and returns their ids. */
export async function createEmails(db: Kysely<Database>, count: number): Promise<{ projectId: string; emailIds: string[] }> {
  const { projectId } = await ensureDefaultProject(db);
  const to = Array.from({ length: count }, (_, i) => `person${i}@example.com`);
  const emailIds: string[] = [];
  for (let i = 0; i < to.length; i += 50) {
    const { data } = await submitEmails(db, projectId, { from: 'news@example.com', to: to.slice(i, i + 50), subject: 'Hi', html: '<p>hi</p>' });
    emailIds.push(...data.map((d) => d.id));
  }
  return { projectId, emailIds };
}

export function openHit(emailId: string, over: Partial<RecordedHit> = {}): RecordedHit {
  return { id: newId(), kind: 'open', emailId, ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)', ip: '203.0.113.7', method: 'GET', at: new Date(), ...over };
}

export function clickHit(emailId: string, url: string, over: Partial<RecordedHit> = {}): RecordedHit {
  return { ...openHit(emailId), kind: 'click', url, linkIndex: 0, ...over };
}

/**
 * A stand-in for the real classifier (tracking/classify, built separately): HEAD never counts, an
 * open after a counted one is coalesced, a counted click without a counted open back-fills one.
 */
export const simpleClassify: ClassifyHit = (hit, history) => {
  if (hit.method === 'HEAD') return { verdict: { counted: false, why: 'head_request' } };
  const countedOpen = history.hits.some((h) => h.kind === 'open' && h.counted);
  if (hit.kind === 'open') return countedOpen ? { verdict: { counted: false, why: 'coalesced' } } : { verdict: { counted: true } };
  return { verdict: { counted: true }, backfillOpen: !countedOpen };
};
