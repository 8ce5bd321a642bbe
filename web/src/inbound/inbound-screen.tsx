// Inbound: mail the inbound server received. By default what matched no email Sendtrail sent
// (nothing was recorded from it, so a person may need to read it); matched mail one choice away.
// Live: mail appears as the inbound server stores it.
import { useId } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { browserTimeZone } from '../period.ts';
import { fieldClass, labelClass, quietButtonClass } from '../shell/controls.ts';
import { LoadError, When, linkClass, numClass, tableClass, tdClass, thClass } from '../campaigns/parts.tsx';
import { inboundListQuery, KIND_WORDS } from './inbound-api.ts';
import { useLiveInbound } from './live-inbound.ts';

type Search = { cursor?: string; matched?: 'true' | 'all'; tz?: string };

export function InboundScreen() {
  const search = useSearch({ strict: false }) as Search;
  const tz = search.tz ?? browserTimeZone();
  const navigate = useNavigate();
  const list = useQuery(inboundListQuery(search));
  const id = useId();
  useLiveInbound();
  const which = search.matched ?? 'false';

  return (
    <div className="mx-auto max-w-7xl space-y-6">
      <div className="flex flex-wrap items-end gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Inbound</h1>
          <p className="text-sm text-slate-600 dark:text-slate-400">Mail received by Sendtrail's inbound server: bounce reports, complaints, replies.</p>
        </div>
        <div className="ml-auto">
          <label htmlFor={id} className={labelClass}>Show</label>
          <select
            id={id}
            className={`${fieldClass} mt-1`}
            value={which}
            onChange={(e) => void navigate({ to: '/inbound', search: (prev) => ({ ...prev, cursor: undefined, matched: e.target.value === 'false' ? undefined : (e.target.value as 'true' | 'all') }) })}
          >
            <option value="false">Unmatched mail</option>
            <option value="true">Matched to an email</option>
            <option value="all">All mail</option>
          </select>
        </div>
      </div>
      {list.error && <LoadError what="read the inbound mail" error={list.error} />}
      {list.data && list.data.data.length === 0 && (
        <p className="rounded-lg border border-dashed border-slate-300 p-6 text-sm text-slate-700 dark:border-slate-700 dark:text-slate-300">
          {which === 'false'
            ? 'No unmatched mail. Bounce reports, complaints and replies to emails Sendtrail sent are matched to them and recorded as their events; what arrives here matched none.'
            : 'No inbound mail yet. Point your bounce domain\'s MX at the inbound server (INBOUND_SMTP_PORT) to receive bounce reports and replies.'}
        </p>
      )}
      {list.data && list.data.data.length > 0 && (
        <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
          <table className={tableClass}>
            <caption className="sr-only">Inbound mail, newest first</caption>
            <thead>
              <tr>
                <th scope="col" className={thClass}>Subject</th>
                <th scope="col" className={`${thClass} hidden sm:table-cell`}>From</th>
                <th scope="col" className={thClass}>Kind</th>
                <th scope="col" className={`${thClass} ${numClass} hidden sm:table-cell`}>Size</th>
                <th scope="col" className={thClass}>Received</th>
              </tr>
            </thead>
            <tbody>
              {list.data.data.map((m) => (
                <tr key={m.id}>
                  <td className={tdClass}>
                    <Link to="/inbound/$id" params={{ id: m.id }} search={(prev) => ({ tz: (prev as Search).tz })} className={linkClass}>
                      {m.subject || '(no subject)'}
                    </Link>
                    {/* A phone has no room for a From column: the sender goes under the subject. */}
                    <span className="block break-all text-xs text-slate-600 sm:hidden dark:text-slate-400">{m.from ?? m.mail_from ?? '<>'}</span>
                  </td>
                  <td className={`${tdClass} hidden break-all sm:table-cell`}>{m.from ?? m.mail_from ?? '<>'}</td>
                  <td className={tdClass}>{KIND_WORDS[m.kind] ?? m.kind}</td>
                  <td className={`${tdClass} ${numClass} hidden sm:table-cell`}>{formatBytes(m.size_bytes)}</td>
                  <td className={tdClass}>
                    <When iso={m.received_at} tz={tz} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav aria-label="Pages of inbound mail" className="flex gap-2">
        {search.cursor && (
          <button type="button" className={quietButtonClass} onClick={() => void navigate({ to: '/inbound', search: (prev) => ({ ...prev, cursor: undefined }) })}>
            Newest
          </button>
        )}
        {list.data?.next_cursor && (
          <button type="button" className={quietButtonClass} onClick={() => void navigate({ to: '/inbound', search: (prev) => ({ ...prev, cursor: list.data!.next_cursor! }) })}>
            Older mail
          </button>
        )}
      </nav>
    </div>
  );
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
