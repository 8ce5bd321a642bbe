// The append-only disk spool of tracking hits: numbered segment files of one JSON line a hit,
// fsync'd per batch. Every acknowledged hit is in it until the database has it; segments are read
// back in order and deleted once all their hits are committed.
import { mkdir, open, readdir, stat, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { hitFromJson, hitToJson, type RecordedHit } from './recorded-hit.ts';

export type HitSpool = {
  /** True while lines remain that are not yet committed to the database. */
  hasPending(): boolean;
  /** Appends the hits and fsyncs: once this resolves, the hits survive a crash. */
  append(hits: readonly RecordedHit[]): Promise<void>;
  /** The next uncommitted hits in order (up to `max`) and how many bytes they span; nothing is consumed yet. */
  readNext(max: number): Promise<{ hits: RecordedHit[]; bytes: number }>;
  /** Marks `bytes` (from the last readNext) as committed; a finished segment is deleted. */
  consume(bytes: number): Promise<void>;
  close(): Promise<void>;
};

export const SPOOL_PREFIX = 'tracking-spool-';
const READ_BYTES = 1024 * 1024;
// Small enough that replaying a segment after a crash (read offsets are not persisted) costs little.
const SEGMENT_BYTES = 4 * 1024 * 1024;

type Segment = { n: number; path: string; size: number };

// The hits just appended are also kept in memory, so that the commit loop, which is normally right
// behind the writer, takes them from here instead of reading and parsing the file it just wrote.
// Bounded: while the database is down the spool grows on disk only, and is read back from there.
const MEMORY_TAIL_HITS = 10_000;

export async function openHitSpool(dir: string, options: { segmentBytes?: number } = {}): Promise<HitSpool> {
  await mkdir(dir, { recursive: true });
  const segmentBytes = options.segmentBytes ?? SEGMENT_BYTES;
  const pathOf = (n: number) => join(dir, `${SPOOL_PREFIX}${String(n).padStart(10, '0')}.jsonl`);
  const names = (await readdir(dir)).filter((f) => f.startsWith(SPOOL_PREFIX) && f.endsWith('.jsonl')).sort();
  const segments: Segment[] = [];
  for (const name of names) {
    const path = join(dir, name);
    segments.push({ n: Number(name.slice(SPOOL_PREFIX.length, -'.jsonl'.length)), path, size: (await stat(path)).size });
  }
  // Reading position in the oldest segment. Writes go to a new segment after every start, so a
  // torn last line left by a crash stays at the end of an old segment, where it is skipped.
  let offset = 0;
  let writer: { segment: Segment; handle: FileHandle } | undefined;
  let nextN = (segments.at(-1)?.n ?? 0) + 1;
  // The memory tail: hits[head..] with their line lengths, starting at byte `start` of `segment`.
  const tail = { segment: undefined as Segment | undefined, start: 0, end: 0, head: 0, hits: [] as RecordedHit[], lens: [] as number[] };
  const tailSize = () => tail.hits.length - tail.head;
  const clearTail = () => {
    tail.segment = undefined;
    tail.head = 0;
    tail.hits = [];
    tail.lens = [];
  };
  function dropConsumedTail(): void {
    // A tail always starts in the segment being read: once that segment is gone, so is the tail.
    if (tail.segment && tail.segment !== segments[0]) return clearTail();
    while (tailSize() > 0 && tail.start + tail.lens[tail.head]! <= offset) tail.start += tail.lens[tail.head++]!;
    if (tailSize() === 0) clearTail();
    else if (tail.head > 4096) {
      tail.hits = tail.hits.slice(tail.head);
      tail.lens = tail.lens.slice(tail.head);
      tail.head = 0;
    }
  }

  async function current(): Promise<{ segment: Segment; handle: FileHandle }> {
    if (writer && writer.segment.size < segmentBytes) return writer;
    await writer?.handle.close();
    const segment = { n: nextN, path: pathOf(nextN), size: 0 };
    nextN++;
    writer = { segment, handle: await open(segment.path, 'a') };
    segments.push(segment);
    return writer;
  }

  return {
    hasPending: () => segments.some((s, i) => (i === 0 ? s.size > offset : s.size > 0)),
    async append(hits) {
      if (hits.length === 0) return;
      const lines = hits.map((h) => `${hitToJson(h)}\n`);
      const data = Buffer.from(lines.join(''));
      const w = await current();
      await w.handle.write(data);
      await w.handle.datasync();
      const before = w.segment.size;
      w.segment.size += data.length;
      // Kept in memory only when it continues the tail exactly (or the reader is right here).
      const continues = tailSize() > 0
        ? tail.segment === w.segment && tail.end === before
        : segments[0] === w.segment && offset === before;
      if (!continues || tailSize() + hits.length > MEMORY_TAIL_HITS) return;
      if (tailSize() === 0) {
        clearTail();
        tail.segment = w.segment;
        tail.start = before;
      }
      for (let i = 0; i < hits.length; i++) {
        tail.hits.push(hits[i]!);
        tail.lens.push(Buffer.byteLength(lines[i]!));
      }
      tail.end = w.segment.size;
    },
    async readNext(max) {
      const segment = segments[0];
      if (!segment || segment.size <= offset) return { hits: [], bytes: 0 };
      if (tailSize() > 0 && tail.segment === segment && tail.start === offset) {
        const n = Math.min(max, tailSize());
        let bytes = 0;
        for (let i = tail.head; i < tail.head + n; i++) bytes += tail.lens[i]!;
        return { hits: tail.hits.slice(tail.head, tail.head + n), bytes };
      }
      const buffer = Buffer.alloc(Math.min(READ_BYTES, segment.size - offset));
      const h = await open(segment.path, 'r');
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
      // A torn line at the end of a segment nobody writes to any more: a crash mid-write, never acknowledged.
      if (bytes === 0 && writer?.segment !== segment) bytes = buffer.length;
      return { hits, bytes };
    },
    async consume(bytes) {
      offset += bytes;
      dropConsumedTail();
      const segment = segments[0];
      if (!segment || offset < segment.size || writer?.segment === segment) return;
      segments.shift();
      offset = 0;
      dropConsumedTail();
      await unlink(segment.path).catch(() => {});
    },
    async close() {
      await writer?.handle.close();
      // A fully committed last segment would only be replayed (harmlessly, but for nothing) at the next start.
      const done = writer && segments.length === 1 && segments[0] === writer.segment && offset >= writer.segment.size;
      if (done) await unlink(writer!.segment.path).catch(() => {});
      writer = undefined;
    },
  };
}
