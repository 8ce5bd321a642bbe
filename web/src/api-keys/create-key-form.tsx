// Naming and creating a key (admins and API keys only; a viewer never sees this form).
import { useId, useState, type FormEvent } from 'react';
import { buttonClass, fieldClass, labelClass } from '../shell/controls.ts';
import type { CreatedApiKey } from './api-keys.ts';
import { createApiKey } from './api-keys.ts';

export function CreateKeyForm({ onCreated }: { onCreated: (key: CreatedApiKey) => void }) {
  const id = useId();
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onCreated(await createApiKey(name.trim()));
      setName('');
    } catch (err) {
      setError(`Could not create the key: ${(err as Error).message}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} aria-labelledby={`${id}-title`} className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
      <h2 id={`${id}-title`} className="text-lg font-semibold">
        Create a key
      </h2>
      <div className="mt-2 flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor={`${id}-name`} className={labelClass}>
            Key name
          </label>
          <input
            id={`${id}-name`}
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            maxLength={100}
            placeholder="shop backend"
            className={`${fieldClass} mt-1 w-72`}
          />
        </div>
        <button type="submit" className={buttonClass} disabled={busy || name.trim() === ''}>
          {busy ? 'Creating…' : 'Create key'}
        </button>
      </div>
      <p className="mt-2 text-xs text-slate-600 dark:text-slate-400">Name it after what will use it, so you know what breaks when you revoke it.</p>
      {error && (
        <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      )}
    </form>
  );
}
