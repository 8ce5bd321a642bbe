// The responses of GET /v1/campaigns/:id/stats and /links, for validation of our own output and the OpenAPI document.
import { Type } from '@sinclair/typebox';
import { campaignRollupProperties, RatesOf } from './stats.schema.ts';

export { CampaignLinksResponse } from './stats.schema.ts';

const Int = Type.Integer({ minimum: 0 });
// Each rate's description opens with its formula over fields of this same response, so a client
// can recompute it (campaign-stats.test.ts evaluates every formula against the answer).
const SENT = '(counts.sent + counts.delivered + counts.bounced)';
const ByReason = Type.Record(Type.String(), Int, { description: "Uncounted hits by the classifier's `why`." });

export const CampaignStatsResponse = Type.Object({
  campaign_id: Type.String(),
  status: Type.String(),
  recipient_count: Int,
  preparing: Int,
  counts: Type.Record(Type.String(), Int, { description: "The campaign's emails per current status, exact at once; total = all of them." }),
  engagement: Type.Object(
    {
      opens: Type.Object({ unique: Int, total: Int, backfilled: Int }, { description: 'Counted opens (people); unique = emails opened.' }),
      clicks: Type.Object({ unique: Int, total: Int }, { description: 'Counted clicks (people); unique = emails with a click.' }),
      machine: Type.Object({ opens: ByReason, clicks: ByReason }, { description: 'Machine traffic: Apple MPP, proxies, scanners, gateways.' }),
      coalesced: Type.Object({ opens: Int, clicks: Int }, { description: "A person's repeats within the coalescing window." }),
      replies: Type.Object({ human: Int, repliers: Int, auto: Int }),
      complaints: Int,
      unsubscribes: Int,
      bounces: Type.Object({ total: Int, hard: Int, soft: Int }),
    },
    { description: "Over the campaign's whole life, from the rollups." },
  ),
  rates: RatesOf(
    {
      delivery: `counts.delivered / ${SENT}`,
      open: 'engagement.opens.unique / counts.delivered',
      click_to_open: 'engagement.clicks.unique / engagement.opens.unique',
      click_through: 'engagement.clicks.unique / counts.delivered',
      reply: 'engagement.replies.repliers / counts.delivered',
      bounce: `engagement.bounces.total / ${SENT}`,
      bounce_hard: `engagement.bounces.hard / ${SENT}`,
      bounce_soft: `engagement.bounces.soft / ${SENT}`,
      complaint: 'engagement.complaints / counts.delivered',
      unsubscribe: 'engagement.unsubscribes / counts.delivered',
    },
    'Each rate names its numerator and denominator, fields of this response. Through a relay (SMTP_URL) an email stays `sent` until the relay\'s delivery report says it was delivered.',
  ),
  ...campaignRollupProperties,
  notes: Type.Array(Type.String()),
});
