// The admins' email about alerts, through a real SMTP server standing in for the relay: every
// enabled admin gets it, viewers and disabled admins do not, and it says what changed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simpleParser } from 'mailparser';
import { createTestStore, STORE_KINDS, type TestStore } from '../../test/support/test-store.ts';
import { startSmtpSink, type SmtpSink } from '../../test/support/smtp-sink.ts';
import { createAdminNotifier, createUser, disableUserByEmail, systemClock } from '../accounts/index.ts';
import { createRelayMailer } from '../delivery/index.ts';
import { alertMail } from './alert-mail.ts';
import type { AlertRow } from './alerts.repository.ts';

const alert = (over: Partial<AlertRow>): AlertRow => ({
  id: 'a1', project_id: 'p', rule: 'campaign_hard_bounce_rate', subject: 'campaign:c1', window: 'campaign', level: 'critical', state: 'triggered',
  value: 0.08, volume: '600', threshold: 0.05, message: 'Hard-bounce rate 8.0 % for campaign c1 so far (48 of 600 sent): critical at 5.0 %',
  campaign_id: 'c1', triggered_at: new Date(), resolved_at: null, updated_at: new Date(), ...over,
});

describe.each(STORE_KINDS)('telling admins of alerts by email on %s', (kind) => {
  let store: TestStore;
  let sink: SmtpSink;
  beforeAll(async () => {
    store = await createTestStore(kind);
    sink = await startSmtpSink({ keepRaw: true });
  });
  afterAll(async () => {
    await sink?.close();
    await store?.close();
  });

  it('mails every enabled admin what changed, and says a critical campaign is paused', async () => {
    const deps = { db: store.db, clock: systemClock };
    await createUser(deps, { email: 'ann@example.com', role: 'admin' });
    await createUser(deps, { email: 'bob@example.com', role: 'admin' });
    await createUser(deps, { email: 'vic@example.com', role: 'viewer' });
    await disableUserByEmail(deps, 'bob@example.com');
    const mailer = createRelayMailer(`smtp://127.0.0.1:${sink.port}`, 'Sendtrail <postmaster@replies.example.com>');
    try {
      const mail = alertMail([{ kind: 'triggered', alert: alert({}) }, { kind: 'resolved', alert: alert({ id: 'a2', rule: 'complaint_rate', level: 'warning', state: 'resolved', message: 'Complaint rate 0.10 % for provider gmail over 24 hours' }) }], 'https://mail.example.com/');
      expect(await createAdminNotifier(store.db, mailer.send)(mail.subject, mail.text)).toBe(1);
      const [received] = await sink.waitFor(1);
      expect(received!.to).toEqual(['ann@example.com']);
      const parsed = await simpleParser(received!.raw);
      expect(parsed.subject).toMatch(/^Sendtrail: critical: Hard-bounce rate 8\.0 %.*\(\+1 more\)$/);
      expect(parsed.text).toContain('- CRITICAL: Hard-bounce rate 8.0 % for campaign c1');
      expect(parsed.text).toContain('- RESOLVED: Complaint rate 0.10 % for provider gmail');
      expect(parsed.text).toContain('is paused until it is resumed');
      expect(parsed.text).toContain('https://mail.example.com/alerts');
    } finally {
      mailer.close();
    }
  });
});
