// The API keys API as the screen uses it: the list through the query cache, create and revoke.
import { queryOptions } from '@tanstack/react-query';
import { api } from '../api.ts';

export type ApiKey = { id: string; name: string; prefix: string; created_at: string; last_used_at: string | null; revoked_at: string | null };
export type CreatedApiKey = ApiKey & { key: string };

export const API_KEYS_KEY = ['api-keys'] as const;

export const apiKeysQuery = queryOptions({
  queryKey: API_KEYS_KEY,
  queryFn: async () => (await api<{ data: ApiKey[] }>('/v1/api-keys')).data,
  // Last use is kept to the minute: the stats stream refetches sooner when mail moves.
  refetchInterval: 60_000,
});

export const createApiKey = (name: string) => api<CreatedApiKey>('/v1/api-keys', { method: 'POST', body: { name } });
export const revokeApiKey = (id: string) => api<ApiKey>(`/v1/api-keys/${encodeURIComponent(id)}`, { method: 'DELETE' });

export type KeysShown = 'all' | 'active' | 'revoked';
export const KEYS_SHOWN: KeysShown[] = ['all', 'active', 'revoked'];

export function validateKeysSearch(raw: Record<string, unknown>): { keys?: KeysShown } {
  return KEYS_SHOWN.includes(raw.keys as KeysShown) && raw.keys !== 'all' ? { keys: raw.keys as KeysShown } : {};
}
