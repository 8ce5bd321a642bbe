// Property: whatever the interleaving of writes, reclassifications, folds in batches of any size
// (by a scheduler that keeps its cache of email logs, and by another that does not), batches that
// crash before they end and (on PostgreSQL) transactions that commit out of id order, once the
// scheduler has caught up the rollups equal a fresh fold of the whole log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import pg from 'pg';
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { createTestStore, STORE_KINDS, type TestStore } from '../../../test/support/test-store.ts';
import { readRollups, recount } from '../../../test/support/recount-rollups.ts';
import { appendEvents, reclassifiedEvent, type NewEvent } from '../../events/index.ts';
import type { Database } from '../../store/database.ts';
import { catchUpRollups, createEmailLogCache, rollUpBatch, type RollupDeps } from './index.ts';

const T0 = Date.parse('2026-05-01T08:00:00Z');

const deps = (db: Kysely<Database>, extra: Partial<RollupDeps> = {}): RollupDeps => ({
  db,
  providers: { providersOf: async (domains) => new Map(domains.map((d) => [d, d.startsWith('gmail') ? 'gmail' : 'other'])) },
  clientOf: (ua) => ({ client: ua || 'Other', os: 'unknown', device: 'unknown' }),
  ...extra,
});

// 'queued' begins each email's log, written with the email, as in production (the fold relies on it).
const TYPES = ['sent', 'delivered', 'delivery_delayed', 'bounced', 'open', 'open', 'click', 'click', 'reply', 'complaint', 'unsubscribe'] as const;
const WHYS = ['scanner', 'apple_mpp', 'coalesced', 'burst'];

type Action =
  | { do: 'write'; events: Array<{ email: number; type: number; minutes: number; counted: boolean; why: number; link: number; flag: boolean }> }
  | { do: 'reclassify'; hit: number; counted: boolean; why: number }
  | { do: 'fold'; batch: number; other: boolean }
  | { do: 'crash'; batch: number }
  | { do: 'slow'; email: number; minutes: number; counted: boolean };

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 4, arbitrary: fc.record({
    do: fc.constant('write' as const),
    events: fc.array(fc.record({
      email: fc.nat(5), type: fc.nat(TYPES.length - 1), minutes: fc.nat(72 * 60), counted: fc.boolean(), why: fc.nat(WHYS.length - 1), link: fc.nat(2), flag: fc.boolean(),
    }), { minLength: 1, maxLength: 6 }),
  }) },
  { weight: 2, arbitrary: fc.record({ do: fc.constant('reclassify' as const), hit: fc.nat(), counted: fc.boolean(), why: fc.nat(WHYS.length - 1) }) },
  { weight: 2, arbitrary: fc.record({ do: fc.constant('fold' as const), batch: fc.integer({ min: 1, max: 8 }), other: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ do: fc.constant('crash' as const), batch: fc.integer({ min: 1, max: 8 }) }) },
  { weight: 1, arbitrary: fc.record({ do: fc.constant('slow' as const), email: fc.nat(5), minutes: fc.nat(72 * 60), counted: fc.boolean() }) },
);

function eventOf(project: string, emails: string[], e: Extract<Action, { do: 'write' }>['events'][number]): NewEvent {
  const type = TYPES[e.type]!;
  const metadata: Record<string, unknown> =
    type === 'open' || type === 'click'
      ? { counted: e.counted, ...(e.counted ? {} : { why: WHYS[e.why] }), ua: `ua${e.link}`, ...(type === 'click' ? { link_index: e.link, url: `https://x.example/${e.link}` } : { backfilled: e.flag && e.counted }) }
      : type === 'bounced' ? { bounce_type: e.flag ? 'hard' : 'soft' }
      : type === 'reply' ? { auto: e.flag }
      : {};
  return { projectId: project, emailId: emails[e.email]!, type, metadata, at: new Date(T0 + e.minutes * 60_000) };
}

describe.each(STORE_KINDS)('rollups equal a recount of the log, on %s', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await createTestStore(kind);
  });
  afterAll(async () => store?.close());

  it('after any interleaving of writes, reclassifications, folds and crashes', async () => {
    const db = store.db;
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 25 }), async (actions) => {
        // Each run has a project of its own (rollup rows are per project), so a failing run shrinks
        // to itself; the log and the cursor are shared, as in production.
        const PROJECT = randomUUID();
        await db.insertInto('projects').values({ id: PROJECT, name: 'p' }).execute();
        const campaign = randomUUID();
        const emails: string[] = [];
        for (let i = 0; i < 6; i++) {
          const id = randomUUID();
          emails.push(id);
          await db.transaction().execute(async (trx) => {
            await trx.insertInto('emails').values({
              id, project_id: PROJECT, campaign_id: i < 4 ? campaign : null, from_address: 'news@shop.example',
              to_address: `r${i}@${i % 2 ? 'gmail.com' : 'corp.example'}`, tags: i % 3 === 0 ? JSON.stringify(['a', 'b']) : null,
              status: 'queued', priority: 1, message_id: `<${id}@shop.example>`,
            }).execute();
            await appendEvents(trx, [{ projectId: PROJECT, emailId: id, type: 'queued', at: new Date(T0) }]);
          });
        }
        const hits: Array<{ eventId: number; emailId: string; kind: 'open' | 'click' }> = [];
        // This run's scheduler keeps its cache; `other` folds are another scheduler's, without one.
        const cache = createEmailLogCache(4, 3);
        const slow: pg.Client[] = [];
        try {
          for (const a of actions) {
            if (a.do === 'write') {
              await appendEvents(db, a.events.map((e) => eventOf(PROJECT, emails, e)));
              const rows = await db.selectFrom('events').select(['id', 'email_id', 'event_type']).where('email_id', 'in', emails)
                .where('event_type', 'in', ['open', 'click']).orderBy('id').execute();
              hits.splice(0, hits.length, ...rows.map((r) => ({ eventId: Number(r.id), emailId: r.email_id, kind: r.event_type as 'open' | 'click' })));
            } else if (a.do === 'reclassify' && hits.length > 0) {
              const h = hits[a.hit % hits.length]!;
              await appendEvents(db, [reclassifiedEvent({ ...h, projectId: PROJECT }, a.counted ? { counted: true } : { counted: false, why: WHYS[a.why] })]);
            } else if (a.do === 'fold') {
              await rollUpBatch(deps(db, { batchSize: a.batch, ...(a.other ? {} : { cache }) }));
            } else if (a.do === 'crash') {
              await rollUpBatch(deps(db, { batchSize: a.batch, cache, beforeCursorMoves: () => { throw new Error('crash'); } })).catch(() => {});
            } else if (a.do === 'slow' && kind === 'postgres') {
              // A transaction that takes its event id now and commits at the end of the run, after later ones.
              const c = new pg.Client({ connectionString: store.url });
              await c.connect();
              slow.push(c);
              await c.query('BEGIN');
              await c.query(
                `INSERT INTO events (project_id, email_id, event_type, metadata, created_at) VALUES ($1, $2, 'open', $3, $4)`,
                [PROJECT, emails[a.email], JSON.stringify({ counted: a.counted, why: a.counted ? undefined : 'scanner', ua: 'slow' }), new Date(T0 + a.minutes * 60_000)],
              );
            }
          }
        } finally {
          for (const c of slow.reverse()) {
            await c.query('COMMIT');
            await c.end();
          }
        }
        await catchUpRollups(deps(db, { cache }));
        expect(await readRollups(db, PROJECT)).toEqual(await recount(deps(db), PROJECT));
      }),
      { numRuns: kind === 'postgres' ? 40 : 60 },
    );
  }, 240_000);
});
