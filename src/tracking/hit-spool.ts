// The append-only disk spool of tracking hits the database could not take: one JSON line a hit,
// fsync'd per batch, read back in order and removed once every line is committed.
import { mkdir, open, stat, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { hitFromJson, hitToJson, type RecordedHit } from './recorded-hit.ts';

export type HitSpool = {
  /** True while lines remain that are not yet committed to the database. */
  hasPending(): boolean;
  /** Appends the hits and fsyncs: once this resolves, the hits survive a crash. */
  append(hits: readonly RecordedHit[]): Promise<void>;
  /** The next hits in order (up to `max`) and how many bytes they span; nothing is consumed yet. */
  readNext(max: number): Promise<{ hits: RecordedHit[]; bytes: number }>;
  /** Marks `bytes` as committed; the file is removed once all of it is. */
  consume(bytes: number): Promise<void>;
  close(): Promise<void>;
};

export const SPOOL_FILE = 'tracking-spool.jsonl';
const READ_BYTES = 1024 * 1024;

export async function openHitSpool(dir: string): Promise<HitSpool> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, SPOOL_FILE);
  let size = await stat(path).then((s) => s.size, () => 0);
  let offset = 0;
  let handle: FileHandle | undefined;
  const writer = async () => (handle ??= await open(path, 'a'));

  if (size > 0) {
    // A crash mid-write can leave a torn last line; end it so the next hit starts a line of its own.
    const last = Buffer.alloc(1);
    const h = await open(path, 'r');
    await h.read(last, 0, 1, size - 1);
    await h.close();
    if (last[0] !== 0x0a) {
      await (await writer()).write('\n');
      size += 1;
    }
  }

  return {
    hasPending: () => size > offset,
    async append(hits) {
      if (hits.length === 0) return;
      const data = Buffer.from(hits.map((h) => `${hitToJson(h)}\n`).join(''));
      const h = await writer();
      await h.write(data);
      await h.datasync();
      size += data.length;
    },
    async readNext(max) {
      const buffer = Buffer.alloc(Math.min(READ_BYTES, size - offset));
      const h = await open(path, 'r');
      try {
        await h.read(buffer, 0, buffer.length, offset);
      } finally {
        await h.close();
      }
      const hits: RecordedHit[] = [];
      let bytes = 0;
      while (hits.length < max) {
        const nl = buffer.indexOf(0x0a, bytes);
        if (nl === -1) break;
        const hit = hitFromJson(buffer.toString('utf8', bytes, nl));
        if (hit) hits.push(hit);
        bytes = nl + 1;
      }
      // A single line longer than the read window cannot be a hit we wrote: skip it.
      if (bytes === 0 && buffer.length === READ_BYTES) bytes = buffer.length;
      return { hits, bytes };
    },
    async consume(bytes) {
      offset += bytes;
      if (offset < size) return;
      await handle?.close();
      handle = undefined;
      await unlink(path).catch(() => {});
      size = 0;
      offset = 0;
    },
    async close() {
      await handle?.close();
      handle = undefined;
    },
  };
}
