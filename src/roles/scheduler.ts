// The scheduler role: work on the whole installation's data that runs on a beat rather than per
// request: the rollups of the event log (stats), the webhook outbox (a delivery per event and
// endpoint), the alerts (evaluated over the rollups) and, once a day, retention. Several processes
// may run it: a batch holds its cursor's lock, so each event is folded, and queued for each
// endpoint, once; a project's alerts are evaluated under its own row's lock.
import { startRollups } from '../analytics/rollups/index.ts';
import { clientOf } from '../analytics/clients.ts';
import { createProviderLookup } from '../analytics/providers.ts';
import { startOutbox } from '../webhooks/index.ts';
import { startRetention } from '../retention/index.ts';
import { alertMail, startAlerts } from '../alerts/index.ts';
import { createAdminNotifier } from '../accounts/index.ts';
import { createRelayMailer } from '../delivery/index.ts';
import { publicUrlOf } from '../config/public-urls.ts';
import type { Role } from './role.ts';

export const schedulerRole: Role = {
  name: 'scheduler',
  async start({ store, config, log, pollMs }, parts) {
    const rollups = await startRollups({
      db: store.db,
      notifier: store.notifier,
      providers: createProviderLookup({ db: store.db, lookupMx: config.PROVIDER_MX_LOOKUP }),
      clientOf,
      pollMs: pollMs === undefined ? undefined : Math.min(pollMs, 500),
      log,
    });
    parts.add('rollups', () => rollups.stop());
    const outbox = await startOutbox({ db: store.db, notifier: store.notifier, pollMs: pollMs === undefined ? undefined : Math.min(pollMs, 500), log });
    parts.add('webhook outbox', () => outbox.stop());
    // Daily: bodies, events (with their emails) and raw inbound mail past each project's retention.
    const retention = startRetention({ db: store.db, log });
    parts.add('retention', () => retention.stop());
    // Admins are told by email when a relay is configured; else the dashboard and webhooks tell.
    const mailer = config.SMTP_URL ? createRelayMailer(config.SMTP_URL, `Sendtrail <postmaster@${config.REPLY_DOMAIN}>`) : undefined;
    if (mailer) parts.add('admin mailer', () => mailer.close());
    const notifyAdmins = mailer && createAdminNotifier(store.db, mailer.send);
    const alerts = startAlerts({
      db: store.db,
      log,
      onChanges: notifyAdmins && (async (_projectId, changes) => {
        const mail = alertMail(changes, publicUrlOf(config));
        await notifyAdmins(mail.subject, mail.text);
      }),
    });
    parts.add('alerts', () => alerts.stop());
    return {};
  },
};
