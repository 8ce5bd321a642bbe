// Setting or changing one's own password: the first admin signs in by a one-time link and sets one
// here; anyone changes theirs. The current password is asked for once there is one (the API's rule).
import { useId, useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { sessionQuery, type Session } from '../session.ts';
import { buttonClass, fieldClass, labelClass, quietButtonClass } from '../shell/controls.ts';
import { changePassword, describePasswordError, MIN_PASSWORD_LENGTH } from './change-password.ts';

export function PasswordScreen() {
  const id = useId();
  const queryClient = useQueryClient();
  const user = useQuery(sessionQuery).data?.user;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  // The page keeps the mode it opened in: setting one flips has_password, which must not turn the
  // confirmation into a form asking for the password just set.
  const [hasPassword] = useState(() => user?.has_password ?? false);
  if (!user) return null;

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    const newPassword = String(data.get('new') ?? '');
    setError(undefined);
    setDone(undefined);
    if (newPassword !== String(data.get('again') ?? '')) return setError('The new password and its repetition differ: type the same one twice.');
    setBusy(true);
    try {
      await changePassword({ currentPassword: hasPassword ? String(data.get('current') ?? '') : undefined, newPassword });
      // This session stays; the API ended the user's others (a reason to change a password).
      queryClient.setQueryData<Session | null>(sessionQuery.queryKey, (s) => (s ? { ...s, user: { ...s.user, has_password: true } } : s));
      setDone(`Your password is ${hasPassword ? 'changed' : 'set'}. You stay signed in here; any other browser signed in as ${user.email} was signed out.`);
    } catch (err) {
      setError(describePasswordError(err));
    } finally {
      setBusy(false);
    }
  };

  const title = hasPassword ? 'Change password' : 'Set a password';
  return (
    <div className="mx-auto max-w-xl space-y-4">
      <div>
        <h1 className="text-2xl font-semibold">{title}</h1>
        {/* Once done, the confirmation says what is true now. */}
        {!done && (
          <p className="text-sm text-slate-600 dark:text-slate-400">
            {hasPassword
              ? `For ${user.email}. Other browsers signed in as you are signed out when it changes.`
              : `${user.email} has signed in by link only so far: set a password to sign in with it next time.`}
          </p>
        )}
      </div>
      {done ? (
        <Done message={done} />
      ) : (
        <form onSubmit={(e) => void submit(e)} aria-label={title} className="space-y-4 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
          {/* For password managers, which file the new password under this name. */}
          <input type="text" name="username" autoComplete="username" value={user.email} readOnly hidden />
          {hasPassword && (
            <div>
              <label htmlFor={`${id}-current`} className={labelClass}>
                Current password
              </label>
              <input id={`${id}-current`} name="current" type="password" autoComplete="current-password" required className={`${fieldClass} mt-1 w-full`} />
            </div>
          )}
          <div>
            <label htmlFor={`${id}-new`} className={labelClass}>
              New password
            </label>
            <input
              id={`${id}-new`}
              name="new"
              type="password"
              autoComplete="new-password"
              required
              aria-describedby={`${id}-rule`}
              className={`${fieldClass} mt-1 w-full`}
            />
            <p id={`${id}-rule`} className="mt-1 text-xs text-slate-600 dark:text-slate-400">
              At least {MIN_PASSWORD_LENGTH} characters. A few unrelated words are easy to remember and hard to guess.
            </p>
          </div>
          <div>
            <label htmlFor={`${id}-again`} className={labelClass}>
              New password again
            </label>
            <input id={`${id}-again`} name="again" type="password" autoComplete="new-password" required className={`${fieldClass} mt-1 w-full`} />
          </div>
          <div role="alert" aria-live="assertive" className="min-h-5 text-sm text-red-700 dark:text-red-400">
            {error}
          </div>
          <button type="submit" className={buttonClass} disabled={busy}>
            {busy ? 'Saving…' : title}
          </button>
        </form>
      )}
    </div>
  );
}

function Done({ message }: { message: string }) {
  return (
    <div className="space-y-3">
      <p role="status" className="rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-100">
        {message}
      </p>
      <Link to="/" className={quietButtonClass}>
        Back to the Overview
      </Link>
    </div>
  );
}
