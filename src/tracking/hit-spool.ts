// The append-only disk spool of tracking hits: numbered segment files of one JSON line a hit,
// fsync'd per batch. Every acknowledged hit is in it until the database has it; segments are read
// back in order and deleted once all their hits are committed.
//
// A batch is written synchronously (into the page cache: microseconds, and from then on safe from a
// crash of this process) and made durable by an fdatasync in libuv's thread pool. Several batches
// may be syncing at once: each is acknowledged when its own fdatasync, started after its write,
// returns. bench:track showed why: with one write+fsync at a time, each taking two thread-pool
// round trips through a busy event loop, requests waited two cycles and 50 connections could not
// keep the thread busy.
//
// Segments are preallocated (written with zeros and synced in the background before use), as
// PostgreSQL does with its WAL: overwriting allocated blocks changes no metadata, so an fdatasync
// only flushes data, with no journal commit. On this VM's ext4 a sync waits about a third less,
// idle or next to two busy processes (`npm run bench:spool-fsync`). The zeros after the last line
// of a segment left by a crash read as a torn end, and are skipped.
import { close, closeSync, fdatasync, open as openFd, openSync, renameSync, write, writeSync } from 'node:fs';
import { mkdir, open, readdir, stat, unlink } from 'node:fs/promises';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { hitFromJson, hitToJson, type RecordedHit } from './recorded-hit.ts';

export type HitSpool = {
  /** True while lines remain that are not yet committed to the database. */
  hasPending(): boolean;
  /**
   * Appends the hits (in call order, written before this returns) and fsyncs: once the promise
   * resolves, the hits survive a crash of the machine. Calls may overlap.
   */
  append(hits: readonly RecordedHit[]): Promise<void>;
  /** The next uncommitted hits in order (up to `max`) and how many bytes they span; nothing is consumed yet. */
  readNext(max: number): Promise<SpoolBatch>;
  /** Marks `bytes` (from the last readNext) as committed; a finished segment is deleted. */
  consume(bytes: number): Promise<void>;
  close(): Promise<void>;
};

export const SPOOL_PREFIX = 'tracking-spool-';
// The next segment while it is being preallocated: not a segment until renamed to its number.
const SPARE_NAME = 'tracking-spare-segment.tmp';
const READ_BYTES = 1024 * 1024;
// Small enough that replaying a segment after a crash (read offsets are not persisted) costs little.
const SEGMENT_BYTES = 4 * 1024 * 1024;

/** Hits read back, each also as its spool line (JSON, no newline): the form a thread is handed. */
export type SpoolBatch = { hits: RecordedHit[]; lines: string[]; bytes: number };

