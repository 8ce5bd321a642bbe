// Owns the event vocabulary: everything that can happen to an email, from queued to a reply, and the
// one event about events: `reclassified`, a changed verdict on a stored open or click (see hit-verdicts.ts).
export const EVENT_TYPES = [
  'queued', 'scheduled', 'cancelled', 'rejected', 'sent', 'delivered', 'delivery_delayed',
  'bounced', 'failed', 'complaint', 'unsubscribe', 'open', 'click', 'reply', 'reclassified',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];
