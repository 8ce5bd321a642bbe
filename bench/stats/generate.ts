// One project's 30 days of mail, generated in bulk by SQL (not sent): about ten campaigns of 9 % of
// the emails each, sent over an hour every three days, and 10 % transactional emails spread over the
// month, each with its life as events (queued, sent, delivered or a bounce, deferrals, opens and
// clicks by people, Apple's prefetch and mail gateways, replies, complaints, unsubscribes), about 5
// per email. Events are written to the log in the order they happened, in transactions of 50,000,
// as a month of traffic would have left it: each batch of the rollups then meets emails whose other
// events are spread over the log, not all of an email's events at once.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { v7 } from 'uuid';
import type { Database } from '../../src/store/database.ts';
import {
  CAMPAIGN_FROM, CAMPAIGN_TAGS, CLICK_UAS, COMPANY_PROVIDERS, LINKS_PER_EMAIL, MPP_UA, OPEN_UAS, RATES, RECIPIENT_DOMAINS,
  SCANNER_UA, TRANSACTIONAL_FROM, TRANSACTIONAL_TAGS, linkUrl, type DomainKind,
} from './traffic.ts';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
export const PERIOD_DAYS = 30;
const CAMPAIGNS = 10;
const CAMPAIGN_SHARE = 0.09;
/** Emails per generating statement (about 100,000 events). */
const EMAIL_CHUNK = 20_000;
/** Events per transaction when they are moved into the log in time order. */
const LOG_CHUNK = 50_000;
const STAGING = 'bench_stats_staging';

export type GeneratedCampaign = { id: string; name: string; createdAt: Date; emails: number };
export type Generated = {
  campaigns: GeneratedCampaign[];
  emails: number;
  events: number;
  /** Wall seconds: emails and their events computed (staged), events written to the log, VACUUM ANALYZE. */
  seconds: { emails: number; log: number; vacuum: number };
};

type Segment = {
  name: string;
  campaignId: string | null;
  size: number;
  from: string;
  /** Queued and first-attempt times of the segment's email j. */
  queuedAt: (j: RawBuilder<unknown>) => RawBuilder<unknown>;
  sentAt: RawBuilder<unknown>;
  tags: RawBuilder<unknown>;
  urls: string[];
};

export async function generate(db: Kysely<Database>, projectId: string, emails: number, log: (msg: string) => void): Promise<Generated> {
  // One connection, with PostgreSQL's JIT off for it alone: it compiles each of these large
  // statements anew, which made generating take five times as long. The measurements run with the
  // server's settings.
  return db.connection().execute(async (conn) => {
    await sql`SET jit = off`.execute(conn);
    try {
      return await generateOn(conn, projectId, emails, log);
    } finally {
      await sql`RESET jit`.execute(conn);
    }
  });
}

