// The project's sending domains (issue 20): list, add (a DKIM key made here, the records to
// publish in the answer), read one with its records, remove. Works while Sendtrail runs, on either
// store: workers are told of a change (delivery/dkim/domain-changes.ts) and sign from the next
// message. A private key never leaves the server: answers are built field by field, never from the row.
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.ts';
import {
  addDomain, describeDomain, DKIM_ALGORITHMS, findDomain, findDomainById, listDomains, parseDomainName, removeDomain,
  type DescribeOptions, type DnsRecord, type DomainRow,
} from '../../delivery/dkim/index.ts';
import { AppError } from '../../shared/app-error.ts';
import { withAudit } from '../audit-trail.ts';
import { isUuid } from '../../shared/ids.ts';
import { ErrorBody, errorResponses } from '../schemas.ts';

const Algorithm = Type.Union(DKIM_ALGORITHMS.map((a) => Type.Literal(a)), {
  description: 'rsa (2048 bits, verified by every receiver; the default) or ed25519 (RFC 8463, not verified everywhere yet).',
});

const Domain = Type.Object({
  id: Type.String(),
  domain: Type.String({ description: 'Lower case; an international name in its ASCII (punycode) form.' }),
  selector: Type.String({ description: 'The DKIM selector (s=): the key is published at <selector>._domainkey.<domain>.' }),
  algorithm: Algorithm,
  bounce_domain: Type.Union([Type.String(), Type.Null()], {
    description: 'The Return-Path domain the SPF and MX records are for: the one given when the domain was added, else this installation\'s BOUNCE_DOMAIN.',
  }),
  created_at: Type.String({ format: 'date-time' }),
});

const DnsRecordSchema = Type.Object({
  type: Type.Union([Type.Literal('TXT'), Type.Literal('MX')]),
  name: Type.String({ description: 'The fully qualified name to publish the record at.' }),
  value: Type.String({ description: 'The record\'s data as one string, what DNS hosting panels ask for.' }),
  zone_value: Type.String({ description: 'The same as a zone file writes it (long TXT values cut into quoted 255-character strings).' }),
  purpose: Type.String({ description: 'What the record is for, and what to change in a template.' }),
});

const DomainWithRecords = Type.Object({ ...Domain.properties, records: Type.Array(DnsRecordSchema) });

const IdOrName = Type.Object({ id: Type.String({ maxLength: 300, description: 'The domain\'s id, or its name.' }) });

const responses = { ...errorResponses, 403: ErrorBody };

export type DomainRouteDeps = {
  db: Kysely<Database>;
  /** The installation's BOUNCE_DOMAIN: the records of a domain added without its own bounce domain. */
  bounceDomain?: string;
  /** PUBLIC_URL: its host is named as the bounce domain's MX when it is a public name. */
  publicUrl: string;
};

