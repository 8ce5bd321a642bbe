// The response of GET /v1/campaigns/:id/stats, for validation of our own output and the OpenAPI document.
import { Type } from '@sinclair/typebox';

const Int = Type.Integer({ minimum: 0 });
// Each rate's description opens with its formula over fields of this same response, so a client
// can recompute it (campaign-stats.test.ts evaluates every formula against the answer).
const SENT = '(counts.sent + counts.delivered + counts.bounced)';
const rate = (formula: string, meaning: string) =>
  Type.Union([Type.Number({ minimum: 0 }), Type.Null()], { description: `${formula}: ${meaning} A fraction (0.25 = 25 %); null when the denominator is zero.` });
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
  rates: Type.Object(
    {
      delivery: rate(
        `counts.delivered / ${SENT}`,
        "of the emails handed to a mail server (sent, whatever happened next), those the recipient's server accepted. " +
          "Through a relay (SMTP_URL) an email stays `sent` until the relay's delivery report says it was delivered.",
      ),
      open: rate(
        'engagement.opens.unique / counts.delivered',
        'delivered emails opened by a person at least once. A lower bound: privacy proxies (Apple Mail Privacy Protection, image caches) hide some real opens, and machine fetches are not counted.',
      ),
      click_to_open: rate('engagement.clicks.unique / engagement.opens.unique', 'clickers among openers (a counted click also counts its email as opened).'),
      click_through: rate('engagement.clicks.unique / counts.delivered', 'delivered emails with a counted click.'),
      reply: rate('engagement.replies.repliers / counts.delivered', 'delivered emails with a human reply (auto-replies are not counted).'),
      bounce: rate(`engagement.bounces.total / ${SENT}`, 'emails handed to a mail server that bounced, at once or later.'),
      bounce_hard: rate(`engagement.bounces.hard / ${SENT}`, 'the permanent bounces among them (unknown user, no such domain ...).'),
      bounce_soft: rate(`engagement.bounces.soft / ${SENT}`, 'the temporary ones that ran out of retries (mailbox full ...).'),
      complaint: rate('engagement.complaints / counts.delivered', 'delivered emails reported as spam.'),
      unsubscribe: rate('engagement.unsubscribes / counts.delivered', 'delivered emails whose recipient unsubscribed.'),
    },
    { description: 'Each rate names its numerator and denominator, fields of this response.' },
  ),
  notes: Type.Array(Type.String()),
});