async function generateOn(db: Kysely<Database>, projectId: string, emails: number, log: (msg: string) => void): Promise<Generated> {
  const now = Date.now();
  // The month starts at a whole hour, as a 30-day hourly query's first bucket does.
  const t0 = Math.floor((now - PERIOD_DAYS * DAY_MS) / HOUR_MS) * HOUR_MS;
  const perCampaign = Math.round(emails * CAMPAIGN_SHARE);
  const campaigns: GeneratedCampaign[] = [];
  const segments: Segment[] = [];
  for (let c = 0; c < CAMPAIGNS; c++) {
    // Every third day at 08:00 after the start; the last one is less than three days old.
    const createdAt = new Date(t0 + c * 3 * DAY_MS + 8 * HOUR_MS);
    const id = v7({ msecs: createdAt.getTime() });
    const name = `Campaign ${c + 1}`;
    const tags = CAMPAIGN_TAGS[c % CAMPAIGN_TAGS.length]!;
    const from = CAMPAIGN_FROM[c % CAMPAIGN_FROM.length]!;
    const urls = Array.from({ length: LINKS_PER_EMAIL }, (_, l) => linkUrl(`c${c + 1}`, l));
    await db.insertInto('campaigns').values({
      id, project_id: projectId, name, from_address: from, subject: `${name}: new this week`,
      html: `<p>Hello {{data.first}}</p>${urls.map((u, l) => `<p><a href="${u}">Link ${l + 1}</a></p>`).join('')}`,
      tags: JSON.stringify(tags), track_opens: true, track_clicks: true, status: 'sending', recipient_count: perCampaign, created_at: createdAt, updated_at: createdAt,
    }).execute();
    campaigns.push({ id, name, createdAt, emails: perCampaign });
    const start = createdAt.toISOString();
    segments.push({
      name, campaignId: id, size: perCampaign, from, urls,
      // Expanded into emails within a minute, sent over the following hour.
      queuedAt: (j) => sql`${start}::timestamptz + make_interval(secs => ${j} * 0.0006)`,
      sentAt: sql`${start}::timestamptz + make_interval(secs => 60 + e.j * ${3600 / perCampaign}::float8)`,
      tags: sql`${JSON.stringify(tags)}::jsonb`,
    });
  }
  const transactional = emails - CAMPAIGNS * perCampaign;
  const span = (now - 10 * 60_000 - t0) / 1000;
  const txTags = sql.join(
    cumulative(TRANSACTIONAL_TAGS.map((t) => t.share)).map((c, i) => sql`WHEN f2.u_tag < ${c}::float8 THEN ${JSON.stringify(TRANSACTIONAL_TAGS[i]!.tags)}::jsonb`),
    sql` `,
  );
  const txUrls = Array.from({ length: LINKS_PER_EMAIL }, (_, l) => linkUrl('transactional', l));
  segments.push({
    name: 'transactional', campaignId: null, size: transactional, from: TRANSACTIONAL_FROM, urls: txUrls,
    queuedAt: (j) => sql`${new Date(t0).toISOString()}::timestamptz + make_interval(secs => ${j} * ${span / Math.max(1, transactional)}::float8)`,
    sentAt: sql`e.q + interval '400 milliseconds'`,
    tags: sql`CASE ${txTags} END`,
  });

  await db.insertInto('mailbox_providers').values(COMPANY_PROVIDERS.map((p) => ({ domain: p.domain, provider: p.provider, mx: p.mx }))).onConflict((oc) => oc.doNothing()).execute();
  await sql.raw(`DROP TABLE IF EXISTS ${STAGING}`).execute(db);
  await sql.raw(`CREATE UNLOGGED TABLE ${STAGING} (seq bigint GENERATED ALWAYS AS IDENTITY, email_id uuid NOT NULL, event_type text NOT NULL, metadata jsonb NOT NULL, created_at timestamptz NOT NULL, hit_id text)`).execute(db);

  let started = performance.now();
  let done = 0;
  for (const seg of segments) {
    for (let a = 0; a < seg.size; a += EMAIL_CHUNK) {
      const b = Math.min(seg.size, a + EMAIL_CHUNK) - 1;
      await chunkStatement(projectId, seg, a, b, new Date(now)).execute(db);
      done += b - a + 1;
      if (done % (EMAIL_CHUNK * 10) === 0 || done === emails) log(`generated ${done.toLocaleString('en-US')} of ${emails.toLocaleString('en-US')} emails (${seconds(started)} s)`);
    }
  }
  await sql.raw(`CREATE INDEX ${STAGING}_order ON ${STAGING} (created_at, seq)`).execute(db);
  const emailsS = seconds(started);

  started = performance.now();
  const staged = Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(STAGING)}`.execute(db)).rows[0]!.n);
  let after = { t: '-infinity', seq: 0 };
  let events = 0;
  for (;;) {
    const { rows } = await sql<{ n: number; t: string; seq: number }>`
      WITH chunk AS MATERIALIZED (
        SELECT * FROM ${sql.table(STAGING)} WHERE (created_at, seq) > (${after.t}::timestamptz, ${after.seq}::bigint)
        ORDER BY created_at, seq LIMIT ${LOG_CHUNK}
      ), appended AS (
        INSERT INTO events (project_id, email_id, event_type, metadata, created_at, hit_id)
        SELECT ${projectId}::uuid, email_id, event_type, metadata, created_at, hit_id FROM chunk ORDER BY created_at, seq
        RETURNING 1
      )
      SELECT (SELECT count(*) FROM appended)::int AS n, c.created_at::text AS t, c.seq::bigint AS seq
      FROM chunk c ORDER BY c.created_at DESC, c.seq DESC LIMIT 1
    `.execute(db);
    const last = rows[0];
    if (!last) break;
    events += Number(last.n);
    after = { t: last.t, seq: Number(last.seq) };
    if (events % (LOG_CHUNK * 20) === 0) log(`wrote ${events.toLocaleString('en-US')} of ${staged.toLocaleString('en-US')} events to the log (${seconds(started)} s)`);
  }
  if (events !== staged) throw new Error(`staged ${staged} events but wrote ${events}`);
  await sql.raw(`DROP TABLE ${STAGING}`).execute(db);
  const logS = seconds(started);

  started = performance.now();
  await sql`VACUUM (ANALYZE)`.execute(db);
  return { campaigns, emails, events, seconds: { emails: emailsS, log: logS, vacuum: seconds(started) } };
}

const seconds = (since: number) => Number(((performance.now() - since) / 1000).toFixed(1));

function cumulative(shares: readonly number[]): number[] {
  let sum = 0;
  return shares.map((s) => (sum += s));
}

/** `CASE WHEN u < c1 THEN v1 ... ELSE vn END` over cumulative shares. */
function pick(u: RawBuilder<unknown>, shares: readonly number[], values: readonly RawBuilder<unknown>[]): RawBuilder<unknown> {
  const bounds = cumulative(shares);
  const whens = values.slice(0, -1).map((v, i) => sql`WHEN ${u} < ${bounds[i]!}::float8 THEN ${v}`);
  return sql`CASE ${sql.join(whens, sql` `)} ELSE ${values.at(-1)!} END`;
}

const KINDS: readonly DomainKind[] = ['gmail', 'microsoft', 'yahoo', 'apple', 'company'];
const uasByKind = (uas: Record<DomainKind, readonly string[]>) =>
  sql`CASE e.kind ${sql.join(KINDS.map((k) => sql`WHEN ${k} THEN ${uas[k]}::text[]`), sql` `)} END`;

/**
 * One statement: emails a..b of a segment (with their final status) and their events, staged. Each
 * email's fate and engagement come from uniform draws (g), turned into times and choices (e, f).
 */
function chunkStatement(projectId: string, seg: Segment, a: number, b: number, now: Date): RawBuilder<unknown> {
  const R = RATES;
  const isCampaign = seg.campaignId !== null;
  const dom = pick(sql`g.u_dom`, RECIPIENT_DOMAINS.map((d) => d.share), RECIPIENT_DOMAINS.map((d) => sql`${d.domain}::text`));
  const kind = pick(sql`g.u_dom`, RECIPIENT_DOMAINS.map((d) => d.share), RECIPIENT_DOMAINS.map((d) => sql`${d.kind}::text`));
  const fate = pick(
    sql`g.u_fate`,
    [R.rejected, R.failed, R.hardBounce, R.softBounce, 1],
    [sql`'rejected'`, sql`'failed'`, sql`'hard'`, sql`'soft'`, sql`'delivered'`],
  );
  const urls = sql`${seg.urls}::text[]`;
  const ip = (prefix: string) => sql`${prefix} || (1 + floor(random() * 250))::int || '.' || (1 + floor(random() * 250))::int`;
  const delivered = sql`f2.fate = 'delivered'`;
  const html = isCampaign
    ? sql`NULL::text`
    : sql`'<html><body><table width="600"><tr><td><h1>Example Shop</h1><p>Hello,</p><p>' || CASE WHEN f2.u_tag < 0.4 THEN 'Thank you for your order #' || (100000 + f2.j) || '. It will ship within two working days; we will write again with its tracking number.' ELSE 'Here is the link you asked for. It expires in one hour; if you did not ask for it, ignore this email.' END || '</p><p><a href="https://www.example-shop.com/account">Your account</a></p><p style="color:#888;font-size:12px">Example Shop Ltd, 1 High Street, London. You receive this email because you have an account with us.</p></td></tr></table></body></html>'`;
  const subject = isCampaign ? sql`NULL::text` : sql`CASE WHEN f2.u_tag < 0.4 THEN 'Your order #' || (100000 + f2.j) WHEN f2.u_tag < 0.6 THEN 'Reset your password' WHEN f2.u_tag < 0.75 THEN 'Welcome to Example Shop' ELSE 'Your account' END`;

  return sql`
    WITH g AS MATERIALIZED (
      SELECT j, random() AS u_dom, random() AS u_fate, random() AS u_def, random() AS u_open, greatest(random(), 1e-9) AS u_o2,
             greatest(random(), 1e-9) AS u_o3, random() AS u_click, greatest(random(), 1e-9) AS u_c2, random() AS u_c3, random() AS u_scan,
             random() AS u_misc, random() AS u_ua, random() AS u_tag, random() AS u_x, md5(random()::text) AS h
      FROM generate_series(${a}::int, ${b}::int) j
    ),
    e AS MATERIALIZED (
      SELECT g.*, ${seg.queuedAt(sql`g.j`)} AS q, ${dom} AS dom, ${kind} AS kind, ${fate} AS fate
      FROM g
    ),
    f0 AS MATERIALIZED (
      SELECT e.*, ${seg.sentAt} AS s, e.fate = 'delivered' AND e.u_def < ${R.deferred}::float8 AS deferred,
        (lpad(to_hex(floor(extract(epoch FROM e.q) * 1000)::bigint), 12, '0') || '7' || substr(e.h, 1, 3) || to_hex(8 + floor(e.u_x * 4)::int) || substr(e.h, 4, 15))::uuid AS id,
        'u' || ${seg.name.replace(/\D/g, '') || 't'} || '.' || e.j || '@' || e.dom AS to_address,
        ${uasByKind(OPEN_UAS)} AS open_uas, ${uasByKind(CLICK_UAS)} AS click_uas,
        '203.0.' || (1 + floor(e.u_x * 250))::int || '.' || (1 + floor(e.u_ua * 250))::int AS ip
      FROM e
    ),
    f AS MATERIALIZED (
      SELECT f0.*,
        f0.s + CASE WHEN f0.deferred THEN interval '10 minutes' ELSE interval '0' END AS sent_at,
        f0.s + CASE WHEN f0.deferred THEN interval '10 minutes' ELSE interval '0' END + make_interval(secs => 1 + 3 * f0.u_x) AS dlv,
        f0.open_uas[1 + floor(f0.u_ua * cardinality(f0.open_uas))::int] AS open_ua,
        f0.click_uas[1 + floor(f0.u_ua * cardinality(f0.click_uas))::int] AS click_ua,
        CASE WHEN f0.fate = 'delivered' AND f0.u_open < ${R.opener}::float8 THEN 1 + floor(-ln(f0.u_o3) * ${R.repeatOpensMean}::float8)::int ELSE 0 END AS n_opens,
        CASE WHEN f0.fate = 'delivered' AND ((f0.u_open < ${R.opener}::float8 AND f0.u_click < ${R.clickerIfOpener}::float8) OR (f0.u_open >= ${R.opener}::float8 AND f0.u_click < ${R.clickerIfNot}::float8))
             THEN 1 + floor(-ln(f0.u_c2) * ${R.repeatClicksMean}::float8)::int ELSE 0 END AS n_clicks,
        CASE WHEN f0.fate = 'delivered' AND f0.kind = 'apple' AND f0.u_scan < ${R.mppPrefetch}::float8 THEN 1 + (f0.u_scan < 0.3)::int ELSE 0 END AS n_mpp,
        CASE WHEN f0.fate = 'delivered' AND f0.kind = 'company' AND f0.u_scan < ${R.scanned}::float8 THEN 3 ELSE 0 END AS n_scan,
        f0.fate = 'delivered' AND f0.kind = 'microsoft' AND f0.u_scan < ${R.headRequest}::float8 AS head
      FROM f0
    ),
    f2 AS MATERIALIZED (
      SELECT f.*,
        f.dlv + make_interval(secs => 60 + least(-ln(f.u_o2) * 18000, 864000)) AS first_open
      FROM f
    ),
    inserted AS (
      INSERT INTO emails (id, project_id, campaign_id, from_address, to_address, subject, html, tags, data, status, priority, attempts,
                          first_attempt_at, message_id, transport, created_at, updated_at)
      SELECT f2.id, ${projectId}::uuid, ${seg.campaignId}::uuid, ${seg.from}, f2.to_address, ${subject}, ${html}, ${seg.tags},
             ${isCampaign ? sql`jsonb_build_object('first', 'Ada')` : sql`NULL::jsonb`},
             CASE f2.fate WHEN 'rejected' THEN 'rejected' WHEN 'failed' THEN 'failed' WHEN 'delivered' THEN 'delivered' ELSE 'bounced' END,
             ${isCampaign ? 1 : 0}, CASE f2.fate WHEN 'rejected' THEN 0 WHEN 'soft' THEN 3 ELSE 1 + f2.deferred::int END,
             CASE WHEN f2.fate <> 'rejected' THEN f2.s END, '<' || f2.id || '@notify.example-shop.com>',
             CASE WHEN f2.fate <> 'rejected' THEN 'relay' END, f2.q, greatest(f2.q, f2.dlv)
      FROM f2
    )
    INSERT INTO ${sql.table(STAGING)} (email_id, event_type, metadata, created_at, hit_id)
    SELECT f2.id, ev.t, ev.m, ev.at, ev.hit
    FROM f2 CROSS JOIN LATERAL (
      SELECT 'queued'::text AS t, '{}'::jsonb AS m, f2.q AS at, NULL::text AS hit
      UNION ALL
      SELECT 'rejected', '{"reason": "suppressed"}'::jsonb, f2.q, NULL WHERE f2.fate = 'rejected'
      UNION ALL
      SELECT 'failed', jsonb_build_object('transport', 'relay', 'attempt', 1, 'error', 'Message size exceeds fixed maximum message size'), f2.s, NULL
      WHERE f2.fate = 'failed'
      UNION ALL
      SELECT 'bounced', jsonb_build_object('transport', 'relay', 'attempt', 1, 'bounce_type', 'hard', 'reason', 'userunknown', 'status', '5.1.1',
               'reply_code', 550, 'diagnostic', '550 5.1.1 <' || f2.to_address || '>: Recipient address rejected: User unknown in virtual mailbox table',
               'phase', 'rcpt'), f2.s, NULL
      WHERE f2.fate = 'hard'
      UNION ALL
      SELECT 'delivery_delayed', jsonb_build_object('transport', 'relay', 'attempt', k, 'reply_code', 451, 'diagnostic', '451 4.7.1 Greylisted, please try again later',
               'phase', 'rcpt', 'retry_at', to_char((f2.s + k * interval '10 minutes') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')),
             f2.s + (k - 1) * interval '10 minutes', NULL
      FROM generate_series(1, CASE WHEN f2.fate = 'soft' THEN 2 WHEN f2.deferred THEN 1 ELSE 0 END) k
      UNION ALL
      SELECT 'bounced', jsonb_build_object('transport', 'relay', 'attempt', 3, 'bounce_type', 'soft', 'reason', 'expired', 'status', '4.7.1',
               'last_reason', 'blocked', 'reply_code', 451, 'diagnostic', '451 4.7.1 Greylisted, please try again later', 'phase', 'rcpt'),
             f2.s + interval '2 hours', NULL
      WHERE f2.fate = 'soft'
      UNION ALL
      SELECT 'sent', jsonb_build_object('transport', 'relay', 'attempt', 1 + f2.deferred::int, 'response', '250 2.0.0 Ok: queued as ' || upper(substr(f2.h, 20, 10))),
             f2.sent_at, NULL
      WHERE ${delivered}
      UNION ALL
      SELECT 'delivered', jsonb_build_object('source', 'dsn', 'status', '2.0.0', 'remote_mta', 'mx.' || f2.dom, 'diagnostic', 'smtp; 250 2.0.0 OK'), f2.dlv, NULL
      WHERE ${delivered}
      UNION ALL
      -- Apple Mail Privacy Protection fetches the pixel once or twice soon after delivery.
      SELECT 'open', jsonb_build_object('ua', ${MPP_UA}::text, 'ip', ${ip('172.225.')}, 'method', 'GET', 'counted', false, 'why', 'apple_mpp'),
             f2.dlv + make_interval(secs => 20 + 900 * random()), gen_random_uuid()::text
      FROM generate_series(1, f2.n_mpp) k
      UNION ALL
      -- A company's gateway fetches the pixel and follows two links within seconds.
      SELECT CASE WHEN k = 0 THEN 'open' ELSE 'click' END,
             jsonb_build_object('ua', ${SCANNER_UA}::text, 'ip', ${ip('40.94.')}, 'method', 'GET', 'counted', false, 'why', 'network')
               || CASE WHEN k > 0 THEN jsonb_build_object('url', (${urls})[k], 'link_index', k - 1) ELSE '{}'::jsonb END,
             f2.dlv + make_interval(secs => 1 + k * 0.8), gen_random_uuid()::text
      FROM generate_series(0, f2.n_scan - 1) k
      UNION ALL
      SELECT 'open', jsonb_build_object('ua', f2.open_ua, 'ip', f2.ip, 'method', 'HEAD', 'counted', false, 'why', 'head_request'),
             f2.dlv + interval '3 seconds', gen_random_uuid()::text
      WHERE f2.head
      UNION ALL
      -- A person's opens: the first after hours, repeats later; a repeat within a minute is coalesced.
      SELECT 'open', jsonb_build_object('ua', f2.open_ua, 'ip', f2.ip, 'method', 'GET')
               || CASE WHEN x.coalesced THEN '{"counted": false, "why": "coalesced"}'::jsonb ELSE '{"counted": true}'::jsonb END,
             CASE WHEN k = 1 THEN f2.first_open WHEN x.coalesced THEN f2.first_open + make_interval(secs => 15 * k)
                  ELSE f2.first_open + make_interval(secs => least(-ln(x.v) * 43200, 864000)) END,
             gen_random_uuid()::text
      FROM generate_series(1, f2.n_opens) k
      CROSS JOIN LATERAL (SELECT k > 1 AND random() < ${R.coalesced}::float8 AS coalesced, greatest(random(), 1e-9) AS v) x
      UNION ALL
      SELECT 'click', jsonb_build_object('ua', f2.click_ua, 'ip', f2.ip, 'method', 'GET', 'url', (${urls})[x.link + 1], 'link_index', x.link, 'counted', true),
             f2.first_open + make_interval(secs => 5 + 120 * f2.u_c3 + 40 * (k - 1)), gen_random_uuid()::text
      FROM generate_series(1, f2.n_clicks) k
      CROSS JOIN LATERAL (SELECT floor(power(random(), 2) * ${LINKS_PER_EMAIL})::int + 0 * k AS link) x
      UNION ALL
      -- A click by someone whose mail app showed no images: the recorder back-fills the open.
      SELECT 'open', jsonb_build_object('ua', f2.click_ua, 'ip', f2.ip, 'method', 'GET', 'counted', true, 'backfilled', true),
             f2.first_open + make_interval(secs => 5 + 120 * f2.u_c3), NULL
      WHERE f2.n_clicks > 0 AND f2.n_opens = 0
      UNION ALL
      SELECT 'reply', jsonb_build_object('auto', f2.u_misc < ${R.reply * R.autoReply}::float8, 'from', f2.to_address, 'subject', 'Re: your email'),
             f2.dlv + make_interval(secs => CASE WHEN f2.u_misc < ${R.reply * R.autoReply}::float8 THEN 45 ELSE 1800 + 80000 * f2.u_x END), NULL
      WHERE ${delivered} AND f2.u_misc < ${R.reply}::float8
      UNION ALL
      SELECT 'complaint', jsonb_build_object('source', 'arf', 'feedback_type', 'abuse'), f2.dlv + make_interval(secs => 7200 + 80000 * f2.u_x), NULL
      WHERE ${delivered} AND f2.u_misc >= ${R.reply}::float8 AND f2.u_misc < ${R.reply + R.complaint}::float8
      UNION ALL
      SELECT 'unsubscribe', jsonb_build_object('method', 'one_click', 'ua', f2.click_ua, 'ip', f2.ip), f2.dlv + make_interval(secs => 3600 + 50000 * f2.u_x),
             gen_random_uuid()::text
      WHERE ${delivered} AND ${isCampaign} AND f2.u_misc >= ${R.reply + R.complaint}::float8 AND f2.u_misc < ${R.reply + R.complaint + R.unsubscribe}::float8
    ) ev
    WHERE ev.at < ${now.toISOString()}::timestamptz
  `;
}
