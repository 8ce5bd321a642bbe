// How the event stream treats the connection itself: comments that keep proxies from closing an
// idle stream, and a client that stops reading, cut off instead of held in memory.
import { afterEach, describe, expect, it } from 'vitest';
import { createConnection } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { appendEvents, startEventFeed, type EventFeed } from '../../events/index.ts';
import { createTestStore, type TestStore } from '../../../test/support/test-store.ts';
import { createEmails } from '../../../test/support/tracking-fixtures.ts';
import { openSse } from '../../../test/support/sse-client.ts';
import { eventStreamRoutes } from './event-stream.routes.ts';

describe('the event stream\'s connection', () => {
  let store: TestStore | undefined;
  let feed: EventFeed | undefined;
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    await feed?.stop();
    await store?.close();
    app = feed = store = undefined;
  });

  async function serve(options: { keepaliveMs?: number; maxUnsentBytes?: number }) {
    store = await createTestStore('pglite');
    const { projectId, emailIds } = await createEmails(store.db, 1);
    feed = await startEventFeed({ db: store.db, notifier: store.notifier, pollMs: 50 });
    app = Fastify();
    // Stands in for the API key check of the real server.
    app.addHook('onRequest', async (request) => {
      request.projectId = projectId;
    });
    await app.register(eventStreamRoutes(store.db, feed, options));
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    return { url, projectId, emailId: emailIds[0]! };
  }

  it('sends a comment at every keep-alive interval while nothing happens', async () => {
    const { url } = await serve({ keepaliveMs: 100 });
    const stream = await openSse(`${url}/v1/events/stream`);
    await new Promise((r) => setTimeout(r, 450));
    expect(stream.comments().filter((c) => c === 'keep-alive').length).toBeGreaterThanOrEqual(3);
    stream.close();
  });

  it('cuts off a client that stops reading once its unsent events pass the limit', async () => {
    const { url, projectId, emailId } = await serve({ maxUnsentBytes: 64 * 1024 });
    const { port } = new URL(url);
    const socket = createConnection({ host: '127.0.0.1', port: Number(port) });
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('GET /v1/events/stream HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n');
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.once('data', () => socket.pause()); // reads the response head, then nothing more
    await new Promise((r) => setTimeout(r, 200));
    // Far more than the socket's buffers hold: some 20 MB of events.
    const padding = 'x'.repeat(2000);
    for (let i = 0; i < 10; i++) {
      await appendEvents(store!.db, Array.from({ length: 1000 }, () => ({ projectId, emailId, type: 'open' as const, metadata: { padding } })));
    }
    const outcome = await Promise.race([closed.then(() => 'cut off'), new Promise((r) => setTimeout(() => r('still open'), 15_000))]);
    expect(outcome).toBe('cut off');
    socket.destroy();
  });
});
