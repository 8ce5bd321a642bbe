// The webhook vocabulary (issue 21): each email event under its `email.*` name, the alerts' and the
// test event. An endpoint subscribes to a list of these (empty: all).
import type { EventType } from '../events/index.ts';

/** Event log type -> webhook type; `reclassified` (a changed verdict on a stored hit) is not sent. */
export const WEBHOOK_TYPE_OF: Partial<Record<EventType, string>> = {
  queued: 'email.queued',
  scheduled: 'email.scheduled',
  sent: 'email.sent',
  delivered: 'email.delivered',
  delivery_delayed: 'email.delivery_delayed',
  bounced: 'email.bounced',
  rejected: 'email.rejected',
  failed: 'email.failed',
  cancelled: 'email.cancelled',
  complaint: 'email.complained',
  unsubscribe: 'email.unsubscribed',
  open: 'email.opened',
  click: 'email.clicked',
  reply: 'email.replied',
};

export const WEBHOOK_EVENT_TYPES = [...Object.values(WEBHOOK_TYPE_OF), 'alert.triggered', 'alert.resolved', 'webhook.test'] as string[];

/** Types whose events an endpoint with `counted_only` receives only when counted (a person's, not a machine's). */
export const HIT_TYPES: ReadonlySet<string> = new Set(['email.opened', 'email.clicked']);