export function domainRoutes(deps: DomainRouteDeps): FastifyPluginAsyncTypebox {
  const { db } = deps;
  const describing: DescribeOptions = { defaultBounceDomain: deps.bounceDomain, inbound: deps.bounceDomain ? { host: publicMxHost(deps.publicUrl) } : undefined };
  const withRecords = (row: DomainRow) => ({ ...domainJson(row, deps.bounceDomain), records: describeDomain(row, describing).records.map(recordJson) });

  return async (app) => {
    app.get('/v1/domains', {
      schema: {
        summary: 'The project\'s sending domains, by name',
        description: 'Mail whose From is at one of them (or at a subdomain of one) is DKIM-signed with its key. The records are in GET /v1/domains/{id}.',
        tags: ['domains'],
        response: { 200: Type.Object({ data: Type.Array(Domain) }), ...responses },
      },
    }, async (request) => ({ data: (await listDomains(db, request.projectId)).map((row) => domainJson(row, deps.bounceDomain)) }));

    app.post('/v1/domains', {
      config: { audit: 'domain.add' },
      schema: {
        summary: 'Add a sending domain: makes its DKIM key and answers the DNS records to publish',
        description: 'Mail from the domain is signed from the next message on, by every running worker; receivers verify the signature once the DKIM record is published. ' +
          'The private key stays on the server. A name the project has already: 409 domain_exists. Admins\' sessions and API keys only.',
        tags: ['domains'],
        body: Type.Object({
          domain: Type.String({ maxLength: 300, description: 'The domain of the From addresses, e.g. example.com or news.example.com.' }),
          algorithm: Type.Optional(Algorithm),
          bounce_domain: Type.Optional(Type.String({ maxLength: 300, description: 'The Return-Path domain, when it is not this installation\'s BOUNCE_DOMAIN: the SPF and MX records are for it.' })),
        }, { additionalProperties: false }),
        response: { 201: DomainWithRecords, ...responses },
      },
    }, async (request, reply) => {
      const { domain, algorithm, bounce_domain } = request.body;
      const added = await withAudit(db, request, async (trx) => {
        const result = await addDomain(trx, request.projectId, domain, { algorithm, bounceDomain: bounce_domain });
        if (!result.wasCreated) throw new AppError('domain_exists', `The project has ${result.domain} already: its records are at GET /v1/domains/${result.domain}`);
        return result;
      }, (a) => ({ action: 'domain.add', target: { type: 'domain', id: a.row.id }, details: { domain: a.domain, algorithm: a.algorithm, bounce_domain: a.row.bounce_domain } }));
      if (!added.wasCreated) throw new AppError('domain_exists', `The project has ${added.domain} already: its records are at GET /v1/domains/${added.domain}`);
      return reply.status(201).send(withRecords(added.row));
    });

    app.get('/v1/domains/:id', {
      schema: {
        summary: 'A sending domain and the DNS records to publish for it',
        tags: ['domains'],
        params: IdOrName,
        response: { 200: DomainWithRecords, ...responses },
      },
    }, async (request) => withRecords(await domainOf(db, request.projectId, request.params.id)));

    app.delete('/v1/domains/:id', {
      config: { audit: 'domain.remove' },
      schema: {
        summary: 'Remove a sending domain and its DKIM key',
        description: 'Mail from the domain goes out unsigned from the next message on, which receivers whose DMARC policy asks for DKIM may refuse. ' +
          'The key is deleted: adding the domain again makes a new one, with a new DKIM record to publish. Admins\' sessions and API keys only.',
        tags: ['domains'],
        params: IdOrName,
        response: { 200: Type.Object({ ...Domain.properties, deleted: Type.Literal(true) }), ...responses },
      },
    }, async (request) => {
      const row = await domainOf(db, request.projectId, request.params.id);
      await withAudit(db, request, async (trx) => {
        if (!(await removeDomain(trx, row))) throw new AppError('not_found', 'This domain was removed meanwhile');
      }, () => ({ action: 'domain.remove', target: { type: 'domain', id: row.id }, details: { domain: row.name } }));
      return { ...domainJson(row, deps.bounceDomain), deleted: true as const };
    });
  };
}

/** By id, or by name (in any case, with or without the root dot); a name that is no domain is not found. */
async function domainOf(db: Kysely<Database>, projectId: string, idOrName: string): Promise<DomainRow> {
  const row = isUuid(idOrName) ? await findDomainById(db, projectId, idOrName) : await findDomainNamed(db, projectId, idOrName);
  if (!row) throw new AppError('not_found', 'This project has no such sending domain');
  return row;
}

async function findDomainNamed(db: Kysely<Database>, projectId: string, name: string): Promise<DomainRow | undefined> {
  let parsed: string;
  try {
    parsed = parseDomainName(name);
  } catch {
    return undefined;
  }
  return findDomain(db, projectId, parsed);
}

const domainJson = (row: DomainRow, defaultBounceDomain?: string) => ({
  id: row.id,
  domain: row.name,
  selector: row.selector,
  algorithm: row.algorithm,
  bounce_domain: row.bounce_domain ?? defaultBounceDomain ?? null,
  created_at: row.created_at.toISOString(),
});

const recordJson = (r: DnsRecord) => ({ type: r.type, name: r.name, value: r.value, zone_value: r.zoneValue, purpose: r.purpose });

/** PUBLIC_URL's host when mail servers could reach it by name: not an address, not a local name. */
export function publicMxHost(publicUrl: string): string | undefined {
  const host = new URL(publicUrl).hostname;
  const local = host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local') || !host.includes('.');
  const address = /^[0-9.]+$/.test(host) || host.startsWith('[');
  return local || address ? undefined : host;
}
