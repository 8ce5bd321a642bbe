// The live event stream across processes, as it runs in production on PostgreSQL: the API in one
// process, the worker, tracking and inbound roles in another. A client of the API follows a
// simulator email's whole life as the other process writes it, then reconnects and catches up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSendtrailProcess, type SendtrailProcess } from './support/sendtrail-process.ts';
import { createTestDatabase } from './support/test-store.ts';
import { openSse, type SseFrame } from './support/sse-client.ts';

const API_KEY = 'st_live_stream_test_key_0123456789';
const auth = { authorization: `Bearer ${API_KEY}` };
const data = (f: SseFrame) => JSON.parse(f.data!) as { id: number; email_id: string; event_type: string; created_at: string };

describe('the live event stream across processes (PostgreSQL)', () => {
  let db: { url: string; drop: () => Promise<void> };
  let dataDir: string;
  const procs: SendtrailProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    dataDir = await mkdtemp(join(tmpdir(), 'sendtrail-live-'));
  });
  afterAll(async () => {
    await Promise.all(procs.map((p) => p.stop()));
    await db?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('a client of the api process sees an email written by the worker process live, then catches up after a reconnect', async () => {
    const env = { DATABASE_URL: db.url, SENDTRAIL_API_KEY: API_KEY, SENDTRAIL_SECRET: 'shared-secret-for-all' };
    const api = await startSendtrailProcess(env, { roles: 'api' });
    procs.push(api);
    procs.push(await startSendtrailProcess({ ...env, SENDTRAIL_DATA_DIR: dataDir }, { roles: 'worker,tracking,inbound' }));

    const stream = await openSse(`${api.url}/v1/events/stream`, auth);
    const res = await fetch(`${api.url}/v1/emails`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ from: 'shop@example.com', to: 'reply@simulator.test', subject: 'Your order', text: 'Thanks!' }),
    });
    const emailId = ((await res.json()) as { data: Array<{ id: string }> }).data[0]!.id;

    // Live: queued (by this process), then sent and delivered (by the worker) as they happen.
    const live = await stream.events(3, 20_000);
    const receivedAt = Date.now();
    expect(live.map((f) => [f.event, data(f).email_id])).toEqual([['queued', emailId], ['sent', emailId], ['delivered', emailId]]);
    // Within a second of being written, though another process wrote it.
    expect(receivedAt - Date.parse(data(live[2]!).created_at)).toBeLessThan(1000);
    stream.close();

    // Meanwhile the recipient replies (the reply comes back through the other process's inbound server).
    const until = Date.now() + 20_000;
    let stored: Array<{ event_type: string }> = [];
    while (!stored.some((e) => e.event_type === 'reply') && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 200));
      stored = ((await (await fetch(`${api.url}/v1/emails/${emailId}/events`, { headers: auth })).json()) as { data: typeof stored }).data;
    }
    expect(stored.map((e) => e.event_type)).toEqual(['queued', 'sent', 'delivered', 'reply']);

    // Back with the last id it saw: exactly what it missed, once.
    const again = await openSse(`${api.url}/v1/events/stream`, { ...auth, 'last-event-id': live[2]!.id! });
    const missed = await again.events(1, 10_000);
    expect(missed.map((f) => [f.event, data(f).email_id])).toEqual([['reply', emailId]]);
    expect(await again.eventsWithin(1500)).toEqual([]);
    again.close();
  }, 90_000);
});
