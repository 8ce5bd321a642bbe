// The domains API as the screen uses it: the list and one domain's records through the query cache, adding and removing.
import { queryOptions } from '@tanstack/react-query';
import { api } from '../api.ts';

export type Domain = { id: string; domain: string; selector: string; algorithm: 'rsa' | 'ed25519'; bounce_domain: string | null; created_at: string };
export type DnsRecord = { type: 'TXT' | 'MX'; name: string; value: string; zone_value: string; purpose: string };
export type DomainWithRecords = Domain & { records: DnsRecord[] };

export const DOMAINS_KEY = ['domains'] as const;

// Domains change only when an admin adds or removes one (maybe in another tab): a slow refetch suffices.
export const domainsQuery = queryOptions({
  queryKey: DOMAINS_KEY,
  queryFn: async () => (await api<{ data: Domain[] }>('/v1/domains')).data,
  refetchInterval: 30_000,
});

export const domainQuery = (name: string) =>
  queryOptions({ queryKey: [...DOMAINS_KEY, name], queryFn: () => api<DomainWithRecords>(`/v1/domains/${encodeURIComponent(name)}`) });

export type NewDomain = { domain: string; algorithm?: 'rsa' | 'ed25519'; bounce_domain?: string };

export const addDomain = (body: NewDomain) => api<DomainWithRecords>('/v1/domains', { method: 'POST', body });
export const removeDomain = (id: string) => api<Domain>(`/v1/domains/${encodeURIComponent(id)}`, { method: 'DELETE' });

export function validateDomainsSearch(raw: Record<string, unknown>): { domain?: string } {
  return typeof raw.domain === 'string' && raw.domain.length > 0 && raw.domain.length <= 253 ? { domain: raw.domain } : {};
}
