// The audit log (admins only): who did what, to what, with what outcome, when and from where,
// newest first; filters live in the URL. A viewer who comes here by address is told it is for admins.
import { useId, useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { sessionQuery } from '../session.ts';
import { browserTimeZone } from '../period.ts';
import { fieldClass, labelClass, quietButtonClass, buttonClass } from '../shell/controls.ts';
import { Card, LoadError, When, linkClass, tableClass, tdClass, thClass } from '../campaigns/parts.tsx';
import { AUDIT_ACTIONS, AUDIT_OUTCOMES, auditQuery, type AuditEntry, type AuditSearch } from './audit.ts';

export function AuditScreen() {
  const self = useQuery(sessionQuery).data?.user;
  if (self && self.role !== 'admin') {
    return (
      <div className="mx-auto max-w-3xl space-y-3">
        <h1 className="text-2xl font-semibold">Audit log</h1>
        <p className="rounded-md border border-slate-300 bg-white p-4 text-sm dark:border-slate-700 dark:bg-slate-900">
          Admins only: the audit log records every user&apos;s and key&apos;s actions on the installation. Ask an admin.
        </p>
      </div>
    );
  }
  return <AdminAudit />;
}

const OUTCOME_TONES: Record<string, string> = {
  success: 'bg-emerald-50 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200',
  denied: 'bg-amber-50 text-amber-900 dark:bg-amber-950 dark:text-amber-200',
  failed: 'bg-red-50 text-red-800 dark:bg-red-950 dark:text-red-200',
};

function AdminAudit() {
  const search = useSearch({ strict: false }) as AuditSearch & { tz?: string };
  const tz = search.tz ?? browserTimeZone();
  const navigate = useNavigate();
  const list = useQuery(auditQuery(search));
  const go = (change: Partial<AuditSearch>) => void navigate({ to: '/audit', search: (prev) => ({ ...prev, cursor: undefined, ...change }) });
  const filtered = Boolean(search.action || search.outcome || search.actor || search.target || search.from || search.to);
  return (
    <div className="mx-auto max-w-7xl space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Audit log</h1>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Who changed what, and who tried to, newest first. Rows are never changed or removed; each is hash-chained to the one before (check with <code>sendtrail audit verify</code>).
        </p>
      </div>
      {/* Keyed by the URL's filters: a link that sets one (an actor, a target) shows in the fields too. */}
      <Filters
        key={[search.actor, search.target, search.from, search.to].join('|')}
        search={search}
        onApply={go}
        onClear={() => go({ action: undefined, outcome: undefined, actor: undefined, target: undefined, from: undefined, to: undefined })}
        filtered={filtered}
      />
      <Card title="Entries" id="audit-entries-title">
        {list.error && <LoadError what="read the audit log" error={list.error} />}
        {list.isPending && <p className="text-sm text-slate-600 dark:text-slate-400">Reading the audit log…</p>}
        {list.data && list.data.data.length === 0 && (
          <p className="text-sm text-slate-700 dark:text-slate-300">{filtered ? 'No entry matches these filters.' : 'Nothing recorded yet.'}</p>
        )}
        {list.data && list.data.data.length > 0 && (
          <div className="relative overflow-x-auto">
            <table className={tableClass}>
              <thead>
                <tr>
                  <th scope="col" className={`${thClass} hidden sm:table-cell`}>When</th>
                  <th scope="col" className={thClass}>Who</th>
                  <th scope="col" className={thClass}>What</th>
                  <th scope="col" className={`${thClass} hidden md:table-cell`}>On</th>
                  <th scope="col" className={`${thClass} hidden sm:table-cell`}>Outcome</th>
                  <th scope="col" className={`${thClass} hidden lg:table-cell`}>From</th>
                </tr>
              </thead>
              <tbody>
                {list.data.data.map((e) => <Row key={e.id} entry={e} tz={tz} />)}
              </tbody>
            </table>
          </div>
        )}
        <nav aria-label="Pages of the audit log" className="mt-3 flex gap-2">
          {search.cursor && (
            <button type="button" className={quietButtonClass} onClick={() => go({})}>
              Newest
            </button>
          )}
          {list.data?.next_cursor && (
            <button type="button" className={quietButtonClass} onClick={() => void navigate({ to: '/audit', search: (prev) => ({ ...prev, cursor: list.data!.next_cursor! }) })}>
              Older
            </button>
          )}
        </nav>
      </Card>
    </div>
  );
}

function Row({ entry: e, tz }: { entry: AuditEntry; tz: string }) {
  const who = e.actor.type === 'system' ? (e.actor.label ?? 'the system') : (e.actor.label ?? e.actor.id ?? 'someone unknown');
  const kind = e.actor.type === 'api_key' ? 'API key' : e.actor.type === 'system' ? 'system' : 'user';
  const details = Object.entries(e.details).map(([k, v]) => `${k.replace(/_/g, ' ')}: ${Array.isArray(v) ? v.join(', ') : String(v)}`).join('; ');
  return (
    <tr data-audit-action={e.action} data-audit-outcome={e.outcome}>
      <td className={`${tdClass} hidden whitespace-nowrap sm:table-cell`}><When iso={e.created_at} tz={tz} /></td>
      <td className={`${tdClass} min-w-[7rem] [overflow-wrap:anywhere] sm:min-w-[10rem]`}>
        {e.actor.id ? (
          <Link to="/audit" search={(prev) => ({ ...prev, cursor: undefined, actor: e.actor.id! })} className={linkClass} aria-label={`Only the entries of ${who}`}>
            {who}
          </Link>
        ) : (
          who
        )}
        <span className="block text-xs text-slate-600 dark:text-slate-400">{kind}</span>
      </td>
      <td className={tdClass}>
        <code className="text-xs">{e.action}</code>
        {/* A phone has no room for the time's and the outcome's columns: they show under the action. */}
        <span className="block text-xs text-slate-600 sm:hidden dark:text-slate-400"><When iso={e.created_at} tz={tz} /></span>
        {e.outcome !== 'success' && <span className="block text-xs text-red-700 sm:hidden dark:text-red-300">{e.outcome}{e.reason ? `: ${e.reason}` : ''}</span>}
        {details && <span className="block max-w-md text-xs [overflow-wrap:anywhere] text-slate-600 dark:text-slate-400">{details}</span>}
      </td>
      <td className={`${tdClass} hidden whitespace-nowrap md:table-cell`}>
        {e.target ? (
          <Link to="/audit" search={(prev) => ({ ...prev, cursor: undefined, target: e.target!.id })} className={linkClass} aria-label={`Only the entries on ${e.target.type} ${e.target.id}`}>
            {e.target.type} <span title={e.target.id}>{shortId(e.target.id)}</span>
          </Link>
        ) : (
          <span className="text-slate-600 dark:text-slate-400">–</span>
        )}
      </td>
      <td className={`${tdClass} hidden sm:table-cell`}>
        <span className={`inline-block rounded px-1.5 text-xs font-medium ${OUTCOME_TONES[e.outcome]}`}>{e.outcome}</span>
        {e.reason && <span className="block text-xs text-slate-600 dark:text-slate-400">{e.reason}</span>}
      </td>
      <td className={`${tdClass} hidden text-xs lg:table-cell`}>
        {e.ip ?? '–'}
        {e.user_agent && <span className="block max-w-[14rem] truncate text-slate-600 dark:text-slate-400" title={e.user_agent}>{e.user_agent}</span>}
      </td>
    </tr>
  );
}

/** A uuid's first block is enough to tell rows apart on screen; the whole id is in its title and link. */
const shortId = (id: string) => (/^[0-9a-f]{8}-[0-9a-f-]{27}$/i.test(id) ? `${id.slice(0, 8)}…` : id);

function Filters({ search, onApply, onClear, filtered }: { search: AuditSearch; onApply: (s: Partial<AuditSearch>) => void; onClear: () => void; filtered: boolean }) {
  const id = useId();
  const [draft, setDraft] = useState({ actor: search.actor ?? '', target: search.target ?? '', from: search.from ?? '', to: search.to ?? '' });
  const submit = (ev: FormEvent) => {
    ev.preventDefault();
    onApply({ actor: draft.actor.trim() || undefined, target: draft.target.trim() || undefined, from: draft.from || undefined, to: draft.to || undefined });
  };
  const field = (name: keyof typeof draft, label: string, type = 'text') => (
    <div>
      <label htmlFor={`${id}-${name}`} className={labelClass}>{label}</label>
      <input id={`${id}-${name}`} type={type} className={`${fieldClass} mt-1 w-full`} value={draft[name]} onChange={(e) => setDraft({ ...draft, [name]: e.target.value })} />
    </div>
  );
  return (
    <form role="search" aria-label="Filter the audit log" onSubmit={submit} className="grid grid-cols-1 gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-4 dark:border-slate-800 dark:bg-slate-900">
      <div>
        <label htmlFor={`${id}-action`} className={labelClass}>Action</label>
        <select id={`${id}-action`} className={`${fieldClass} mt-1 w-full`} value={search.action ?? ''} onChange={(e) => onApply({ action: e.target.value || undefined })}>
          <option value="">Any action</option>
          {AUDIT_ACTIONS.map((a) => <option key={a} value={a}>{a}</option>)}
        </select>
      </div>
      <div>
        <label htmlFor={`${id}-outcome`} className={labelClass}>Outcome</label>
        <select id={`${id}-outcome`} className={`${fieldClass} mt-1 w-full`} value={search.outcome ?? ''} onChange={(e) => onApply({ outcome: e.target.value || undefined })}>
          <option value="">Any outcome</option>
          {AUDIT_OUTCOMES.map((o) => <option key={o} value={o}>{o}</option>)}
        </select>
      </div>
      {field('actor', 'Who (user or key id)')}
      {field('target', 'On (id or address)')}
      {field('from', 'From (UTC day)', 'date')}
      {field('to', 'To (UTC day, included)', 'date')}
      <div className="flex items-end gap-2 sm:col-span-2">
        <button type="submit" className={buttonClass}>Filter</button>
        {filtered && <button type="button" className={quietButtonClass} onClick={onClear}>Clear filters</button>}
      </div>
    </form>
  );
}
