// GET /v1/emails/export.csv: the email log, filtered as its pages are, as a CSV download. Written
// page by page as the client reads it, so memory holds one page however many emails match.
import { Readable } from 'node:stream';
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.ts';
import { listEmails, type EmailFilter, type EmailRow } from '../../sending/index.ts';
import { errorResponses } from '../schemas.ts';
import { emailJson } from '../serialize.ts';
import { EmailFilterQuery, emailFilterOf } from './email-filters.ts';
import { csvLine } from './csv.ts';

const PAGE = 100;

const COLUMNS: Array<[string, (e: ReturnType<typeof emailJson>) => string]> = [
  ['id', (e) => e.id],
  ['created_at', (e) => e.created_at],
  ['status', (e) => e.status],
  ['from', (e) => e.from],
  ['to', (e) => e.to],
  ['subject', (e) => e.subject ?? ''],
  ['campaign_id', (e) => e.campaign_id ?? ''],
  ['tags', (e) => e.tags.join(' ')],
  ['message_id', (e) => e.message_id],
];

export function emailExportRoutes(db: Kysely<Database>): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v1/emails/export.csv',
      {
        schema: {
          summary: 'The email log as CSV, filtered as GET /v1/emails is (newest first, every page)',
          description:
            `Columns: ${COLUMNS.map(([name]) => name).join(', ')}. A cell starting with =, +, - or @ is prefixed with an apostrophe, so a spreadsheet never runs it as a formula.`,
          tags: ['emails'],
          querystring: Type.Object(EmailFilterQuery),
          produces: ['text/csv'],
          response: { 200: Type.String({ description: 'text/csv; charset=utf-8' }), 400: errorResponses[400] },
        },
      },
      async (request, reply) => {
        const filter = emailFilterOf(request.query);
        const stamp = new Date().toISOString().slice(0, 19).replaceAll(':', '-');
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="emails-${stamp}.csv"`)
          .header('cache-control', 'private, no-store')
          // A stream is sent as it is, never through the 200 schema's serializer (there for the OpenAPI document).
          .send(Readable.from(csvOf(db, request.projectId, filter)) as unknown as string);
      },
    );
  };
}

async function* csvOf(db: Kysely<Database>, projectId: string, filter: Omit<EmailFilter, 'limit' | 'before'>): AsyncGenerator<string> {
  yield csvLine(COLUMNS.map(([name]) => name));
  let before: string | undefined;
  do {
    const page = await listEmails(db, projectId, { ...filter, before, limit: PAGE });
    if (page.rows.length > 0) yield page.rows.map((row: EmailRow) => csvLine(COLUMNS.map(([, cell]) => cell(emailJson(row))))).join('');
    before = page.next ?? undefined;
  } while (before);
}
