// The users API (admins only) as the screen uses it.
import { queryOptions } from '@tanstack/react-query';
import { api } from '../api.ts';

export type Role = 'admin' | 'viewer';
export type ListedUser = { id: string; email: string; role: Role; has_password: boolean; disabled: boolean; created_at: string };

export const USERS_KEY = ['users'] as const;

// Users change only by an admin's hand (maybe another admin's): a slow refetch keeps the list current.
export const usersQuery = queryOptions({
  queryKey: USERS_KEY,
  queryFn: async () => (await api<{ data: ListedUser[] }>('/v1/users')).data,
  refetchInterval: 15_000,
});

export const createUser = (body: { email: string; role: Role }) => api<{ user: ListedUser; sign_in_link?: string }>('/v1/users', { method: 'POST', body });
export const changeUser = (id: string, body: { role?: Role; disabled?: boolean }) =>
  api<{ user: ListedUser }>(`/v1/users/${encodeURIComponent(id)}`, { method: 'PATCH', body });
