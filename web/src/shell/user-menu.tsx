// Who is signed in, their password, and signing out: of this browser, or of every browser at once.
import { useState } from 'react';
import { DropdownMenu } from 'radix-ui';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { api } from '../api.ts';
import { signedOut, type User } from '../session.ts';
import { quietButtonClass } from './controls.ts';

const itemClass =
  'cursor-default rounded px-3 py-2 text-sm outline-none select-none data-[highlighted]:bg-teal-50 data-[highlighted]:text-teal-900 dark:data-[highlighted]:bg-teal-900 dark:data-[highlighted]:text-teal-50';

export function UserMenu({ user }: { user: User }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [error, setError] = useState<string>();
  const signOut = async (path: '/v1/session' | '/v1/sessions') => {
    try {
      await api(path, { method: 'DELETE' });
    } catch (err) {
      return setError(`Could not sign out: ${(err as Error).message}`);
    }
    // Leave first: the screens' queries unmount with them instead of refetching without a session.
    await navigate({ to: '/sign-in' });
    signedOut(queryClient);
  };
  return (
    <div className="flex items-center gap-2">
      {error && <p role="alert" className="text-sm text-red-700 dark:text-red-400">{error}</p>}
      {/* Not modal: a modal menu locks scrolling with an injected <style>, which our CSP refuses. */}
      <DropdownMenu.Root modal={false}>
        {/* Named by its visible text (WCAG 2.5.3, label in name), "Account:" only for screen readers. */}
        <DropdownMenu.Trigger className={quietButtonClass}>
          <span className="sr-only">Account: </span>
          <span className="max-w-48 truncate">{user.email}</span>
          <span className="rounded bg-slate-100 px-1.5 text-xs text-slate-700 dark:bg-slate-700 dark:text-slate-200">{user.role}</span>
          <span aria-hidden="true">▾</span>
        </DropdownMenu.Trigger>
        <DropdownMenu.Portal>
          <DropdownMenu.Content align="end" sideOffset={6} className="z-50 min-w-48 rounded-md border border-slate-200 bg-white p-1 shadow-lg dark:border-slate-700 dark:bg-slate-800">
            <DropdownMenu.Item className={itemClass} onSelect={() => void navigate({ to: '/account/password' })}>
              {user.has_password ? 'Change password' : 'Set a password'}
            </DropdownMenu.Item>
            <DropdownMenu.Separator className="my-1 h-px bg-slate-200 dark:bg-slate-700" />
            <DropdownMenu.Item className={itemClass} onSelect={() => void signOut('/v1/session')}>
              Sign out
            </DropdownMenu.Item>
            <DropdownMenu.Item className={itemClass} onSelect={() => void signOut('/v1/sessions')}>
              Sign out everywhere
            </DropdownMenu.Item>
          </DropdownMenu.Content>
        </DropdownMenu.Portal>
      </DropdownMenu.Root>
    </div>
  );
}
