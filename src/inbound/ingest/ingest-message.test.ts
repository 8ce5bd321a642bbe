// Ingest on both stores, with classified messages as plain values: what each kind of returned mail
// does to its email, its events and the suppression list, and that nothing is taken in twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_KINDS, createTestStore, type TestStore } from '../../../test/support/test-store.ts';
import { ensureDefaultProject } from '../../projects/default-project.ts';
import { submitEmails, findEmail } from '../../sending/index.ts';
import { listEmailEvents } from '../../events/index.ts';
import { returnPathFor } from '../../bounces/index.ts';
import { listSuppressions } from '../../suppressions/index.ts';
import type { BounceResult, ReturnedMessage } from './classifier-port.ts';
import { ingestMessage, type IngestDeps } from './ingest-message.ts';
import { listInboundMessages } from './inbound.repository.ts';

const SECRET = 'ingest-test-secret';
const BOUNCE_DOMAIN = 'bounces.sendtrail.test';
const domains = { bounceDomain: BOUNCE_DOMAIN, replyDomain: 'replies.sendtrail.test' };
const noCorrelation = { envelopeIds: [], messageIds: [], sendtrailIds: [], recipients: [] };

const result = (over: Partial<BounceResult> = {}): BounceResult => ({
  recipient: null, action: 'failed', status: '5.1.1', reply_code: 550, reason: 'userunknown', hard: true,
  feedback: false, feedback_type: null, vacation: false, diagnostic: '550 5.1.1 User unknown', remote_mta: 'mx.example.org', ...over,
});
const returned = (over: Partial<ReturnedMessage> = {}): ReturnedMessage => ({
  kind: 'bounce', results: [result()], correlation: noCorrelation, messageId: null, ...over,
});
let counter = 0;
const rawMessage = (extraHeader = '') => Buffer.from(`${extraHeader}Subject: returned ${++counter}\r\nFrom: MAILER-DAEMON@mx.example.org\r\n\r\nbody ${counter}\r\n`);

