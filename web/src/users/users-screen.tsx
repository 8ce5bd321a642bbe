// Users (admins only): who may sign in to the dashboard, with which role; adding one hands out a
// one-time sign-in link. A viewer who comes here by address is told it is for admins.
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { LoadError } from '../shell/load-error.tsx';
import { sessionQuery } from '../session.ts';
import { changeUser, USERS_KEY, usersQuery, type ListedUser, type Role } from './users.ts';
import { CreateUserForm } from './create-user-form.tsx';
import { UsersTable } from './users-table.tsx';

export function UsersScreen() {
  const self = useQuery(sessionQuery).data?.user;
  if (self && self.role !== 'admin') {
    return (
      <div className="mx-auto max-w-3xl space-y-3">
        <h1 className="text-2xl font-semibold">Users</h1>
        <p className="rounded-md border border-slate-300 bg-white p-4 text-sm dark:border-slate-700 dark:bg-slate-900">
          Admins only: you are signed in as a viewer, who reads every screen but manages no users. Ask an admin to change your role.
        </p>
      </div>
    );
  }
  return <AdminUsers selfId={self?.id} />;
}

function AdminUsers({ selfId }: { selfId?: string }) {
  const queryClient = useQueryClient();
  const users = useQuery(usersQuery);
  const [error, setError] = useState<string>();
  const onChange = async (user: ListedUser, change: { role?: Role; disabled?: boolean }) => {
    setError(undefined);
    try {
      await changeUser(user.id, change);
    } catch (err) {
      setError(`Could not change ${user.email}: ${(err as Error).message}`);
    }
    await queryClient.invalidateQueries({ queryKey: USERS_KEY });
    // Changing oneself (role, disabled) changes what this session may do.
    if (user.id === selfId) await queryClient.invalidateQueries({ queryKey: sessionQuery.queryKey });
  };
  return (
    <div className="mx-auto max-w-6xl space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Users</h1>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          People who sign in to this dashboard. Admins change things, users included; viewers read everything and change nothing. The last enabled admin stays.
        </p>
      </div>
      <CreateUserForm onCreated={() => void queryClient.invalidateQueries({ queryKey: USERS_KEY })} />
      <section aria-labelledby="users-title" className="space-y-3">
        <h2 id="users-title" className="text-lg font-semibold">
          Users
        </h2>
        {error && (
          <p role="alert" className="text-sm text-red-700 dark:text-red-400">
            {error}
          </p>
        )}
        {users.error && <LoadError what="read the users" error={users.error} />}
        {users.isPending && <p className="text-slate-600 dark:text-slate-400">Reading the users…</p>}
        {users.data && <UsersTable users={users.data} selfId={selfId} onChange={onChange} />}
      </section>
    </div>
  );
}
