// The email log's filters as query parameters, shared by its pages (GET /v1/emails) and its CSV
// export (GET /v1/emails/export.csv), so an exported file holds what the screen showed.
import { Type, type Static } from '@fastify/type-provider-typebox';
import { EMAIL_STATUSES } from '../../events/index.ts';
import type { EmailFilter } from '../../sending/index.ts';
import { AppError } from '../../shared/app-error.ts';
import { isUuid } from '../../shared/ids.ts';

export const EmailFilterQuery = {
  status: Type.Optional(Type.Union(EMAIL_STATUSES.map((s) => Type.Literal(s)))),
  campaign_id: Type.Optional(Type.String({ maxLength: 64 })),
  to: Type.Optional(Type.String({ maxLength: 320, description: 'The recipient, whole (case-insensitive).' })),
  tag: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Emails carrying this tag.' })),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'A part of the recipient or of the subject (case-insensitive).' })),
  created_after: Type.Optional(Type.String({ format: 'date-time', description: 'Emails created at or after this instant (ISO 8601).' })),
  created_before: Type.Optional(Type.String({ format: 'date-time', description: 'Emails created before this instant (ISO 8601).' })),
};

const Query = Type.Object(EmailFilterQuery);
export type EmailFilterParams = Static<typeof Query>;

/** The filters of a request, checked; the page's size and cursor are the caller's. */
export function emailFilterOf(q: EmailFilterParams): Omit<EmailFilter, 'limit' | 'before'> {
  if (q.campaign_id && !isUuid(q.campaign_id)) throw new AppError('validation_error', 'campaign_id is malformed');
  const createdAfter = instant(q.created_after, 'created_after');
  const createdBefore = instant(q.created_before, 'created_before');
  return { status: q.status, campaignId: q.campaign_id, to: q.to?.toLowerCase(), tag: q.tag, search: q.q?.trim() || undefined, createdAfter, createdBefore };
}

function instant(value: string | undefined, name: string): Date | undefined {
  if (value === undefined) return undefined;
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) throw new AppError('validation_error', `${name} is not an ISO 8601 date-time`);
  return at;
}
