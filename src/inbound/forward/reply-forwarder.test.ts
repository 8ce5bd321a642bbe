import { afterEach, describe, expect, it } from 'vitest';
import { createTestStore, STORE_KINDS, type TestStore } from '../../../test/support/test-store.ts';
import { eventually } from '../../../test/support/test-worker.ts';
import { newId } from '../../shared/ids.ts';
import { startReplyForwarding } from './reply-forwarder.ts';
import type { ForwardOutcome } from './smtp-forward.ts';

const RETRY = { baseMs: 50, maxDelayMs: 50, lifetimeMs: 60_000 };
const HOLDER = 'mx-1:4242:abcdef';

describe.each(STORE_KINDS)('reply forwarding on %s', (kind) => {
  let store: TestStore;
  afterEach(async () => store?.close());

  async function pendingReplies(n: number): Promise<string[]> {
    const ids = Array.from({ length: n }, () => newId());
    await store.db
      .insertInto('inbound_messages')
      .values(ids.map((id, i) => ({
        id, project_id: newId(), email_id: null, kind: 'reply', mail_from: 'reader@example.org', rcpt_to: ['sales@replies.example'],
        from_header: null, subject: null, content_hash: id, size_bytes: 10, event_count: 0, error: null, raw: Buffer.from(`reply ${i}`),
        forward_state: 'pending', forward_next_at: new Date(Date.now() - 1000 + i),
      })))
      .execute();
    return ids;
  }
  const states = (ids: string[]) =>
    store.db.selectFrom('inbound_messages').select(['id', 'forward_state', 'forward_attempts', 'forward_next_at', 'forward_locked_by']).where('id', 'in', ids).execute()
      .then((rows) => ids.map((id) => rows.find((r) => r.id === id)!));

  it('stopping mid-batch hands the unsent forwards back, due at once and with no attempt counted', async () => {
    store = await createTestStore(kind);
    const ids = await pendingReplies(3);
    const sent: string[] = [];
    let release!: () => void;
    const firstSendHeld = new Promise<void>((resolve) => (release = resolve));
    let sendStarted!: () => void;
    const started = new Promise<void>((resolve) => (sendStarted = resolve));
    const forwarding = startReplyForwarding({
      db: store.db,
      holder: HOLDER,
      retry: RETRY,
      async send(raw): Promise<ForwardOutcome> {
        sendStarted();
        await firstSendHeld;
        sent.push(raw.toString());
        return { ok: true };
      },
    });
    await started;
    const stopping = forwarding.stop();
    release();
    await stopping;
    expect(sent).toEqual(['reply 0']);
    const [first, ...rest] = await states(ids);
    expect(first!.forward_state).toBe('forwarded');
    for (const r of rest) {
      expect(r.forward_state).toBe('pending');
      expect(r.forward_attempts).toBe(0);
      expect(r.forward_next_at!.getTime()).toBeLessThanOrEqual(Date.now());
      expect(r.forward_locked_by).toBeNull();
    }
  });

  it('names this process as the holder of the forwards it is sending, and clears it once each is recorded', async () => {
    store = await createTestStore(kind);
    const ids = await pendingReplies(2);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let sendStarted!: () => void;
    const started = new Promise<void>((resolve) => (sendStarted = resolve));
    let calls = 0;
    const forwarding = startReplyForwarding({
      db: store.db,
      holder: HOLDER,
      retry: { baseMs: 600_000, maxDelayMs: 600_000, lifetimeMs: 3_600_000 },
      async send(): Promise<ForwardOutcome> {
        sendStarted();
        await held;
        // The second relay refuses for now: a forward waiting for its retry is held by nobody.
        return ++calls === 1 ? { ok: true } : { ok: false, permanent: false, message: '451 try later' };
      },
    });
    try {
      await started;
      expect((await states(ids)).map((r) => r.forward_locked_by)).toEqual([HOLDER, HOLDER]);
      release();
      await eventually(async () => (await states(ids)).every((r) => r.forward_locked_by === null && r.forward_attempts === 1));
      expect((await states(ids)).map((r) => r.forward_state)).toEqual(['forwarded', 'pending']);
    } finally {
      release();
      await forwarding.stop();
    }
  });
});
