// Turns a tracking request into a Hit: user agent, client IP, method and prefetch hints, made storable.
import { randomUUID } from 'node:crypto';
import { storableText } from '../shared/storable-text.ts';
import type { RecordedHit } from './recorded-hit.ts';
import type { TokenPayload } from './tracking-token.ts';

export type HitRequest = {
  method: string;
  /** The client IP after the trusted-proxy rules (Fastify's request.ip with trustProxy). */
  ip: string;
  headers: Record<string, string | string[] | undefined>;
};

// Long enough for any real user agent; a longer one is an attack on storage, not a mail client.
const MAX_HEADER_CHARS = 1000;

/** Header text as jsonb can store it (see storableText), of bounded length. */
export function storableHeader(value: string | string[] | undefined): string {
  return storableText((Array.isArray(value) ? value.join(', ') : value ?? '').slice(0, MAX_HEADER_CHARS));
}

export function hitFromRequest(payload: Extract<TokenPayload, { kind: 'open' | 'click' }>, request: HitRequest): RecordedHit {
  const h = request.headers;
  const purpose = storableHeader(h['sec-purpose'] ?? h['purpose'] ?? h['x-purpose'] ?? h['x-moz']);
  const click = payload.kind === 'click';
  // All fields, always, in recorded-hit.ts's order (one hidden class for every hit).
  return {
    // Only identifies the hit for idempotent replay: random v4 costs a tenth of a time-ordered v7 here.
    id: randomUUID(),
    kind: payload.kind,
    emailId: payload.emailId,
    url: click ? payload.url : undefined,
    linkIndex: click ? payload.linkIndex : undefined,
    ua: storableHeader(h['user-agent']),
    ip: request.ip,
    method: request.method,
    purpose: purpose || undefined,
    at: new Date(),
  };
}
