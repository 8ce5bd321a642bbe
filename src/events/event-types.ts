// The event vocabulary of DESIGN.md section 1 and the forward-only order of an email's status.
export const EVENT_TYPES = [
  'queued', 'scheduled', 'cancelled', 'rejected', 'sent', 'delivered', 'delivery_delayed',
  'bounced', 'failed', 'complaint', 'unsubscribe', 'open', 'click', 'reply',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const EMAIL_STATUSES = [
  'scheduled', 'queued', 'delivery_delayed', 'sent', 'delivered',
  'bounced', 'rejected', 'failed', 'cancelled',
] as const;
export type EmailStatus = (typeof EMAIL_STATUSES)[number];

/**
 * Rank of each status: a status only ever moves to a higher rank, so a late `delivery_delayed` DSN
 * never overwrites `delivered`. `bounced` outranks `delivered` because a server may accept a message
 * and bounce it afterwards. Final refusals share the top rank: the first one wins.
 */
export const STATUS_RANK: Record<EmailStatus, number> = {
  scheduled: 0,
  queued: 1,
  delivery_delayed: 2,
  sent: 3,
  delivered: 4,
  bounced: 5,
  rejected: 6,
  failed: 6,
  cancelled: 6,
};

export const FINAL_STATUSES: ReadonlySet<EmailStatus> = new Set(['delivered', 'bounced', 'rejected', 'failed', 'cancelled']);

export const isEmailStatus = (value: string): value is EmailStatus => (EMAIL_STATUSES as readonly string[]).includes(value);

/** The status an event moves an email to, if it is a delivery event. */
export function statusOfEvent(type: EventType): EmailStatus | undefined {
  return isEmailStatus(type) ? type : undefined;
}
