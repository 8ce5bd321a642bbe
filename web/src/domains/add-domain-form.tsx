// Adding a sending domain: its name, the key's algorithm, and a bounce domain of its own if any.
import { useId, useState, type FormEvent } from 'react';
import { buttonClass, fieldClass, labelClass } from '../shell/controls.ts';
import { addDomain, type DomainWithRecords } from './domains.ts';

export function AddDomainForm({ onAdded }: { onAdded: (domain: DomainWithRecords) => void }) {
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    const bounce = String(data.get('bounce_domain') ?? '').trim();
    setBusy(true);
    setError(undefined);
    try {
      onAdded(
        await addDomain({
          domain: String(data.get('domain') ?? '').trim(),
          algorithm: data.get('algorithm') === 'ed25519' ? 'ed25519' : 'rsa',
          ...(bounce ? { bounce_domain: bounce } : {}),
        }),
      );
      form.reset();
    } catch (err) {
      setError(`Could not add the domain: ${(err as Error).message}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} aria-labelledby={`${id}-title`} className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
      <h2 id={`${id}-title`} className="text-lg font-semibold">
        Add a sending domain
      </h2>
      <div className="mt-2 flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor={`${id}-domain`} className={labelClass}>
            Domain
          </label>
          <input id={`${id}-domain`} name="domain" required placeholder="example.com" className={`${fieldClass} mt-1 w-64`} />
        </div>
        <div>
          <label htmlFor={`${id}-algorithm`} className={labelClass}>
            DKIM key
          </label>
          <select id={`${id}-algorithm`} name="algorithm" defaultValue="rsa" className={`${fieldClass} mt-1`}>
            <option value="rsa">RSA 2048 (every receiver)</option>
            <option value="ed25519">Ed25519 (not verified everywhere yet)</option>
          </select>
        </div>
        <div>
          <label htmlFor={`${id}-bounce`} className={labelClass}>
            Bounce domain (optional)
          </label>
          <input id={`${id}-bounce`} name="bounce_domain" placeholder="this server's BOUNCE_DOMAIN" className={`${fieldClass} mt-1 w-64`} />
        </div>
        <button type="submit" className={buttonClass} disabled={busy}>
          {busy ? 'Adding…' : 'Add domain'}
        </button>
      </div>
      <p className="mt-2 text-xs text-slate-600 dark:text-slate-400">
        The domain of your From addresses. Sendtrail makes its DKIM key (the private half never leaves this server) and signs its mail from the next message on.
      </p>
      {error && (
        <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      )}
    </form>
  );
}
