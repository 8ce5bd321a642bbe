// GET /v1/settings (admins) as the Settings screen reads it, and the screen's filters in the URL.
import { queryOptions } from '@tanstack/react-query';
import { api, ApiError } from '../api.ts';

export type Setting = { key: string; value: string; default_value: string; source: 'env' | 'default'; secret: boolean; description: string };
export type SettingsGroup = { id: string; title: string; advanced: boolean; settings: Setting[] };

export const settingsQuery = queryOptions({
  queryKey: ['settings'],
  queryFn: () => api<{ groups: SettingsGroup[] }>('/v1/settings'),
  // The configuration changes only with a restart.
  staleTime: 60_000,
  // A viewer's 403 will not change by asking again: say so at once.
  retry: (failures, err) => !(err instanceof ApiError && err.status < 500) && failures < 2,
});

export type SettingsSearch = { q?: string; source?: 'env' };

export function validateSettingsSearch(raw: Record<string, unknown>): SettingsSearch {
  const out: SettingsSearch = {};
  if (typeof raw.q === 'string' && raw.q.trim() !== '') out.q = raw.q.slice(0, 100);
  if (raw.source === 'env') out.source = 'env';
  return out;
}

/** The settings a search keeps: by key, value or description, and only those set in the environment when asked. */
export function filterSettings(groups: SettingsGroup[], search: SettingsSearch): SettingsGroup[] {
  const q = search.q?.toLowerCase();
  return groups
    .map((g) => ({
      ...g,
      settings: g.settings.filter(
        (s) => (!search.source || s.source === search.source) && (!q || s.key.toLowerCase().includes(q) || s.description.toLowerCase().includes(q) || (!s.secret && s.value.toLowerCase().includes(q))),
      ),
    }))
    .filter((g) => g.settings.length > 0);
}
