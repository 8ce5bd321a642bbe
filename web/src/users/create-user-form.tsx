// Inviting a user: email and role. The API answers a one-time sign-in link (no password is set by
// the admin: the user chooses their own once signed in), shown here once to hand over.
import { useId, useState, type FormEvent } from 'react';
import { buttonClass, fieldClass, labelClass, quietButtonClass } from '../shell/controls.ts';
import { CopyButton } from '../shell/copy-button.tsx';
import { createUser, type ListedUser, type Role } from './users.ts';

export function CreateUserForm({ onCreated }: { onCreated: (user: ListedUser) => void }) {
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [invited, setInvited] = useState<{ email: string; link: string }>();
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    setBusy(true);
    setError(undefined);
    try {
      const created = await createUser({ email: String(data.get('email') ?? '').trim(), role: data.get('role') === 'admin' ? 'admin' : 'viewer' });
      if (created.sign_in_link) setInvited({ email: created.user.email, link: created.sign_in_link });
      onCreated(created.user);
      form.reset();
    } catch (err) {
      setError(`Could not create the user: ${(err as Error).message}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="space-y-4">
      <form onSubmit={(e) => void submit(e)} aria-labelledby={`${id}-title`} className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
        <h2 id={`${id}-title`} className="text-lg font-semibold">
          Add a user
        </h2>
        <div className="mt-2 flex flex-wrap items-end gap-3">
          <div>
            <label htmlFor={`${id}-email`} className={labelClass}>
              Email
            </label>
            <input id={`${id}-email`} name="email" type="email" required placeholder="ann@example.com" className={`${fieldClass} mt-1 w-72`} />
          </div>
          <div className="max-w-full">
            <label htmlFor={`${id}-role`} className={labelClass}>
              Role
            </label>
            <select id={`${id}-role`} name="role" defaultValue="viewer" className={`${fieldClass} mt-1 max-w-full`}>
              <option value="viewer">Viewer: reads everything, changes nothing</option>
              <option value="admin">Admin: everything, users included</option>
            </select>
          </div>
          <button type="submit" className={buttonClass} disabled={busy}>
            {busy ? 'Adding…' : 'Add user'}
          </button>
        </div>
        <p className="mt-2 text-xs text-slate-600 dark:text-slate-400">You get a one-time sign-in link to hand over; they set their own password once signed in.</p>
        {error && (
          <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-400">
            {error}
          </p>
        )}
      </form>
      {invited && (
        <section aria-labelledby={`${id}-link-title`} className="rounded-lg border border-amber-300 bg-amber-50 p-4 dark:border-amber-700 dark:bg-amber-950">
          <h2 id={`${id}-link-title`} className="text-lg font-semibold">
            Sign-in link for {invited.email}
          </h2>
          <p className="mt-1 text-sm">
            <strong>Hand it over now: you won’t see it again.</strong> It signs {invited.email} in once, within 24 hours. Lost? Run{' '}
            <code>sendtrail users link --email {invited.email}</code>.
          </p>
          <div className="mt-3 flex flex-wrap items-center gap-2">
            <code data-sign-in-link className="break-all rounded-md bg-slate-900 px-3 py-2 font-mono text-sm text-slate-100">
              {invited.link}
            </code>
            <CopyButton value={invited.link} label={`Copy the sign-in link for ${invited.email}`} />
          </div>
          <button type="button" className={`${quietButtonClass} mt-3`} onClick={() => setInvited(undefined)}>
            I have handed it over
          </button>
        </section>
      )}
    </div>
  );
}
