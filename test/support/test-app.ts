// An in-process API on a fresh store with one project and key: for HTTP tests through inject().
import type { FastifyInstance } from 'fastify';
import { buildServer, type ServerDeps } from '../../src/http/build-server.ts';
import { createMetrics } from '../../src/metrics/metrics.ts';
import { ensureDefaultProject } from '../../src/projects/default-project.ts';
import { createTestStore, type StoreKind, type TestStore } from './test-store.ts';

export type TestApp = {
  store: TestStore;
  app: FastifyInstance;
  apiKey: string;
  projectId: string;
  auth: { authorization: string };
  close(): Promise<void>;
};

export async function createTestApp(kind: StoreKind, deps: Partial<ServerDeps> = {}): Promise<TestApp> {
  const store = await createTestStore(kind);
  const { projectId, createdKey } = await ensureDefaultProject(store.db);
  const app = await buildServer({ db: store.db, metrics: createMetrics(), ...deps });
  await app.ready();
  return {
    store,
    app,
    apiKey: createdKey!,
    projectId,
    auth: { authorization: `Bearer ${createdKey}` },
    close: async () => {
      await app.close();
      await store.close();
    },
  };
}