describe.each(STORE_KINDS)('ingest of returned mail on %s', (kind) => {
  let store: TestStore;
  let projectId: string;
  const deps = (message: ReturnedMessage, over: Partial<IngestDeps> = {}): IngestDeps => ({
    db: store.db, classify: async () => message, secret: SECRET, domains, fallbackProjectId: projectId, softBounceSuppressCount: 3, ...over,
  });
  const send = async (to: string) => (await submitEmails(store.db, projectId, { from: 'Shop <shop@example.com>', to, subject: 'Hi', text: 'Hello' })).data[0]!.id;
  const vrp = (id: string) => returnPathFor(id, SECRET, BOUNCE_DOMAIN);
  const envelope = (id: string) => ({ mailFrom: '', rcptTo: [vrp(id)] });
  const eventsOf = async (id: string) => (await listEmailEvents(store.db, id)).filter((e) => e.event_type !== 'queued');
  const suppressed = async (email: string) => (await listSuppressions(store.db, projectId, { email, limit: 1 })).rows[0]?.reason;

  beforeAll(async () => {
    store = await createTestStore(kind);
    projectId = (await ensureDefaultProject(store.db)).projectId;
  });
  afterAll(async () => store?.close());

  it('a hard bounce to the return path bounces its email, with reason and status, and suppresses the recipient', async () => {
    const id = await send('Gone.User@example.org');
    const r = await ingestMessage(deps(returned({ results: [result({ recipient: 'gone.user@example.org' })] })), envelope(id), rawMessage());
    expect(r).toMatchObject({ duplicate: false, kind: 'bounce', emailId: id, events: ['bounced'] });
    const [event] = await eventsOf(id);
    expect(event!.metadata).toMatchObject({ bounce_type: 'hard', reason: 'userunknown', status: '5.1.1', diagnostic: '550 5.1.1 User unknown', inbound_message_id: r.inboundId });
    expect((await findEmail(store.db, projectId, id))!.status).toBe('bounced');
    expect(await suppressed('GONE.user@example.org')).toBe('hard_bounce');
  });

  it('the same DSN received twice, by another route, is one event', async () => {
    const id = await send('twice@example.org');
    const raw = rawMessage();
    const first = await ingestMessage(deps(returned()), envelope(id), raw);
    const again = await ingestMessage(deps(returned()), envelope(id), Buffer.concat([Buffer.from('Received: from relay2 by mx; Mon, 1 Jan 2024\r\n'), raw]));
    expect(first.duplicate).toBe(false);
    expect(again.duplicate).toBe(true);
    expect((await eventsOf(id)).map((e) => e.event_type)).toEqual(['bounced']);
  });

  it('finds the email by ENVID, then by its own Message-ID, when the recipient is no return path', async () => {
    const byEnvid = await send('envid@example.org');
    const byMessageId = await send('msgid@example.org');
    const messageId = (await findEmail(store.db, projectId, byMessageId))!.message_id;
    const plain = { mailFrom: '', rcptTo: [`postmaster@${BOUNCE_DOMAIN}`] };
    const a = await ingestMessage(deps(returned({ correlation: { ...noCorrelation, envelopeIds: [byEnvid] } })), plain, rawMessage());
    const b = await ingestMessage(deps(returned({ correlation: { ...noCorrelation, messageIds: [messageId.toUpperCase()] } })), plain, rawMessage());
    expect([a.emailId, b.emailId]).toEqual([byEnvid, byMessageId]);
  });

  it('keeps and lists mail it cannot match (a forged return path, a foreign Message-ID), with no event', async () => {
    const id = await send('forged@example.org');
    const forged = vrp(id).replace(/[0-9a-f](?=@)/, (c) => (c === '0' ? '1' : '0'));
    const r = await ingestMessage(
      deps(returned({ correlation: { ...noCorrelation, messageIds: [`<${id}@evil.example>`] } })),
      { mailFrom: 'x@evil.example', rcptTo: [forged] },
      rawMessage(),
    );
    expect(r).toMatchObject({ emailId: null, events: [], duplicate: false });
    expect(await eventsOf(id)).toEqual([]);
    const { rows: unmatched } = await listInboundMessages(store.db, projectId, { matched: false, limit: 100 });
    expect(unmatched.map((m) => m.id)).toContain(r.inboundId);
  });

  it('a success DSN delivers the email and a later delay report does not move it back', async () => {
    const id = await send('late@example.org');
    await ingestMessage(deps(returned({ kind: 'delivery_report', results: [result({ action: 'relayed', status: '2.0.0', hard: false, reason: 'delivered' })] })), envelope(id), rawMessage());
    await ingestMessage(deps(returned({ kind: 'delivery_report', results: [result({ action: 'delayed', status: '4.4.1', hard: false, reason: 'expired' })] })), envelope(id), rawMessage());
    expect((await eventsOf(id)).map((e) => e.event_type)).toEqual(['delivered', 'delivery_delayed']);
    expect((await findEmail(store.db, projectId, id))!.status).toBe('delivered');
  });

  it('a complaint is a complaint event with its feedback type and suppresses the recipient', async () => {
    const id = await send('angry@example.org');
    await ingestMessage(deps(returned({ kind: 'complaint', results: [result({ feedback: true, feedback_type: 'abuse', hard: false, reason: 'feedback' })] })), envelope(id), rawMessage());
    expect((await eventsOf(id))[0]).toMatchObject({ event_type: 'complaint', metadata: { feedback_type: 'abuse' } });
    expect(await suppressed('angry@example.org')).toBe('complaint');
  });

  it('an auto-reply is a reply with auto=true that neither bounces nor suppresses; a human reply keeps its new text', async () => {
    const ooto = await send('away@example.org');
    const human = await send('person@example.org');
    await ingestMessage(deps(returned({ kind: 'auto_reply', results: [result({ vacation: true, hard: false, reason: 'vacation', action: null })] })), envelope(ooto), rawMessage());
    await ingestMessage(deps(returned({ kind: 'reply', results: [], reply: { text: 'Yes please!', from: 'person@example.org', subject: 'Re: Hi' } })), envelope(human), rawMessage());
    expect((await eventsOf(ooto))[0]).toMatchObject({ event_type: 'reply', metadata: { auto: true } });
    expect((await findEmail(store.db, projectId, ooto))!.status).toBe('queued');
    expect(await suppressed('away@example.org')).toBeUndefined();
    expect((await eventsOf(human))[0]).toMatchObject({ event_type: 'reply', metadata: { auto: false, text: 'Yes please!', subject: 'Re: Hi' } });
  });

  it('soft bounces suppress an address only at the configured count', async () => {
    const soft = returned({ results: [result({ status: '4.2.2', reason: 'mailboxfull', hard: false, reply_code: 452 })] });
    for (let i = 1; i <= 3; i++) {
      const id = await send('full@example.org');
      await ingestMessage(deps(soft), envelope(id), rawMessage());
      expect(await suppressed('full@example.org')).toBe(i < 3 ? undefined : 'soft_bounces');
    }
  });

  it('stores a diagnostic holding NUL and broken UTF-16 instead of failing', async () => {
    const id = await send('nul@example.org');
    const r = await ingestMessage(deps(returned({ results: [result({ diagnostic: 'bad\u0000byte \ud800', hard: false, reason: 'undefined' })] })), envelope(id), rawMessage('X-Odd: \u0000\r\n'));
    expect(r.events).toEqual(['bounced']);
    expect((await eventsOf(id))[0]!.metadata.diagnostic).toBe('bad\uFFFDbyte \uFFFD');
  });

  it('keeps an unsubscribe mailto as kind unsubscribe; with a valid token it unsubscribes and suppresses', async () => {
    const id = await send('leaver@example.org');
    const mail = { mailFrom: 'leaver@example.org', rcptTo: [`unsubscribe+tok-${id}@${BOUNCE_DOMAIN}`] };
    const unverified = await ingestMessage(deps(returned({ kind: 'other', results: [] })), mail, rawMessage());
    expect(unverified).toMatchObject({ kind: 'unsubscribe', emailId: null, events: [] });
    const verify = async (token: string) => (token === `tok-${id}` ? id : undefined);
    const verified = await ingestMessage(deps(returned({ kind: 'other', results: [] }), { verifyUnsubscribeToken: verify }), mail, rawMessage());
    expect(verified).toMatchObject({ kind: 'unsubscribe', emailId: id, events: ['unsubscribe'] });
    expect(await suppressed('leaver@example.org')).toBe('unsubscribe');
  });
});
