// Adding an endpoint (admins only): its URL, what it is for, which events (none ticked: all), and
// whether opens and clicks come only when counted as a person's.
import { useId, useState, type FormEvent } from 'react';
import { buttonClass, fieldClass, labelClass } from '../shell/controls.ts';
import { createEndpoint, EVENT_TYPES, type EndpointWithSecret } from './webhooks.ts';

export function CreateEndpointForm({ onCreated }: { onCreated: (endpoint: EndpointWithSecret) => void }) {
  const id = useId();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [types, setTypes] = useState<string[]>([]);
  const [countedOnly, setCountedOnly] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onCreated(await createEndpoint({ url: url.trim(), description: description.trim(), event_types: types, counted_only: countedOnly }));
      setUrl('');
      setDescription('');
      setTypes([]);
      setCountedOnly(false);
    } catch (err) {
      setError(`Could not add the endpoint: ${(err as Error).message}`);
    } finally {
      setBusy(false);
    }
  };
  const toggle = (type: string) => setTypes((t) => (t.includes(type) ? t.filter((x) => x !== type) : [...t, type]));
  return (
    <form onSubmit={(e) => void submit(e)} aria-labelledby={`${id}-title`} className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
      <h2 id={`${id}-title`} className="text-lg font-semibold">
        Add an endpoint
      </h2>
      <div className="mt-2 flex flex-wrap items-end gap-3">
        <div className="w-full min-w-0 sm:w-auto sm:flex-1">
          <label htmlFor={`${id}-url`} className={labelClass}>
            URL
          </label>
          <input id={`${id}-url`} type="url" value={url} onChange={(e) => setUrl(e.target.value)} required maxLength={2000} placeholder="https://example.com/webhooks/sendtrail" className={`${fieldClass} mt-1 w-full`} />
        </div>
        <div className="w-full sm:w-auto">
          <label htmlFor={`${id}-description`} className={labelClass}>
            Description
          </label>
          <input id={`${id}-description`} value={description} onChange={(e) => setDescription(e.target.value)} maxLength={500} placeholder="CRM sync" className={`${fieldClass} mt-1 w-full sm:w-56`} />
        </div>
      </div>
      <fieldset className="mt-3">
        <legend className={labelClass}>Events (none ticked: every event)</legend>
        <div className="mt-1 grid grid-cols-1 gap-x-4 gap-y-1 text-sm sm:grid-cols-2 lg:grid-cols-4">
          {EVENT_TYPES.map((type) => (
            <label key={type} className="flex items-center gap-2">
              <input type="checkbox" checked={types.includes(type)} onChange={() => toggle(type)} />
              <code>{type}</code>
            </label>
          ))}
        </div>
      </fieldset>
      <label className="mt-3 flex items-center gap-2 text-sm">
        <input type="checkbox" checked={countedOnly} onChange={(e) => setCountedOnly(e.target.checked)} />
        Opens and clicks only when counted as a person’s (not scanners’ or privacy proxies’)
      </label>
      <button type="submit" className={`${buttonClass} mt-3`} disabled={busy || url.trim() === ''}>
        {busy ? 'Adding…' : 'Add endpoint'}
      </button>
      {error && (
        <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      )}
    </form>
  );
}
