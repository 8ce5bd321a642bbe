// Signing in: with email and password, or with the one-time link `sendtrail start` prints
// (`/sign-in#link=<token>`), whose token is taken out of the address before it is used.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { api, ApiError } from '../api.ts';
import { safeNext, signedIn, type User } from '../session.ts';
import { buttonClass, fieldClass, labelClass } from '../shell/controls.ts';

export function SignInScreen() {
  const id = useId();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { next } = useSearch({ from: '/sign-in' });
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [waitUntil, setWaitUntil] = useState<number>();
  const now = useNow(waitUntil !== undefined);
  const waitS = waitUntil === undefined ? 0 : Math.max(0, Math.ceil((waitUntil - now) / 1000));

  const finish = async (user: User) => {
    signedIn(queryClient, user);
    await navigate({ href: safeNext(next), replace: true });
  };
  const attempt = async (path: string, body: unknown) => {
    setBusy(true);
    setError(undefined);
    try {
      await finish((await api<{ user: User }>(path, { method: 'POST', body })).user);
    } catch (err) {
      if (err instanceof ApiError && err.status === 429) setWaitUntil(Date.now() + (err.retryAfterS ?? 60) * 1000);
      setError(describe(err, path));
    } finally {
      setBusy(false);
    }
  };

  // The link's token leaves the address bar (and the history) before anything else happens.
  const linkTried = useRef(false);
  useEffect(() => {
    const token = new URLSearchParams(window.location.hash.slice(1)).get('link');
    if (!token || linkTried.current) return;
    linkTried.current = true;
    history.replaceState(history.state, '', window.location.pathname + window.location.search);
    void attempt('/v1/session/link', { token });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, on arrival
  }, []);

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    void attempt('/v1/session', { email: String(form.get('email') ?? '').trim(), password: String(form.get('password') ?? '') });
  };
  const blocked = waitS > 0;

  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm rounded-lg border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900">
        <div className="mb-6 flex items-center gap-2">
          <img src="/favicon.svg" alt="" width={28} height={28} />
          <h1 className="text-xl font-semibold">Sign in to Sendtrail</h1>
        </div>
        <form onSubmit={submit} className="space-y-4" noValidate={false}>
          <div>
            <label htmlFor={`${id}-email`} className={labelClass}>
              Email
            </label>
            <input id={`${id}-email`} name="email" type="email" autoComplete="username" required className={`${fieldClass} mt-1 w-full`} />
          </div>
          <div>
            <label htmlFor={`${id}-password`} className={labelClass}>
              Password
            </label>
            <input id={`${id}-password`} name="password" type="password" autoComplete="current-password" required className={`${fieldClass} mt-1 w-full`} />
          </div>
          <div role="alert" aria-live="assertive" className="min-h-5 text-sm text-red-700 dark:text-red-400">
            {blocked ? `Too many attempts. Try again in ${formatWait(waitS)}.` : error}
          </div>
          <button type="submit" className={`${buttonClass} w-full justify-center`} disabled={busy || blocked}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
        <p className="mt-6 text-xs text-slate-600 dark:text-slate-400">
          First time? <code>sendtrail start</code> prints a sign-in link on its first start; or start it with <code>SENDTRAIL_ADMIN_EMAIL</code> and{' '}
          <code>SENDTRAIL_ADMIN_PASSWORD</code> set to create the first admin.
        </p>
      </div>
    </main>
  );
}

function describe(err: unknown, path: string): string {
  if (!(err instanceof ApiError)) return 'Sendtrail did not answer. Is it running? Try again in a moment.';
  if (err.status === 429) return 'Too many attempts.';
  if (path === '/v1/session/link') return 'This sign-in link has been used or has expired. Sign in with your email and password.';
  if (err.status === 401) return 'That email and password do not match an account.';
  if (err.status === 400) return 'Enter your email and password.';
  return `Signing in failed: ${err.message}`;
}

function formatWait(s: number): string {
  return s < 60 ? `${s} second${s === 1 ? '' : 's'}` : `${Math.ceil(s / 60)} minutes`;
}

/** The clock, ticking each second while something waits on it. */
function useNow(ticking: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!ticking) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [ticking]);
  return now;
}
