// The suppression list: addresses Sendtrail will not send to, why, and the email that put each
// there; an admin adds, removes and imports them, anyone exports them as CSV.
import { useId, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { api } from '../api.ts';
import { sessionQuery } from '../session.ts';
import { useLiveStats } from '../live.ts';
import { browserTimeZone } from '../period.ts';
import { buttonClass, fieldClass, labelClass, quietButtonClass } from '../shell/controls.ts';
import { Card, ConfirmButton, LoadError, When, linkClass, tableClass, tdClass, thClass } from '../campaigns/parts.tsx';
import { BadLines } from '../campaigns/recipients-preview.tsx';
import { importSuppressions, REASONS, REASON_WORDS, suppressionsQuery, type Imported } from './suppressions-api.ts';

type Search = { cursor?: string; email?: string; tz?: string };

export function SuppressionsScreen() {
  const search = useSearch({ strict: false }) as Search;
  const tz = search.tz ?? browserTimeZone();
  const navigate = useNavigate();
  const list = useQuery(suppressionsQuery(search));
  const isAdmin = useQuery(sessionQuery).data?.user.role === 'admin';
  const queryClient = useQueryClient();
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  useLiveStats(tz);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['stats', 'suppressions'] });
  const remove = useMutation({
    mutationFn: (email: string) => api(`/v1/suppressions/${encodeURIComponent(email)}`, { method: 'DELETE' }),
    onSuccess: (_r, email) => {
      setMessage({ ok: true, text: `${email} was removed: mail to it goes out again.` });
      return refresh();
    },
    onError: (err) => setMessage({ ok: false, text: `Could not remove: ${(err as Error).message}` }),
  });
  const go = (change: Partial<Search>) => void navigate({ to: '/suppressions', search: (prev) => ({ ...prev, cursor: undefined, ...change }) });

  return (
    <div className="mx-auto max-w-7xl space-y-6">
      <div className="flex flex-wrap items-end gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Suppressions</h1>
          <p className="text-sm text-slate-600 dark:text-slate-400">Addresses Sendtrail refuses to send to: hard bounces, complaints, unsubscribes and your own entries.</p>
        </div>
        <a href="/v1/suppressions/export" download className={`${quietButtonClass} ml-auto`}>
          Export CSV
        </a>
      </div>
      {message && (
        <p role={message.ok ? 'status' : 'alert'} className={message.ok ? 'text-sm text-emerald-800 dark:text-emerald-300' : 'text-sm text-red-700 dark:text-red-300'}>
          {message.text}
        </p>
      )}
      {isAdmin && (
        <div className="grid gap-6 lg:grid-cols-2">
          <AddForm onDone={(text) => { setMessage({ ok: true, text }); void refresh(); }} onError={(text) => setMessage({ ok: false, text })} />
          <ImportForm onDone={() => void refresh()} />
        </div>
      )}
      <Card title="The list" id="list-title" actions={<SearchForm email={search.email} onSearch={(email) => go({ email: email || undefined })} />}>
        {list.error && <LoadError what="read the suppression list" error={list.error} />}
        {list.data && list.data.data.length === 0 && (
          <p className="text-sm text-slate-700 dark:text-slate-300">
            {search.email
              ? `${search.email} is not on the list: mail to it goes out.`
              : 'Nothing is suppressed yet. An address joins when it hard-bounces, complains or unsubscribes; try sending to bounce@simulator.test.'}
          </p>
        )}
        {list.data && list.data.data.length > 0 && (
          <div className="relative overflow-x-auto">
            <table className={tableClass}>
              <thead>
                <tr>
                  <th scope="col" className={thClass}>Address</th>
                  <th scope="col" className={`${thClass} hidden sm:table-cell`}>Why</th>
                  <th scope="col" className={`${thClass} hidden sm:table-cell`}>Caused by</th>
                  <th scope="col" className={`${thClass} hidden sm:table-cell`}>Added</th>
                  {isAdmin && <th scope="col" className={thClass}><span className="sr-only">Actions</span></th>}
                </tr>
              </thead>
              <tbody>
                {list.data.data.map((s) => (
                  <tr key={s.email} data-suppression={s.email}>
                    <td className={`${tdClass} break-all`}>
                      {s.email}
                      {/* A phone has no room for the other columns: why and when go under the address. */}
                      <span className="block break-normal text-xs text-slate-600 sm:hidden dark:text-slate-400">
                        {REASON_WORDS[s.reason] ?? s.reason}, <When iso={s.created_at} tz={tz} />
                      </span>
                    </td>
                    <td className={`${tdClass} hidden sm:table-cell`}>{REASON_WORDS[s.reason] ?? s.reason}</td>
                    <td className={`${tdClass} hidden sm:table-cell`}>
                      {s.source_email_id ? (
                        <a href={`/email-logs/${s.source_email_id}`} className={linkClass} aria-label={`The email to ${s.email} that caused it`}>
                          the email
                        </a>
                      ) : (
                        <span className="text-slate-600 dark:text-slate-400">–</span>
                      )}
                    </td>
                    <td className={`${tdClass} hidden sm:table-cell`}>
                      <When iso={s.created_at} tz={tz} />
                    </td>
                    {isAdmin && (
                      <td className={`${tdClass} text-right`}>
                        <ConfirmButton label="Remove" name={`Remove ${s.email}`} question={`Send to ${s.email} again?`} confirmLabel="Yes, remove" onConfirm={() => remove.mutate(s.email)} />
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <nav aria-label="Pages of the list" className="mt-3 flex gap-2">
          {search.cursor && (
            <button type="button" className={quietButtonClass} onClick={() => go({})}>
              First page
            </button>
          )}
          {list.data?.next_cursor && (
            <button type="button" className={quietButtonClass} onClick={() => void navigate({ to: '/suppressions', search: (prev) => ({ ...prev, cursor: list.data!.next_cursor! }) })}>
              Next page
            </button>
          )}
        </nav>
      </Card>
    </div>
  );
}

function SearchForm({ email, onSearch }: { email?: string; onSearch: (email: string) => void }) {
  const [value, setValue] = useState(email ?? '');
  const id = useId();
  return (
    <form role="search" className="flex items-center gap-2" onSubmit={(e) => { e.preventDefault(); onSearch(value.trim()); }}>
      <label htmlFor={id} className="sr-only">Find an address</label>
      <input id={id} type="search" placeholder="Find an address" className={fieldClass} value={value} onChange={(e) => setValue(e.target.value)} />
      <button type="submit" className={quietButtonClass}>Find</button>
    </form>
  );
}

function AddForm({ onDone, onError }: { onDone: (text: string) => void; onError: (text: string) => void }) {
  const ids = useId();
  const [email, setEmail] = useState('');
  const [reason, setReason] = useState<string>('manual');
  const add = useMutation({
    mutationFn: () => api<{ data: Array<{ email: string; added: boolean }> }>('/v1/suppressions', { method: 'POST', body: { email: email.trim(), reason } }),
    onSuccess: (r) => {
      const first = r.data[0];
      onDone(first?.added ? `${first.email} is suppressed: mail to it is rejected.` : `${first?.email ?? email} was on the list already.`);
      setEmail('');
    },
    onError: (err) => onError(`Could not add: ${(err as Error).message}`),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate();
  };
  return (
    <Card title="Add an address" id={`${ids}-add`}>
      <form onSubmit={submit} className="flex flex-wrap items-end gap-3">
        <div className="grow">
          <label htmlFor={`${ids}-email`} className={labelClass}>Address</label>
          <input id={`${ids}-email`} type="email" required className={`${fieldClass} mt-1 w-full`} value={email} onChange={(e) => setEmail(e.target.value)} />
        </div>
        <div>
          <label htmlFor={`${ids}-reason`} className={labelClass}>Why</label>
          <select id={`${ids}-reason`} className={`${fieldClass} mt-1`} value={reason} onChange={(e) => setReason(e.target.value)}>
            {REASONS.map((r) => (
              <option key={r} value={r}>{REASON_WORDS[r]}</option>
            ))}
          </select>
        </div>
        <button type="submit" className={buttonClass} disabled={add.isPending}>Suppress</button>
      </form>
    </Card>
  );
}

function ImportForm({ onDone }: { onDone: () => void }) {
  const ids = useId();
  const [file, setFile] = useState<File>();
  const [result, setResult] = useState<Imported>();
  const [error, setError] = useState<string>();
  const run = useMutation({
    mutationFn: () => importSuppressions(file!),
    onSuccess: (r) => {
      setResult(r);
      setError(undefined);
      onDone();
    },
    onError: (err) => setError((err as Error).message),
  });
  return (
    <Card title="Import a list" id={`${ids}-import`}>
      <form onSubmit={(e) => { e.preventDefault(); run.mutate(); }} className="space-y-2">
        <label htmlFor={`${ids}-file`} className={labelClass}>CSV file with an email column (and optionally reason)</label>
        <div className="flex flex-wrap items-center gap-3">
          <input id={`${ids}-file`} type="file" accept=".csv,text/csv" className="text-sm" onChange={(e) => setFile(e.target.files?.[0])} />
          <button type="submit" className={quietButtonClass} disabled={!file || run.isPending}>Import</button>
        </div>
        {error && <p role="alert" className="text-sm text-red-700 dark:text-red-300">Could not import: {error}</p>}
        {result && (
          <p role="status" className="text-sm">
            {result.added} added, {result.already_listed} already on the list{result.invalid ? `, ${result.invalid} ${result.invalid === 1 ? 'line' : 'lines'} skipped` : ''}.
          </p>
        )}
        {result && result.invalid_lines.length > 0 && <BadLines lines={result.invalid_lines} total={result.invalid} title="Skipped lines" />}
      </form>
    </Card>
  );
}
