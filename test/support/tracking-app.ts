// An in-process HTTP server with the API and the tracking endpoints on a fresh store, a real hit
// recorder (spool in a temp dir) and the real classifier: for tracking HTTP tests.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/http/build-server.ts';
import { createMetrics } from '../../src/metrics/metrics.ts';
import { ensureDefaultProject } from '../../src/projects/default-project.ts';
import { startHitRecorder, type HitRecorder } from '../../src/tracking/index.ts';
import { classifyHit } from '../../src/tracking/classify/index.ts';
import { createTestStore, type StoreKind, type TestStore } from './test-store.ts';

export const TRACKING_TEST_KEYS = ['tracking-key-new', 'tracking-key-old'];

export type TrackingApp = {
  store: TestStore;
  app: FastifyInstance;
  /** Where the app listens (127.0.0.1, a free port): the tracking endpoints answer on real HTTP only. */
  url: string;
  /** A request over real HTTP; redirects are not followed. */
  fetch(path: string, init?: { method?: string; headers?: Record<string, string> }): Promise<TrackingResponse>;
  recorder: HitRecorder;
  projectId: string;
  auth: { authorization: string };
  spoolDir: string;
  close(): Promise<void>;
};

export type TrackingResponse = { status: number; headers: Headers; body: Buffer; json(): unknown };

export type TrackingAppOptions = {
  trustProxy?: string[];
  /**
   * Hits are recorded as made this much later than they arrive: a person who reads the mail a
   * minute after it arrived, without the test waiting that minute (the events log is append-only,
   * so the email's own events cannot be moved back instead).
   */
  hitDelayMs?: number;
};

export async function createTrackingApp(kind: StoreKind, options: TrackingAppOptions = {}): Promise<TrackingApp> {
  const store = await createTestStore(kind);
  const { projectId, createdKey } = await ensureDefaultProject(store.db);
  const spoolDir = await mkdtemp(join(tmpdir(), 'sendtrail-tracking-'));
  const recorder = await startHitRecorder({ db: store.db, classify: classifyHit, spoolDir, retryMs: 100, commitTimeoutMs: 1000 });
  const delay = options.hitDelayMs ?? 0;
  const served: HitRecorder = delay === 0 ? recorder : { ...recorder, record: (hit) => recorder.record({ ...hit, at: new Date(hit.at.getTime() + delay) }) };
  const app = await buildServer({ db: store.db, metrics: createMetrics(), tracking: { keys: TRACKING_TEST_KEYS, recorder: served }, trustProxy: options.trustProxy });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  let closed = false;
  return {
    store, app, url, recorder, projectId, spoolDir,
    async fetch(path, init = {}) {
      const res = await fetch(`${url}${path}`, { ...init, redirect: 'manual' });
      const body = Buffer.from(await res.arrayBuffer());
      return { status: res.status, headers: res.headers, body, json: () => JSON.parse(body.toString('utf8')) };
    },
    auth: { authorization: `Bearer ${createdKey}` },
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
      await recorder.close();
      await store.close();
      await rm(spoolDir, { recursive: true, force: true });
    },
  };
}
