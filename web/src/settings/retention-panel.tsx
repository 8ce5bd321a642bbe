// The project's retention on the Settings screen: everyone reads it, admins change it.
import { useId, useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useIsAdmin } from '../users/use-is-admin.ts';
import { buttonClass, fieldClass, labelClass } from '../shell/controls.ts';
import { RETENTION_FIELDS, retentionQuery, saveRetention, type Retention, type RetentionChange } from './retention.ts';

export function RetentionPanel() {
  const id = useId();
  const retention = useQuery(retentionQuery);
  const isAdmin = useIsAdmin();
  return (
    <section aria-labelledby={`${id}-title`} data-retention className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
      <h2 id={`${id}-title`} className="text-lg font-semibold">
        Retention
      </h2>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        How long this project keeps what it sends and receives. Once a day the scheduler removes what is older. Stats, suppressions and the audit log are
        always kept.{!isAdmin && ' You are a viewer: admins change these.'}
      </p>
      {retention.error && (
        <p role="alert" className="mt-2 text-sm text-red-800 dark:text-red-300">
          Could not read the retention: {retention.error.message}
        </p>
      )}
      {retention.data && (isAdmin ? <RetentionForm current={retention.data} /> : <RetentionList current={retention.data} />)}
    </section>
  );
}

function RetentionList({ current }: { current: Retention }) {
  return (
    <dl className="mt-3 divide-y divide-slate-100 dark:divide-slate-800">
      {RETENTION_FIELDS.map((f) => (
        <div key={f.key} className="grid gap-1 py-2 md:grid-cols-[14rem_1fr]" data-retention-field={f.key}>
          <dt className="font-medium">{f.label}</dt>
          <dd>
            <span data-value>{current[f.key]} days</span>
            <p className="text-sm text-slate-600 dark:text-slate-400">{f.meaning}</p>
          </dd>
        </div>
      ))}
    </dl>
  );
}

function RetentionForm({ current }: { current: Retention }) {
  const id = useId();
  const queryClient = useQueryClient();
  const [values, setValues] = useState<Record<keyof RetentionChange, string>>({
    bodies_days: String(current.bodies_days),
    events_days: String(current.events_days),
    raw_inbound_days: String(current.raw_inbound_days),
  });
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setMessage(undefined);
    try {
      const saved = await saveRetention({ bodies_days: Number(values.bodies_days), events_days: Number(values.events_days), raw_inbound_days: Number(values.raw_inbound_days) });
      queryClient.setQueryData(retentionQuery.queryKey, saved);
      setMessage({ ok: true, text: 'Saved. The next daily run applies it.' });
    } catch (err) {
      setMessage({ ok: false, text: `Not saved: ${(err as Error).message}` });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} className="mt-3 space-y-3">
      {RETENTION_FIELDS.map((f) => (
        <div key={f.key} className="grid gap-1 md:grid-cols-[14rem_1fr]" data-retention-field={f.key}>
          <label htmlFor={`${id}-${f.key}`} className={`${labelClass} font-medium`}>
            {f.label} (days)
          </label>
          <div>
            <input
              id={`${id}-${f.key}`}
              type="number"
              inputMode="numeric"
              min={1}
              max={3650}
              step={1}
              required
              value={values[f.key]}
              onChange={(e) => setValues({ ...values, [f.key]: e.target.value })}
              aria-describedby={`${id}-${f.key}-meaning`}
              className={`${fieldClass} w-32`}
            />
            <p id={`${id}-${f.key}-meaning`} className="mt-1 text-sm text-slate-600 dark:text-slate-400">
              {f.meaning}
            </p>
          </div>
        </div>
      ))}
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" className={buttonClass} disabled={busy}>
          {busy ? 'Saving…' : 'Save retention'}
        </button>
        {message && (
          <p role={message.ok ? 'status' : 'alert'} className={`text-sm ${message.ok ? 'text-teal-800 dark:text-teal-300' : 'text-red-800 dark:text-red-300'}`}>
            {message.text}
          </p>
        )}
      </div>
    </form>
  );
}
