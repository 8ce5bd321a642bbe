// The Email Logs filters as search params of its URL (so a view can be shared), validated, and as
// the API's query parameters. Dates are whole days in the viewer's time zone.
export const STATUSES = ['queued', 'scheduled', 'sent', 'delivered', 'delivery_delayed', 'bounced', 'rejected', 'failed', 'cancelled'] as const;

export type LogSearch = {
  status?: string;
  campaign?: string;
  tag?: string;
  recipient?: string;
  q?: string;
  /** First day included, YYYY-MM-DD. */
  since?: string;
  /** Last day included, YYYY-MM-DD. */
  until?: string;
};

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const text = (v: unknown, max: number) => (typeof v === 'string' && v.trim() !== '' && v.length <= max ? v.trim() : undefined);

export function validateLogSearch(raw: Record<string, unknown>): LogSearch {
  const out: LogSearch = {};
  if (typeof raw.status === 'string' && (STATUSES as readonly string[]).includes(raw.status)) out.status = raw.status;
  if (typeof raw.campaign === 'string' && UUID.test(raw.campaign)) out.campaign = raw.campaign;
  out.tag = text(raw.tag, 100);
  out.recipient = text(raw.recipient, 320);
  out.q = text(raw.q, 200);
  if (typeof raw.since === 'string' && DAY.test(raw.since)) out.since = raw.since;
  if (typeof raw.until === 'string' && DAY.test(raw.until)) out.until = raw.until;
  for (const key of Object.keys(out) as Array<keyof LogSearch>) if (out[key] === undefined) delete out[key];
  return out;
}

/** The instant a day starts in the browser's time zone. */
const dayStart = (day: string) => new Date(`${day}T00:00:00`);

export function emailListParams(s: LogSearch): Record<string, string> {
  const p: Record<string, string> = {};
  if (s.status) p.status = s.status;
  if (s.campaign) p.campaign_id = s.campaign;
  if (s.tag) p.tag = s.tag;
  if (s.recipient) p.to = s.recipient;
  if (s.q) p.q = s.q;
  if (s.since) p.created_after = dayStart(s.since).toISOString();
  if (s.until) {
    const next = dayStart(s.until);
    next.setDate(next.getDate() + 1);
    p.created_before = next.toISOString();
  }
  return p;
}

export const hasFilters = (s: LogSearch) => Object.keys(s).some((k) => k in { status: 1, campaign: 1, tag: 1, recipient: 1, q: 1, since: 1, until: 1 });
