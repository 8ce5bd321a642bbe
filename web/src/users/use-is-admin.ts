// Whether the signed-in user is an admin: screens hide what a viewer may not do (the API refuses it anyway).
import { useQuery } from '@tanstack/react-query';
import { sessionQuery } from '../session.ts';

export function useIsAdmin(): boolean {
  return useQuery(sessionQuery).data?.user.role === 'admin';
}
