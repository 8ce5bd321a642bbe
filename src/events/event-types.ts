// Owns the event vocabulary: everything that can happen to an email, from queued to a reply.
export const EVENT_TYPES = [
  'queued', 'scheduled', 'cancelled', 'rejected', 'sent', 'delivered', 'delivery_delayed',
  'bounced', 'failed', 'complaint', 'unsubscribe', 'open', 'click', 'reply',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];
