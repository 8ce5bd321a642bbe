// Routes for the project's suppression list: read, add, remove (issue 4, part 6), import and export
// as CSV (issue 20).
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.ts';
import { Readable } from 'node:stream';
import {
  addSuppressions, exportSuppressions, importSuppressions, listSuppressions, removeSuppression, MAX_REPORTED_LINES, SUPPRESSION_REASONS, type SuppressionRow,
} from '../../suppressions/index.ts';
import { isValidAddress } from '../../sending/index.ts';
import { AppError } from '../../shared/app-error.ts';
import { recordAudit } from '../../audit/index.ts';
import { transact } from '../../store/transact.ts';
import { recordRead, requestContext, withAudit } from '../audit-trail.ts';
import { Address, ErrorBody, LimitParam, OneOrMany, errorResponses, pagedListDescription, parseLimit } from '../schemas.ts';
import { decodeCursor, encodeCursor } from '../serialize.ts';

const Reason = Type.Union(SUPPRESSION_REASONS.map((r) => Type.Literal(r)));
// Users add entries by hand or when importing a list from another provider; the reasons that
// Sendtrail itself assigns (hard_bounce ...) may be given too, so an import keeps its history.
const MAX_PER_REQUEST = 1000;

const AddBody = Type.Object(
  { email: OneOrMany(Address, MAX_PER_REQUEST), reason: Type.Optional(Reason) },
  { additionalProperties: false },
);

const Added = Type.Object({ data: Type.Array(Type.Object({ email: Type.String(), reason: Type.String(), added: Type.Boolean() })) });

const ListQuery = Type.Object({
  email: Type.Optional(Type.String({ maxLength: 320 })),
  reason: Type.Optional(Reason),
  limit: Type.Optional(LimitParam),
  cursor: Type.Optional(Type.String({ maxLength: 500 })),
});

const ImportQuery = Type.Object({ reason: Type.Optional(Reason) }, { additionalProperties: false });

const Imported = Type.Object({
  added: Type.Integer({ description: 'Addresses newly on the list.' }),
  already_listed: Type.Integer({ description: 'Valid lines whose address was on the list already, or earlier in the file.' }),
  invalid: Type.Integer({ description: 'Lines skipped: not an address, an unknown reason, a malformed CSV record.' }),
  invalid_lines: Type.Array(Type.Object({ line: Type.Integer(), reason: Type.String() }), { description: `The first ${MAX_REPORTED_LINES} skipped lines.` }),
});

const ExportQuery = Type.Object({ reason: Type.Optional(Reason) }, { additionalProperties: false });

const suppressionJson = (s: SuppressionRow) => ({
  email: s.email,
  reason: s.reason,
  source_email_id: s.source_email_id,
  created_at: s.created_at.toISOString(),
});

