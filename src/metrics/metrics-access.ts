// Who may read /metrics, which shares the public port with the tracking endpoints: clients in
// METRICS_ALLOWED_NETWORKS (loopback by default), or any client presenting METRICS_TOKEN.
import { createHash, timingSafeEqual } from 'node:crypto';
import proxyAddr from '@fastify/proxy-addr';
import type { FastifyRequest } from 'fastify';
import type { Config } from '../config/schema.ts';
import { commaList } from '../shared/comma-list.ts';

export type MetricsAccess = {
  /** IPs, CIDRs or proxy-addr names (loopback, linklocal, uniquelocal), as TRACKING_TRUSTED_PROXIES takes them. */
  allowedNetworks: readonly string[];
  /** Admits a request with `Authorization: Bearer <token>` from anywhere; none when empty. */
  token?: string;
};

/** With no settings: loopback only, no token. */
export const LOOPBACK_ONLY: MetricsAccess = { allowedNetworks: ['127.0.0.0/8', '::1'] };

export function metricsAccessOf(config: Pick<Config, 'METRICS_ALLOWED_NETWORKS' | 'METRICS_TOKEN'>): MetricsAccess {
  return {
    allowedNetworks: commaList(config.METRICS_ALLOWED_NETWORKS),
    token: config.METRICS_TOKEN || undefined,
  };
}

// Headers through which a proxy names the client it forwards.
const FORWARDING_HEADERS = ['x-forwarded-for', 'forwarded', 'x-real-ip'];

/**
 * Decides a request. The client is `request.ip`: the connection's address, or what a proxy listed
 * in TRACKING_TRUSTED_PROXIES (Fastify's trustProxy, passed here as `trustProxy`) forwarded.
 * A request that names a forwarded client (X-Forwarded-For, Forwarded, X-Real-IP) is admitted by
 * network only when a trusted proxy sent it with X-Forwarded-For: a reverse proxy on the same host
 * would otherwise make every internet request look like loopback. The token still admits it.
 */
export function metricsGate(access: MetricsAccess = LOOPBACK_ONLY, trustProxy: readonly string[] = []): (request: FastifyRequest) => boolean {
  const allowed = proxyAddr.compile([...access.allowedNetworks]);
  const trusted = trustProxy.length > 0 ? proxyAddr.compile([...trustProxy]) : () => false;
  const tokenDigest = access.token ? digest(access.token) : undefined;
  return (request) => {
    if (tokenDigest) {
      const presented = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
      // Digests have one length, so the comparison takes the same time whatever was presented.
      if (presented && timingSafeEqual(digest(presented), tokenDigest)) return true;
    }
    if (FORWARDING_HEADERS.some((h) => request.headers[h] !== undefined)) {
      // Fastify reads X-Forwarded-For only, and only from a trusted proxy: otherwise the client is unknown.
      if (request.headers['x-forwarded-for'] === undefined || !trusted(request.socket.remoteAddress ?? '', 0)) return false;
    }
    return allowed(request.ip, 0);
  };
}

const digest = (value: string) => createHash('sha256').update(value).digest();