type Segment = { n: number; path: string; size: number };
// The segment being appended to. Its file stays open until the fdatasyncs still running on it end.
// `created`: the fsync of the directory that makes the new file itself survive a power cut.
type Writer = { segment: Segment; fd: number; syncing: number; retired: boolean; created: Promise<void> };

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
  let writer: Writer | undefined;
  const syncs = new Set<Promise<void>>();
  let nextN = (segments.at(-1)?.n ?? 0) + 1;
  const sparePath = join(dir, SPARE_NAME);
  // A leftover spare holds no hits (a crash while preparing it, or a close).
  await unlink(sparePath).catch(() => {});
  let spare: { fd: number } | undefined;
  let preparing: Promise<void> | undefined;
  let closed = false;
  // The memory tail: hits[head..] with their line lengths, starting at byte `start` of `segment`.
  const tail = { segment: undefined as Segment | undefined, start: 0, end: 0, head: 0, hits: [] as RecordedHit[], lines: [] as string[], lens: [] as number[] };
  const tailSize = () => tail.hits.length - tail.head;
  const clearTail = () => {
    tail.segment = undefined;
    tail.head = 0;
    tail.hits = [];
    tail.lines = [];
    tail.lens = [];
  };
  function dropConsumedTail(): void {
    // A tail always starts in the segment being read: once that segment is gone, so is the tail.
    if (tail.segment && tail.segment !== segments[0]) return clearTail();
    while (tailSize() > 0 && tail.start + tail.lens[tail.head]! <= offset) tail.start += tail.lens[tail.head++]!;
    if (tailSize() === 0) clearTail();
    else if (tail.head > 4096) {
      tail.hits = tail.hits.slice(tail.head);
      tail.lines = tail.lines.slice(tail.head);
      tail.lens = tail.lens.slice(tail.head);
      tail.head = 0;
    }
  }

  const closeWhenSynced = (w: Writer) => {
    if (w.syncing === 0) closeSync(w.fd);
  };
  function retire(): void {
    if (!writer) return;
    writer.retired = true;
    closeWhenSynced(writer);
    writer = undefined;
  }

  function current(): Writer {
    if (writer && writer.segment.size < segmentBytes) return writer;
    retire();
    const segment = { n: nextN, path: pathOf(nextN), size: 0 };
    nextN++;
    const ready = spare;
    spare = undefined;
    let fd: number | undefined;
    if (ready) {
      try {
        renameSync(sparePath, segment.path);
        fd = ready.fd;
      } catch {
        // Never retried with this spare: a rename that keeps failing must not fail every append.
        closeSync(ready.fd);
      }
    }
    // No spare ready (the first segment, a burst faster than preparing, a failed rename): a plain new file.
    fd ??= openSync(segment.path, 'wx');
    // The directory sync makes the new name itself survive a power cut.
    writer = { segment, fd, syncing: 0, retired: false, created: syncDirectory(dir) };
    writer.created.catch(() => {}); // reported by the appends that wait for it
    segments.push(segment);
    prepareSpare();
    return writer;
  }

  function prepareSpare(): void {
    if (spare || preparing || closed) return;
    preparing = preallocate(sparePath, segmentBytes)
      .then((fd) => {
        if (closed) closeSync(fd);
        else spare = { fd };
      })
      // Without a spare, segments are plain files: slower syncs, nothing lost.
      .catch(() => {})
      .finally(() => (preparing = undefined));
  }

  // Kept in memory only when it continues the tail exactly (or the reader is right here).
  function keepInTail(segment: Segment, before: number, hits: readonly RecordedHit[], lines: string[]): void {
    const continues = tailSize() > 0
      ? tail.segment === segment && tail.end === before
      : segments[0] === segment && offset === before;
    if (!continues || tailSize() + hits.length > MEMORY_TAIL_HITS) return;
    if (tailSize() === 0) {
      clearTail();
      tail.segment = segment;
      tail.start = before;
    }
    for (let i = 0; i < hits.length; i++) {
      tail.hits.push(hits[i]!);
      tail.lines.push(lines[i]!);
      tail.lens.push(Buffer.byteLength(lines[i]!) + 1);
    }
    tail.end = segment.size;
  }

  function sync(w: Writer): Promise<void> {
    w.syncing++;
    const data = new Promise<void>((resolve, reject) => {
      fdatasync(w.fd, (err) => {
        w.syncing--;
        if (w.retired) closeWhenSynced(w);
        if (err) reject(err);
        else resolve();
      });
    });
    const done = Promise.all([data, w.created]).then(() => {});
    syncs.add(done);
    const forget = () => void syncs.delete(done);
    done.then(forget, forget);
    return done;
  }

  return {
    hasPending: () => segments.some((s, i) => (i === 0 ? s.size > offset : s.size > 0)),
    append(hits) {
      if (hits.length === 0) return Promise.resolve();
      const lines = hits.map(hitToJson);
      const data = Buffer.from(`${lines.join('\n')}\n`);
      let w: Writer;
      try {
        w = current();
        // Positional: a preallocated segment is overwritten from its logical end.
        for (let done = 0; done < data.length;) done += writeSync(w.fd, data, done, data.length - done, w.segment.size + done);
      } catch (err) {
        // A failed write (disk full) may have left part of a line: later lines go to a new
        // segment, so the torn one ends a segment nobody writes to, where the reader skips it.
        retire();
        return Promise.reject(err);
      }
      const before = w.segment.size;
      w.segment.size += data.length;
      keepInTail(w.segment, before, hits, lines);
      return sync(w);
    },
    async readNext(max) {
      const segment = segments[0];
      if (!segment || segment.size <= offset) return { hits: [], lines: [], bytes: 0 };
      if (tailSize() > 0 && tail.segment === segment && tail.start === offset) {
        const n = Math.min(max, tailSize());
        let bytes = 0;
        for (let i = tail.head; i < tail.head + n; i++) bytes += tail.lens[i]!;
        return { hits: tail.hits.slice(tail.head, tail.head + n), lines: tail.lines.slice(tail.head, tail.head + n), bytes };
      }
      const buffer = Buffer.alloc(Math.min(READ_BYTES, segment.size - offset));
      const h = await open(segment.path, 'r');
      try {
        await h.read(buffer, 0, buffer.length, offset);
      } finally {
        await h.close();
      }
      const hits: RecordedHit[] = [];
      const lines: string[] = [];
      let bytes = 0;
      while (hits.length < max) {
        const nl = buffer.indexOf(0x0a, bytes);
        if (nl === -1) break;
        const line = buffer.toString('utf8', bytes, nl);
        const hit = hitFromJson(line);
        if (hit) {
          hits.push(hit);
          lines.push(line);
        }
        bytes = nl + 1;
      }
      // A torn line at the end of a segment nobody writes to any more: a crash mid-write, never acknowledged.
      if (bytes === 0 && writer?.segment !== segment) bytes = buffer.length;
      return { hits, lines, bytes };
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
      closed = true;
      await Promise.allSettled([...syncs]);
      await preparing;
      if (spare) closeSync(spare.fd);
      spare = undefined;
      await unlink(sparePath).catch(() => {});
      const last = writer;
      retire();
      // A fully committed last segment would only be replayed (harmlessly, but for nothing) at the next start.
      const done = last && segments.length === 1 && segments[0] === last.segment && offset >= last.segment.size;
      if (done) await unlink(last.segment.path).catch(() => {});
    },
  };
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** A file of `bytes` zeros, written and synced: its blocks are allocated before any hit goes in. */
async function preallocate(path: string, bytes: number): Promise<number> {
  const fd = await promisify(openFd)(path, 'w');
  try {
    const zeros = Buffer.alloc(Math.min(bytes, 1024 * 1024));
    for (let at = 0; at < bytes; at += zeros.length) await promisify(write)(fd, zeros, 0, Math.min(zeros.length, bytes - at), at);
    await promisify(fdatasync)(fd);
    return fd;
  } catch (err) {
    await promisify(close)(fd).catch(() => {});
    throw err;
  }
}
