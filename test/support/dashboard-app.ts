// An in-process API for dashboard sign-in tests: a clock the test moves, the server's log lines,
// users made directly in the store, and requests as the dashboard (cookie and Origin) sends them.
import { Writable } from 'node:stream';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildServer, type ServerDeps } from '../../src/http/build-server.ts';
import { createMetrics } from '../../src/metrics/metrics.ts';
import { ensureDefaultProject } from '../../src/projects/default-project.ts';
import { createUser, type Role } from '../../src/accounts/index.ts';
import type { EventFeed } from '../../src/events/index.ts';
import { createTestStore, type StoreKind, type TestStore } from './test-store.ts';

export const PUBLIC_URL = 'http://localhost:3000';
export const PASSWORD = 'correct horse battery';

export type DashboardApp = {
  store: TestStore;
  app: FastifyInstance;
  apiKey: string;
  /** The test's clock: requests see this time. */
  clock: { now: Date; advance(ms: number): void };
  /** Every log line the server wrote (level debug). */
  logs: string[];
  addUser(email: string, role: Role, password?: string): Promise<{ id: string; signInToken?: string }>;
  /** Signs in by password and returns the Cookie header to send. */
  signIn(email: string, password?: string): Promise<string>;
  /** A request as the dashboard makes it: same-origin, with the session cookie. */
  asBrowser(cookie: string, options: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
};

export async function createDashboardApp(kind: StoreKind, options: { publicUrl?: string; system?: ServerDeps['system']; bounceDomain?: string; trustProxy?: string[]; webhooks?: ServerDeps['webhooks'] } = {}): Promise<DashboardApp> {
  const store = await createTestStore(kind);
  const { createdKey } = await ensureDefaultProject(store.db);
  const clock = { now: new Date('2030-01-01T00:00:00Z'), advance(ms: number) { clock.now = new Date(clock.now.getTime() + ms); } };
  const logs: string[] = [];
  const logStream = new Writable({ write(chunk, _enc, done) { logs.push(chunk.toString()); done(); } });
  const publicUrl = options.publicUrl ?? PUBLIC_URL;
  // The event stream's route is served, so that its refusals can be tested; nothing here follows the log.
  const eventFeed = {} as EventFeed;
  const app = await buildServer({ db: store.db, metrics: createMetrics(), publicUrl, clock: () => clock.now, logLevel: 'debug', logStream, eventFeed, system: options.system, bounceDomain: options.bounceDomain, trustProxy: options.trustProxy, webhooks: options.webhooks });
  await app.ready();
  const origin = new URL(publicUrl).origin;
  const t: DashboardApp = {
    store,
    app,
    apiKey: createdKey!,
    clock,
    logs,
    async addUser(email, role, password) {
      const created = await createUser({ db: store.db, clock: () => clock.now }, { email, role, password });
      return { id: created.user.id, signInToken: created.signInToken };
    },
    async signIn(email, password = PASSWORD) {
      const res = await app.inject({ method: 'POST', url: '/v1/session', headers: { origin }, payload: { email, password } });
      if (res.statusCode !== 200) throw new Error(`sign-in of ${email} failed: ${res.statusCode} ${res.body}`);
      return cookieOf(res);
    },
    asBrowser(cookie, request) {
      return app.inject({ ...request, headers: { origin, cookie, ...request.headers } });
    },
    close: async () => {
      await app.close();
      await store.close();
    },
  };
  return t;
}

/** The Cookie header a browser would send back after this response. */
export function cookieOf(res: LightMyRequestResponse): string {
  const cookie = res.cookies.find((c) => c.name === 'sendtrail_session');
  if (!cookie) throw new Error(`no session cookie in ${JSON.stringify(res.headers['set-cookie'])}`);
  return `sendtrail_session=${cookie.value}`;
}
