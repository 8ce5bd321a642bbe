// Response schemas of the rollup stats (GET /v1/stats, and the series and providers of a campaign's
// stats), for validation of our own output and the OpenAPI document.
import { Type, type TProperties, type TSchema } from '@sinclair/typebox';
import { MAX_CLIENT_ROWS, MAX_GROUPS, type RateName } from '../../analytics/index.ts';

const Int = Type.Integer({ minimum: 0 });
const counters = (names: Record<string, string>) =>
  Type.Object(Object.fromEntries(Object.entries(names).map(([name, description]) => [name, Type.Integer({ minimum: 0, description })])));

/** What each rate means, after its formula. */
export const RATE_MEANINGS: Record<RateName, string> = {
  delivery: "of the emails handed to a mail server (whatever happened next), those the recipient's server accepted.",
  open:
    'delivered emails opened by a person at least once. A lower bound: privacy proxies (Apple Mail Privacy Protection, image caches) hide some real opens, and machine fetches are not counted.',
  click_to_open: 'clickers among openers (a counted click also counts its email as opened).',
  click_through: 'delivered emails with a counted click.',
  reply: 'delivered emails with a human reply (auto-replies are not counted).',
  bounce: 'emails handed to a mail server that bounced, at once or later.',
  bounce_hard: 'the permanent bounces among them (unknown user, no such domain ...).',
  bounce_soft: 'the temporary ones that ran out of retries (mailbox full ...).',
  complaint: 'delivered emails reported as spam.',
  unsubscribe: 'delivered emails whose recipient unsubscribed.',
};

/** A rate whose description opens with its formula over fields of the same response. */
export const rate = (formula: string, meaning: string) =>
  Type.Union([Type.Number({ minimum: 0 }), Type.Null()], { description: `${formula}: ${meaning} A fraction (0.25 = 25 %); null when the denominator is zero.` });

export const RatesOf = (formulas: Record<RateName, string>, description: string) =>
  Type.Object(
    Object.fromEntries(Object.entries(formulas).map(([name, formula]) => [name, rate(formula, RATE_MEANINGS[name as RateName])])) as Record<RateName, ReturnType<typeof rate>>,
    { description },
  );

const ByReason = Type.Record(Type.String(), Int, {
  description: "Hits not counted, by the classifier's `why` (apple_mpp, proxy_prefetch, scanner, network, prefetch_window, burst, honeypot, head_request, prefetch_header, gateway_taint, rescan ...).",
});

// What each counter means, by group: the totals show one number each, a series a column of them.
const COUNTER_MEANINGS = {
  emails: {
    accepted: 'Emails accepted (queued or scheduled).',
    sent: 'Emails handed to a mail server: a first `sent`, or a bounce at the SMTP transaction (an attempt all the same).',
    delivered: "Emails the recipient's server accepted.",
    hard_bounced: 'Emails that bounced permanently.',
    soft_bounced: 'Emails that bounced for good after temporary failures (retries ran out).',
    rejected: 'Emails refused before sending (suppressed recipient, missing template field ...).',
    failed: 'Emails that could not be sent for a reason of our own (a message that could not be built ...).',
    cancelled: 'Emails cancelled before sending.',
  },
  events: {
    deferrals: 'Delivery attempts deferred (`delivery_delayed` events).',
    opens: 'Counted opens: by people, back-filled ones included.',
    backfilled_opens: 'Opens inferred from a click on an email whose open was not seen (images off, or a proxy).',
    clicks: 'Counted clicks: by people.',
    replies: 'Human replies.',
    auto_replies: 'Automatic replies (out of office, vacation ...): not counted as replies.',
  },
  people: {
    openers: 'Emails with a counted open, each once, at its first.',
    clickers: 'Emails with a counted click, each once, at its first.',
    repliers: 'Emails with a human reply, each once, at its first.',
    complainers: 'Emails reported as spam, each once.',
    unsubscribers: 'Emails whose recipient unsubscribed, each once.',
  },
  machine: {
    opens: 'Opens by machines: Apple MPP, image proxies, scanners, security gateways (by why in totals: machine_by_why).',
    clicks: 'Clicks by machines: link scanners, security gateways (by why in totals: machine_by_why).',
  },
  coalesced: {
    opens: "A person's repeated opens within the coalescing window: theirs, not a machine's, but not counted again.",
    clicks: "A person's repeated clicks within the coalescing window.",
  },
} as const;

const GROUP_MEANINGS: Record<keyof typeof COUNTER_MEANINGS, string | undefined> = {
  emails: undefined,
  events: undefined,
  people: undefined,
  machine: 'Machine traffic, beside the people above: opens and clicks by Apple MPP, image proxies, link scanners, security gateways.',
  coalesced: "A person's repeats within the coalescing window: theirs, not a machine's, but not counted again.",
};

const RATE_FORMULAS: Record<RateName, string> = {
  delivery: 'emails.delivered / emails.sent',
  open: 'people.openers / emails.delivered',
  click_to_open: 'people.clickers / people.openers',
  click_through: 'people.clickers / emails.delivered',
  reply: 'people.repliers / emails.delivered',
  bounce: '(emails.hard_bounced + emails.soft_bounced) / emails.sent',
  bounce_hard: 'emails.hard_bounced / emails.sent',
  bounce_soft: 'emails.soft_bounced / emails.sent',
  complaint: 'people.complainers / emails.delivered',
  unsubscribe: 'people.unsubscribers / emails.delivered',
};

