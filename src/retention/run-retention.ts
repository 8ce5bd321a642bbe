// Use case: one retention run over every project. Three walks per project, each in id order from
// where the last run stopped, in batches that are each their own short transaction, yielding to
// the event loop between them (PGlite's one connection also sends):
//   bodies       emails older than bodies_days: html, text and template data emptied, captured copy dropped
//   events       emails older than events_days: deleted whole, row and log (see below)
//   raw_inbound  inbound mail older than raw_inbound_days: the raw message emptied
// Why whole emails: the rollups fold an email's whole log to decide its first counted open or its
// unique people; with its early events gone, a late open would count that person again. With the
// email gone, a late event finds no email and is dropped, and the hours already counted stay.
// An email still in the queue (scheduled ahead, or being retried) is never touched, and the walk
// starts there again next time; nor one with an event some reader of the log has not read yet.
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { readRetention } from './retention-settings.ts';
import {
  deleteEmails, listProjectIds, nextEmails, nextInbound, readProgress, removeBodies, removeRawInbound, saveProgress, slowestLogReader, type Walk, type WalkRow,
} from './retention.repository.ts';

const DAY_MS = 86_400_000;
/** Emails per batch: an email has a handful of events, so a batch deletes a few thousand rows; on PGlite a batch holds the one thread that also sends (bench:retention). */
export const EMAILS_PER_BATCH = 500;
export const ROWS_PER_BATCH = 1000;

export type RetentionCounts = { bodies: number; captured: number; emails: number; events: number; raw_inbound: number };
export type RetentionRun = RetentionCounts & { projects: number; duration_ms: number };
export type RetentionLog = { info(obj: unknown, msg?: string): void };

export type RunOptions = {
  /** The clock: tests and operators may run as of another day. */
  now?: Date;
  log?: RetentionLog;
  isStopping?: () => boolean;
  emailsPerBatch?: number;
};

/** The smallest UUIDv7 of an instant: every id made before it sorts below. */
export function firstIdAt(at: Date): string {
  const hex = Math.max(0, Math.floor(at.getTime())).toString(16).padStart(12, '0').slice(-12);
  return `${hex.slice(0, 8)}-${hex.slice(8)}-0000-0000-000000000000`;
}

export async function runRetention(db: Kysely<Database>, options: RunOptions = {}): Promise<RetentionRun> {
  const started = Date.now();
  const now = options.now ?? new Date();
  const stopping = options.isStopping ?? (() => false);
  const total: RetentionCounts = { bodies: 0, captured: 0, emails: 0, events: 0, raw_inbound: 0 };
  const projects = await listProjectIds(db);
  const readTo = await slowestLogReader(db);
  for (const projectId of projects) {
    if (stopping()) break;
    const settings = await readRetention(db, projectId);
    const counts: RetentionCounts = { bodies: 0, captured: 0, emails: 0, events: 0, raw_inbound: 0 };
    const cutoff = (days: number) => new Date(now.getTime() - days * DAY_MS);
    const limit = options.emailsPerBatch ?? EMAILS_PER_BATCH;

    // Events first: an email deleted whole needs no body emptied.
    if (readTo) {
      const at = cutoff(settings.events_days);
      await walk(db, projectId, 'events', stopping, (after) => nextEmails(db, { projectId, after, bound: firstIdAt(at), cutoff: at, limit, readTo }), async (ids) => {
        const r = await deleteEmails(db, projectId, ids);
        counts.emails += r.emails;
        counts.events += r.events;
        counts.captured += r.captured;
      });
    }
    const bodiesAt = cutoff(settings.bodies_days);
    await walk(db, projectId, 'bodies', stopping, (after) => nextEmails(db, { projectId, after, bound: firstIdAt(bodiesAt), cutoff: bodiesAt, limit: ROWS_PER_BATCH }), async (ids) => {
      const r = await removeBodies(db, projectId, ids);
      counts.bodies += r.bodies;
      counts.captured += r.captured;
    });
    const inboundAt = cutoff(settings.raw_inbound_days);
    await walk(db, projectId, 'raw_inbound', stopping, (after) => nextInbound(db, { projectId, after, bound: firstIdAt(inboundAt), cutoff: inboundAt, limit: ROWS_PER_BATCH }), async (ids) => {
      counts.raw_inbound += await removeRawInbound(db, projectId, ids);
    });

    for (const k of Object.keys(total) as Array<keyof RetentionCounts>) total[k] += counts[k];
    if (Object.values(counts).some((n) => n > 0)) options.log?.info({ projectId, ...counts, settings }, 'retention removed what was past its time');
  }
  const run = { ...total, projects: projects.length, duration_ms: Date.now() - started };
  options.log?.info(run, 'retention run finished');
  return run;
}

/**
 * Reads a project's rows in batches from the walk's saved start and applies `remove` to the ready
 * ones. The saved start moves past every row done, and stops before the first row not ready yet,
 * so that row is looked at again next run.
 */
async function walk(
  db: Kysely<Database>,
  projectId: string,
  name: Walk,
  stopping: () => boolean,
  next: (after: string) => Promise<WalkRow[]>,
  remove: (ids: string[]) => Promise<void>,
): Promise<void> {
  const start = await readProgress(db, projectId, name);
  let after = start;
  let saved = start;
  let held = false;
  while (!stopping()) {
    const rows = await next(after);
    if (rows.length === 0) break;
    const ready = rows.filter((r) => r.ready).map((r) => r.id);
    if (ready.length > 0) await remove(ready);
    for (const r of rows) {
      if (!r.ready) held = true;
      if (!held) saved = r.id;
    }
    after = rows[rows.length - 1]!.id;
    await yieldToLoop();
  }
  if (saved !== start) await saveProgress(db, projectId, name, saved);
}
