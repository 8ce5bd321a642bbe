// The Email Logs filters: each one a search param of the URL. Lists apply at once; typed text on
// submit (Enter or Apply), so a page is not read for every keystroke.
import { useId, useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { api } from '../api.ts';
import { buttonClass, fieldClass, labelClass, quietButtonClass } from '../shell/controls.ts';
import { hasFilters, STATUSES, type LogSearch } from './log-search.ts';
import { statusWords } from './status-badge.tsx';

const campaignsQuery = {
  queryKey: ['campaigns', 'names'],
  queryFn: () => api<{ data: Array<{ id: string; name: string }> }>('/v1/campaigns?limit=100').then((r) => r.data),
  staleTime: 60_000,
};

export function LogFilters({ search }: { search: LogSearch }) {
  const id = useId();
  const navigate = useNavigate();
  const campaigns = useQuery(campaignsQuery);
  const [q, setQ] = useState(search.q ?? '');
  const [recipient, setRecipient] = useState(search.recipient ?? '');
  const [tag, setTag] = useState(search.tag ?? '');
  const set = (change: Partial<LogSearch>) =>
    void navigate({
      to: '/email-logs',
      search: (prev: Record<string, unknown>) => {
        const next: Record<string, unknown> = { ...prev, ...change };
        for (const key of Object.keys(next)) if (next[key] === undefined || next[key] === '') delete next[key];
        return next as never;
      },
    });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    set({ q: q.trim() || undefined, recipient: recipient.trim() || undefined, tag: tag.trim() || undefined });
  };
  const clear = () => {
    setQ('');
    setRecipient('');
    setTag('');
    set({ q: undefined, recipient: undefined, tag: undefined, status: undefined, campaign: undefined, since: undefined, until: undefined });
  };
  const known = campaigns.data ?? [];

  return (
    <form role="search" aria-label="Filter the emails" onSubmit={submit} className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900">
      <div className="min-w-48 flex-1">
        <label htmlFor={`${id}-q`} className={labelClass}>Search recipient or subject</label>
        <input id={`${id}-q`} type="search" className={`${fieldClass} w-full`} value={q} onChange={(e) => setQ(e.target.value)} placeholder="e.g. order or @example.com" />
      </div>
      <div>
        <label htmlFor={`${id}-status`} className={labelClass}>Status</label>
        <select id={`${id}-status`} className={fieldClass} value={search.status ?? ''} onChange={(e) => set({ status: e.target.value || undefined })}>
          <option value="">Any status</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>{statusWords(s)}</option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor={`${id}-campaign`} className={labelClass}>Campaign</label>
        <select id={`${id}-campaign`} className={`${fieldClass} max-w-48`} value={search.campaign ?? ''} onChange={(e) => set({ campaign: e.target.value || undefined })}>
          <option value="">Any campaign</option>
          {search.campaign && !known.some((c) => c.id === search.campaign) && <option value={search.campaign}>{search.campaign}</option>}
          {known.map((c) => (
            <option key={c.id} value={c.id}>{c.name}</option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor={`${id}-recipient`} className={labelClass}>Recipient</label>
        <input id={`${id}-recipient`} type="email" className={`${fieldClass} w-52`} value={recipient} onChange={(e) => setRecipient(e.target.value)} placeholder="whole address" />
      </div>
      <div>
        <label htmlFor={`${id}-tag`} className={labelClass}>Tag</label>
        <input id={`${id}-tag`} className={`${fieldClass} w-32`} value={tag} onChange={(e) => setTag(e.target.value)} />
      </div>
      <div>
        <label htmlFor={`${id}-since`} className={labelClass}>From day</label>
        <input id={`${id}-since`} type="date" className={fieldClass} value={search.since ?? ''} max={search.until} onChange={(e) => set({ since: e.target.value || undefined })} />
      </div>
      <div>
        <label htmlFor={`${id}-until`} className={labelClass}>To day</label>
        <input id={`${id}-until`} type="date" className={fieldClass} value={search.until ?? ''} min={search.since} onChange={(e) => set({ until: e.target.value || undefined })} />
      </div>
      <button type="submit" className={buttonClass}>Apply</button>
      {hasFilters(search) && (
        <button type="button" className={quietButtonClass} onClick={clear}>Clear</button>
      )}
    </form>
  );
}
