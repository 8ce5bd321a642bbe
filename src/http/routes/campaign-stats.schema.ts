// The response of GET /v1/campaigns/:id/stats, for validation of our own output and the OpenAPI document.
import { Type } from '@sinclair/typebox';

const Int = Type.Integer({ minimum: 0 });
const Rate = Type.Union([Type.Number({ minimum: 0 }), Type.Null()], { description: 'A fraction (0.25 = 25 %); null when its denominator is zero.' });
const ByReason = Type.Record(Type.String(), Int, { description: "Uncounted hits by the classifier's `why`." });

export const CampaignStatsResponse = Type.Object({
  campaign_id: Type.String(),
  status: Type.String(),
  recipient_count: Int,
  preparing: Int,
  counts: Type.Record(Type.String(), Int),
  engagement: Type.Object({
    opens: Type.Object({ unique: Int, total: Int, backfilled: Int }, { description: 'Counted opens (people); unique = emails opened.' }),
    clicks: Type.Object({ unique: Int, total: Int }, { description: 'Counted clicks (people); unique = emails with a click.' }),
    machine: Type.Object({ opens: ByReason, clicks: ByReason }, { description: 'Machine traffic: Apple MPP, proxies, scanners, gateways.' }),
    coalesced: Type.Object({ opens: Int, clicks: Int }, { description: "A person's repeats within the coalescing window." }),
    replies: Type.Object({ human: Int, repliers: Int, auto: Int }),
    complaints: Int,
    unsubscribes: Int,
    bounces: Type.Object({ total: Int, hard: Int, soft: Int }),
  }),
  rates: Type.Object({
    delivery: Rate, open: Rate, click_to_open: Rate, click_through: Rate, reply: Rate,
    bounce: Rate, bounce_hard: Rate, bounce_soft: Rate, complaint: Rate, unsubscribe: Rate,
  }),
  notes: Type.Array(Type.String()),
});
