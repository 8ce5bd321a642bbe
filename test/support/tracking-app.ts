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
  recorder: HitRecorder;
  projectId: string;
  auth: { authorization: string };
  spoolDir: string;
  close(): Promise<void>;
};

export async function createTrackingApp(kind: StoreKind, options: { trustProxy?: string[] } = {}): Promise<TrackingApp> {
  const store = await createTestStore(kind);
  const { projectId, createdKey } = await ensureDefaultProject(store.db);
  const spoolDir = await mkdtemp(join(tmpdir(), 'sendtrail-tracking-'));
  const recorder = await startHitRecorder({ db: store.db, classify: classifyHit, spoolDir, retryMs: 100, commitTimeoutMs: 1000 });
  const app = await buildServer({ db: store.db, metrics: createMetrics(), tracking: { keys: TRACKING_TEST_KEYS, recorder }, trustProxy: options.trustProxy });
  await app.ready();
  let closed = false;
  return {
    store, app, recorder, projectId, spoolDir,
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
