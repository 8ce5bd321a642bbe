// What an endpoint receives for one logged event: `{type, created_at, data}` (issue 21). `data`
// names the email and carries the event's metadata as it is stored (an open's or click's
// `counted` and `why`, a bounce's `bounce_type` and `reason` ...), beside the email's fields.
import type { LoggedEventWithEmail } from '../../events/index.ts';
import { WEBHOOK_TYPE_OF } from '../webhook-event-types.ts';

export type WebhookPayload = { type: string; created_at: string; data: Record<string, unknown> };

/** The payload for `event`, or undefined for an event that is not sent (reclassified). */
export function payloadOf(event: LoggedEventWithEmail): WebhookPayload | undefined {
  const type = WEBHOOK_TYPE_OF[event.event_type];
  if (!type) return undefined;
  return {
    type,
    created_at: event.created_at.toISOString(),
    data: {
      ...event.metadata,
      event_id: event.id,
      email_id: event.email_id,
      campaign_id: event.campaign_id,
      from: event.from_address,
      to: event.to_address,
      tags: Array.isArray(event.tags) ? event.tags : [],
    },
  };
}

/** Whether an endpoint that asked for counted hits only gets this payload. */
export function isCountedHit(payload: WebhookPayload): boolean {
  return payload.data.counted === true;
}
