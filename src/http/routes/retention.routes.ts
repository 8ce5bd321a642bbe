// The project's retention (issue 21, part 4): how many days bodies, events and raw inbound mail are
// kept. Anyone may read it; an API key or an admin changes it (a viewer's session is refused by auth).
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.ts';
import { DEFAULT_RETENTION, MAX_RETENTION_DAYS, MIN_RETENTION_DAYS, readRetention, saveRetention } from '../../retention/index.ts';
import { errorResponses } from '../schemas.ts';
import { withAudit } from '../audit-trail.ts';

const Days = (what: string, def: number) =>
  Type.Integer({ minimum: MIN_RETENTION_DAYS, maximum: MAX_RETENTION_DAYS, description: `${what} (default ${def}).` });

const fields = {
  bodies_days: Days('Days an email\'s body (html, text, template data, the captured copy) is kept; then the Content tab says it was removed', DEFAULT_RETENTION.bodies_days),
  events_days: Days('Days an email and its events are kept; then both are deleted (the rollups, so /v1/stats, keep counting them). At least bodies_days', DEFAULT_RETENTION.events_days),
  raw_inbound_days: Days('Days the raw message of received mail is kept; what was read from it (kind, sender, subject, matched email) stays', DEFAULT_RETENTION.raw_inbound_days),
};

const RetentionBody = Type.Object(
  { ...fields, is_default: Type.Boolean({ description: 'No setting was saved for this project: these are the defaults.' }) },
);
const RetentionChange = Type.Partial(Type.Object(fields), { additionalProperties: false, minProperties: 1 });

export function retentionRoutes(db: Kysely<Database>): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v1/projects/current/retention',
      { schema: { summary: 'How long this project keeps bodies, events and raw inbound mail', tags: ['projects'], response: { 200: RetentionBody } } },
      async (request) => readRetention(db, request.projectId),
    );
    app.put(
      '/v1/projects/current/retention',
      {
        config: { audit: 'retention.update' },
        schema: {
          summary: 'Change how long this project keeps bodies, events and raw inbound mail',
          description:
            'Fields left out keep their value. Each is 1 to 3650 days, and events_days must be at least bodies_days (400 `validation_error`). ' +
            'The daily retention task applies them; rollups, suppressions and the audit log are kept whatever they say.',
          tags: ['projects'],
          body: RetentionChange,
          response: { 200: RetentionBody, 400: errorResponses[400], 403: errorResponses[401] },
        },
      },
      async (request) => {
        const saved = await withAudit(db, request, (trx) => saveRetention(trx, request.projectId, request.body), (r) => ({
          action: 'retention.update', target: { type: 'project', id: request.projectId }, details: { ...r },
        }));
        return { ...saved, is_default: false };
      },
    );
  };
}
