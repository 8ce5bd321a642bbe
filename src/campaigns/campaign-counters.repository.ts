// A campaign's counters (migration 008): emails per status and engagement, kept by triggers in the
// transaction of every write, so stats are one indexed read however many emails and events exist.
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';

export type EngagementRow = {
  openers: number; opens: number; backfilled_opens: number;
  clickers: number; clicks: number;
  repliers: number; replies: number; auto_replies: number;
  complainers: number; unsubscribers: number;
  bounced: number; hard_bounced: number;
};

const ENGAGEMENT_COUNTERS: ReadonlyArray<keyof EngagementRow> = [
  'openers', 'opens', 'backfilled_opens', 'clickers', 'clicks', 'repliers', 'replies', 'auto_replies',
  'complainers', 'unsubscribers', 'bounced', 'hard_bounced',
];

export type CampaignCounters = {
  byStatus: Map<string, number>;
  engagement: EngagementRow;
  /** Opens and clicks stored but not counted, by the classifier's `why` (apple_mpp, scanner, coalesced ...). */
  uncounted: Array<{ kind: 'open' | 'click'; why: string; n: number }>;
};

export async function readCampaignCounters(db: Kysely<Database>, campaignId: string): Promise<CampaignCounters> {
  const rows = await db.selectFrom('campaign_counters').select(['counter', 'n']).where('campaign_id', '=', campaignId).where('n', '<>', 0).execute();
  const byStatus = new Map<string, number>();
  const named = new Map<string, number>();
  const uncounted: CampaignCounters['uncounted'] = [];
  for (const { counter, n } of rows) {
    const [head, kind, ...why] = counter.split(':');
    if (head === 'status' && kind) byStatus.set(kind, Number(n));
    else if (head === 'uncounted' && (kind === 'open' || kind === 'click')) uncounted.push({ kind, why: why.join(':'), n: Number(n) });
    else named.set(counter, Number(n));
  }
  const engagement = Object.fromEntries(ENGAGEMENT_COUNTERS.map((k) => [k, named.get(k) ?? 0])) as EngagementRow;
  return { byStatus, engagement, uncounted };
}