export function suppressionRoutes(db: Kysely<Database>): FastifyPluginAsyncTypebox {
  return async (app) => {
    // An import may be a provider's whole list: the route reads the request stream itself (no body
    // limit, nothing buffered whole); the parser stays inside this plugin.
    app.addContentTypeParser('text/csv', (_request, payload, done) => done(null, new StreamedCsv(payload)));

    app.get('/v1/suppressions', { schema: { summary: 'The suppression list, by address', description: pagedListDescription('addresses', '`reason`'), tags: ['suppressions'], querystring: ListQuery } }, async (request) => {
      const q = request.query;
      const limit = parseLimit(q.limit);
      const page = await listSuppressions(db, request.projectId, {
        email: q.email,
        reason: q.reason,
        after: q.cursor ? decodeCursor(q.cursor) : undefined,
        limit,
      });
      return { data: page.rows.map(suppressionJson), next_cursor: page.next ? encodeCursor(page.next) : null };
    });

    app.post(
      '/v1/suppressions',
      { config: { audit: 'suppression.add' }, schema: { summary: 'Add addresses to the suppression list: sending to them is rejected', tags: ['suppressions'], body: AddBody, response: { 201: Added, ...errorResponses } } },
      async (request, reply) => {
        const emails = [...new Set((Array.isArray(request.body.email) ? request.body.email : [request.body.email]).map((e) => e.trim().toLowerCase()))];
        const invalid = emails.filter((e) => !isValidAddress(e));
        if (invalid.length > 0) throw new AppError('invalid_recipient', `Not an email address: ${invalid.slice(0, 5).join(', ')}`, { invalid: invalid.slice(0, 100) });
        const reason = request.body.reason ?? 'manual';
        const added = new Set(await transact(db, async (trx) => {
          const newly = await addSuppressions(trx, emails.map((email) => ({ projectId: request.projectId, email, reason })));
          // One record per address added: the log is searched by address (target).
          await recordAudit(trx, ...newly.map((email) => ({
            ...requestContext(request), action: 'suppression.add' as const, target: { type: 'suppression', id: email }, details: { email, reason },
          })));
          return newly;
        }));
        return reply.status(201).send({ data: emails.map((email) => ({ email, reason, added: added.has(email) })) });
      },
    );

    app.post(
      '/v1/suppressions/import',
      {
        config: { audit: 'suppression.import' },
        schema: {
          summary: 'Import addresses into the suppression list from a CSV file (text/csv, streamed)',
          description:
            'A header row with an `email` column and, optionally, a `reason` column (empty or absent: the `reason` parameter, default manual). ' +
            'Every valid line is added; bad lines are skipped and reported by line number. GET /v1/suppressions/export writes this format.',
          tags: ['suppressions'],
          querystring: ImportQuery,
          response: { 200: Imported, ...errorResponses },
        },
      },
      async (request) => {
        if (!(request.body instanceof StreamedCsv)) throw new AppError('unsupported_media_type', 'Send the list as text/csv');
        // Imported in batches as the file streams in, so not in one transaction: the record follows the import.
        const imported = await importSuppressions(db, request.projectId, request.body, request.query.reason ?? 'manual');
        await recordRead(db, request, { action: 'suppression.import', details: { added: imported.added, already_listed: imported.already_listed, invalid: imported.invalid, format: 'csv' } });
        return imported;
      },
    );

    app.get(
      '/v1/suppressions/export',
      {
        schema: {
          summary: 'The suppression list as a CSV file (email, reason, source_email_id, created_at), streamed',
          description: 'Cells a spreadsheet would read as a formula (starting with =, +, -, @) are prefixed with an apostrophe.',
          tags: ['suppressions'],
          querystring: ExportQuery,
          response: { 200: Type.Unsafe<Readable>({ type: 'string', description: 'The list as text/csv' }), 400: ErrorBody, 401: ErrorBody },
        },
      },
      async (request, reply) => {
        const day = new Date().toISOString().slice(0, 10);
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="suppressions-${day}.csv"`)
          .header('cache-control', 'no-store')
          .send(Readable.from(exportSuppressions(db, request.projectId, { reason: request.query.reason })));
      },
    );

    app.delete(
      '/v1/suppressions/:email',
      { config: { audit: 'suppression.remove' }, schema: { summary: 'Remove an address from the suppression list', tags: ['suppressions'], params: Type.Object({ email: Type.String({ maxLength: 320 }) }) } },
      async (request) => {
        const email = request.params.email.toLowerCase();
        await withAudit(db, request, async (trx) => {
          if (!(await removeSuppression(trx, request.projectId, request.params.email))) {
            throw new AppError('not_found', 'This address is not on the suppression list');
          }
        }, () => ({ action: 'suppression.remove', target: { type: 'suppression', id: email }, details: { email } }));
        return { email: request.params.email.toLowerCase(), deleted: true };
      },
    );
  };
}

/** An upload as the route receives it: the raw stream behind a private field, so the edge's checks that walk a parsed body do not crawl the socket. */
class StreamedCsv implements AsyncIterable<Buffer> {
  readonly #stream: AsyncIterable<Buffer>;
  constructor(stream: AsyncIterable<Buffer>) {
    this.#stream = stream;
  }
  [Symbol.asyncIterator]() {
    return this.#stream[Symbol.asyncIterator]();
  }
}