const groupsOf = (leaf: (description: string) => TSchema) =>
  Object.fromEntries(
    Object.entries(COUNTER_MEANINGS).map(([group, names]) => [
      group,
      Type.Object(Object.fromEntries(Object.entries(names).map(([name, description]) => [name, leaf(description)])), GROUP_MEANINGS[group as keyof typeof COUNTER_MEANINGS] ? { description: GROUP_MEANINGS[group as keyof typeof COUNTER_MEANINGS] } : {}),
    ]),
  );

const aggregateProperties = {
  ...groupsOf((description) => Type.Integer({ minimum: 0, description })),
  rates: RatesOf(RATE_FORMULAS, 'Each rate names its numerator and denominator, fields of this same object.'),
} satisfies TProperties;

export const StatsAggregate = Type.Object(aggregateProperties);

const totalsProperties = {
  ...aggregateProperties,
  machine_by_why: Type.Object({ opens: ByReason, clicks: ByReason }, { description: 'The machine opens and clicks above, by the classifier\'s why.' }),
} satisfies TProperties;

export const StatsTotals = Type.Object(totalsProperties);

export const StatsSeries = Type.Object(
  {
    start: Type.Array(Type.String({ format: 'date-time' }), { description: "Each bucket's start, at the time zone's offset then (2025-03-09T00:00:00-05:00)." }),
    ...groupsOf((description) => Type.Array(Int, { description: `${description} One value per bucket.` })),
    rates: Type.Object(
      Object.fromEntries(
        Object.entries(RATE_FORMULAS).map(([name, formula]) => [
          name,
          Type.Array(Type.Union([Type.Number({ minimum: 0 }), Type.Null()]), {
            description: `${formula}, per bucket: ${RATE_MEANINGS[name as RateName]} A fraction; null where the denominator is zero.`,
          }),
        ]),
      ),
      {
        description:
          "Each rate of each bucket divides what happened in that bucket (an email delivered on Monday and first opened on Tuesday counts in each day), so a bucket's rate may pass 1.",
      },
    ),
  },
  {
    description:
      'The time series as columns: `start` lists the buckets, empty ones included, and every counter and rate is an array of the same length, a value per bucket (the shape chart libraries take). Each counter column sums to its total.',
  },
);

export const Period = Type.Object(
  {
    from: Type.String({ format: 'date-time' }),
    to: Type.String({ format: 'date-time' }),
    granularity: Type.Union([Type.Literal('hour'), Type.Literal('day')]),
    tz: Type.String(),
  },
  { description: 'The period answered: from and to widened to whole buckets, [from, to).' },
);

const Nullable = (description: string) => Type.Union([Type.String(), Type.Null()], { description });

export const StatsResponse = Type.Object({
  period: Period,
  filters: Type.Object({
    campaign_id: Nullable('The nil uuid 00000000-0000-0000-0000-000000000000 stands for emails of no campaign.'),
    tag: Nullable('Emails with this tag.'),
    provider: Nullable("The recipient's mailbox provider."),
    sending_domain: Nullable("The From address's domain."),
  }),
  group_by: Type.Union([Type.Literal('campaign'), Type.Literal('tag'), Type.Literal('provider'), Type.Literal('sending_domain'), Type.Null()]),
  totals: StatsTotals,
  series: StatsSeries,
  groups: Type.Optional(
    Type.Array(
      Type.Object({
        key: Nullable('The campaign id, tag, provider or sending domain; null for the rest.'),
        keys: Type.Integer({ minimum: 0, description: 'Keys summed in this group: 1, or for the rest, how many.' }),
        totals: StatsTotals,
        series: StatsSeries,
      }),
      { description: `With group_by: the ${MAX_GROUPS} groups with the most emails sent in the period (then accepted), in that order, and the rest summed as one group of key null.` },
    ),
  ),
  notes: Type.Array(Type.String()),
});

const ClientCounts = Type.Array(
  Type.Object({ client: Type.String(), os: Type.String(), device: Type.String({ description: 'desktop, mobile, tablet or unknown' }), count: Int }),
  { description: `The ${MAX_CLIENT_ROWS} most frequent (client, OS, device), most hits first.` },
);

/** What a campaign's stats add from the rollups. */
export const campaignRollupProperties = {
  period: Period,
  series: Type.Composite([StatsSeries], {
    description: "Over the period. By default the campaign's whole life, from its creation to now: in hours while that is at most 3 days, else in days (at most 2,200 buckets: the latest are kept).",
  }),
  providers: Type.Array(Type.Object({ provider: Type.String(), ...totalsProperties }), {
    description: "Per recipient mailbox provider (gmail, microsoft, yahoo, apple, other), over the campaign's whole life. Rates divide the rollups' own sent and delivered.",
  }),
  clients: Type.Object(
    { opens: ClientCounts, clicks: ClientCounts },
    { description: 'Counted opens and clicks by the mail app or browser that made them, its OS and device type.' },
  ),
} satisfies TProperties;

export const CampaignLinksResponse = Type.Object({
  campaign_id: Type.String(),
  data: Type.Array(
    Type.Object({
      index: Type.Integer({ minimum: 0, description: "The link's place in the campaign's HTML." }),
      url: Type.String(),
      unique: Type.Integer({ minimum: 0, description: 'Emails with a counted click on this link.' }),
      total: Type.Integer({ minimum: 0, description: 'Counted clicks on this link.' }),
    }),
    { description: 'Every link clicked at least once, most clicked first.' },
  ),
});
