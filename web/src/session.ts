// The signed-in user: GET /v1/session through the query cache, so every screen shares one answer.
import { queryOptions, type QueryClient } from '@tanstack/react-query';
import { api, isUnauthorized } from './api.ts';

/** has_password: false after signing in by link only, until a password is set. */
export type User = { id: string; email: string; role: 'admin' | 'viewer'; has_password: boolean };
export type Session = { user: User };

export const sessionQuery = queryOptions({
  queryKey: ['session'],
  queryFn: async (): Promise<Session | null> => {
    try {
      return await api<Session>('/v1/session');
    } catch (err) {
      if (isUnauthorized(err)) return null;
      throw err;
    }
  },
  staleTime: 60_000,
});

export function signedIn(queryClient: QueryClient, user: User) {
  const session: Session = { user };
  queryClient.setQueryData(sessionQuery.queryKey, session);
}

/** Forget everything the previous user could read, then mark the session gone. */
export function signedOut(queryClient: QueryClient) {
  queryClient.clear();
  queryClient.setQueryData(sessionQuery.queryKey, null);
}

/** Where to go after signing in: only a path of this app, never another site (no open redirect). */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/sign-in') ? next : '/';
}
