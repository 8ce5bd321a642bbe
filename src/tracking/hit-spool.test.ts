import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openHitSpool, SPOOL_PREFIX, type HitSpool } from './hit-spool.ts';
import { openHit } from '../../test/support/tracking-fixtures.ts';

const EMAIL = '0190f5a2-7c3e-7b1a-9d2e-0123456789ab';

/** Reads and consumes everything pending, `max` hits at a time, as the commit loop does; the ids in order. */
async function readAll(spool: HitSpool, max: number): Promise<string[]> {
  const read: string[] = [];
  while (spool.hasPending()) {
    const next = await spool.readNext(max);
    read.push(...next.hits.map((h) => h.id));
    await spool.consume(next.bytes);
  }
  return read;
}

describe('hit spool', () => {
  let dir: string;
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('reads hits back in order across rotated segments and deletes each segment once consumed', async () => {
    dir = await mkdtemp(join(tmpdir(), 'sendtrail-spool-'));
    const spool = await openHitSpool(dir, { segmentBytes: 2000 });
    const hits = Array.from({ length: 40 }, () => openHit(EMAIL));
    for (let i = 0; i < 40; i += 5) await spool.append(hits.slice(i, i + 5));
    expect((await readdir(dir)).filter((f) => f.startsWith(SPOOL_PREFIX)).length).toBeGreaterThan(2);
    const read = await readAll(spool, 7);
    expect(read).toEqual(hits.map((h) => h.id));
    // Only the segment still being written to remains.
    expect((await readdir(dir)).filter((f) => f.startsWith(SPOOL_PREFIX))).toHaveLength(1);
    await spool.close();
    // Closed with everything committed: nothing is left to replay.
    expect((await readdir(dir)).filter((f) => f.startsWith(SPOOL_PREFIX))).toEqual([]);
  });

  it('a reader right behind the writer gets every hit once and in order, through segment rotations', async () => {
    dir = await mkdtemp(join(tmpdir(), 'sendtrail-spool-'));
    const spool = await openHitSpool(dir, { segmentBytes: 3000 });
    const written: string[] = [];
    const read: string[] = [];
    const drain = async (max: number) => {
      const next = await spool.readNext(max);
      read.push(...next.hits.map((h) => h.id));
      await spool.consume(next.bytes);
    };
    for (let round = 0; round < 30; round++) {
      const batch = Array.from({ length: 1 + (round % 4) }, () => openHit(EMAIL));
      written.push(...batch.map((h) => h.id));
      await spool.append(batch);
      // Sometimes the reader keeps up, sometimes it falls behind and catches up in small steps.
      if (round % 3 !== 2) await drain(round % 2 === 0 ? 2 : 100);
    }
    while (spool.hasPending()) await drain(3);
    expect(read).toEqual(written);
    await spool.close();
  });

  it('overlapping appends are kept in call order, each acknowledged once its own fsync is done', async () => {
    dir = await mkdtemp(join(tmpdir(), 'sendtrail-spool-'));
    const spool = await openHitSpool(dir, { segmentBytes: 1500 });
    const batches = Array.from({ length: 12 }, (_, i) => Array.from({ length: 1 + (i % 3) }, () => openHit(EMAIL)));
    // Not awaited one by one: the recorder starts a batch while earlier ones still sync.
    await Promise.all(batches.map((b) => spool.append(b)));
    const read = await readAll(spool, 5);
    expect(read).toEqual(batches.flat().map((h) => h.id));
    await spool.close();
  });

  it('after a crash, preallocated segments give back exactly their hits: the zeros after the last line are skipped', async () => {
    dir = await mkdtemp(join(tmpdir(), 'sendtrail-spool-'));
    const first = await openHitSpool(dir, { segmentBytes: 3000 });
    const hits: ReturnType<typeof openHit>[] = [];
    for (let round = 0; round < 25; round++) {
      const batch = [openHit(EMAIL), openHit(EMAIL)];
      hits.push(...batch);
      await first.append(batch);
      // Lets the spare segment finish preparing between batches, as it would between bursts.
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    // No close: the process died. Some segment must be a preallocated one, with zeros after its lines.
    const files = (await readdir(dir)).filter((f) => f.startsWith(SPOOL_PREFIX));
    const contents = await Promise.all(files.map((f) => readFile(join(dir, f))));
    expect(contents.some((c) => c.includes(0))).toBe(true);
    const second = await openHitSpool(dir, { segmentBytes: 3000 });
    const read = await readAll(second, 4);
    expect(read).toEqual(hits.map((h) => h.id));
    await second.close();
    // Nothing left behind: no segment, no spare.
    expect(await readdir(dir)).toEqual([]);
  });

  it('a reopened spool (after a crash) finds the unconsumed hits of the old segments, and writes to a new one', async () => {
    dir = await mkdtemp(join(tmpdir(), 'sendtrail-spool-'));
    const first = await openHitSpool(dir);
    const hits = [openHit(EMAIL), openHit(EMAIL)];
    await first.append(hits);
    // No close: the process died.
    const second = await openHitSpool(dir);
    expect(second.hasPending()).toBe(true);
    const later = openHit(EMAIL);
    await second.append([later]);
    const read = await readAll(second, 100);
    expect(read).toEqual([...hits.map((h) => h.id), later.id]);
    await second.close();
  });
});
