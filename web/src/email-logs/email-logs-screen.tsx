// Email Logs: every email of the project, newest first, filtered and searched from the URL, paged by
// cursor, moving live as emails are queued and change status, and exportable as CSV.
import { useInfiniteQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { FirstEmail } from '../overview/first-email.tsx';
import { quietButtonClass } from '../shell/controls.ts';
import { emailPagesQuery, type Email } from './emails-api.ts';
import { emailListParams, hasFilters, type LogSearch } from './log-search.ts';
import { useLiveEmails } from './live-emails.ts';
import { LogFilters } from './log-filters.tsx';
import { StatusBadge } from './status-badge.tsx';
import { Time } from './times.tsx';
import { LoadError } from './load-error.tsx';

export function EmailLogsScreen() {
  const search = useSearch({ strict: false }) as LogSearch;
  const pages = useInfiniteQuery(emailPagesQuery(search));
  useLiveEmails();
  const emails = pages.data?.pages.flatMap((p) => p.data) ?? [];
  const filtered = hasFilters(search);
  const exportHref = `/v1/emails/export.csv?${new URLSearchParams(emailListParams(search))}`;

  return (
    <div className="mx-auto max-w-7xl space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">Email Logs</h1>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            Every email, newest first. Click a row for its events, content and headers.{' '}
            <span className="inline-flex items-center gap-1" title="New emails and status changes appear as they happen.">
              <span aria-hidden="true" className="inline-block size-2 rounded-full bg-emerald-500" /> Live
            </span>
          </p>
        </div>
        <a href={exportHref} download className={quietButtonClass}>
          Export CSV<span className="sr-only"> of the emails these filters show</span>
        </a>
      </div>

      <LogFilters search={search} />

      {pages.error && <LoadError what="the emails" error={pages.error} />}
      {pages.isPending && <p className="text-slate-600 dark:text-slate-400">Reading the emails…</p>}
      {pages.data && emails.length === 0 && !pages.hasNextPage && (filtered ? <NoMatch /> : <FirstEmail />)}
      {emails.length > 0 && <EmailTable emails={emails} />}
      {pages.hasNextPage && (
        <div className="flex flex-wrap items-center gap-3">
          {/* A page checks a bounded number of emails against filters no index covers: it can come back short. */}
          {emails.length === 0 && <p className="text-sm text-slate-600 dark:text-slate-400">None of the latest emails matches yet; older ones may.</p>}
          <button type="button" className={quietButtonClass} disabled={pages.isFetchingNextPage} onClick={() => void pages.fetchNextPage()}>
            {pages.isFetchingNextPage ? 'Reading…' : emails.length === 0 ? 'Keep looking' : 'Older emails'}
          </button>
        </div>
      )}
    </div>
  );
}

function NoMatch() {
  const navigate = useNavigate();
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-5 dark:border-slate-800 dark:bg-slate-900">
      <h2 className="font-semibold">No email matches these filters</h2>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
        Search matches a part of the recipient or the subject; the recipient filter takes a whole address. Dates are whole days in your time zone.
      </p>
      <button type="button" className={`${quietButtonClass} mt-3`} onClick={() => void navigate({ to: '/email-logs', search: (prev: Record<string, unknown>) => ({ tz: prev.tz, period: prev.period, from: prev.from, to: prev.to }) as never })}>
        Clear the filters
      </button>
    </div>
  );
}

function EmailTable({ emails }: { emails: Email[] }) {
  const navigate = useNavigate();
  const open = (id: string) => void navigate({ to: '/email-logs/$id', params: { id }, search: { tab: 'events' } });
  return (
    <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Emails, newest first</caption>
        <thead className="border-b border-slate-200 text-xs uppercase text-slate-600 dark:border-slate-800 dark:text-slate-400">
          <tr>
            <th scope="col" className="px-3 py-2 font-medium">Status</th>
            <th scope="col" className="hidden px-3 py-2 font-medium sm:table-cell">To</th>
            <th scope="col" className="px-3 py-2 font-medium">Subject</th>
            <th scope="col" className="hidden px-3 py-2 font-medium md:table-cell">Tags</th>
            <th scope="col" className="px-3 py-2 text-right font-medium">Created</th>
          </tr>
        </thead>
        <tbody>
          {emails.map((e) => (
            <tr
              key={e.id}
              data-email-id={e.id}
              onClick={() => open(e.id)}
              className="cursor-pointer border-b border-slate-100 last:border-0 hover:bg-slate-50 dark:border-slate-800 dark:hover:bg-slate-800"
            >
              <td className="px-3 py-2">
                <StatusBadge status={e.status} />
              </td>
              <td className="hidden max-w-48 truncate px-3 py-2 sm:table-cell" title={e.to}>
                {e.to}
              </td>
              <td className="max-w-40 px-3 py-2 sm:max-w-80">
                {/* The row is clickable for the mouse; this link is the way in for keyboards and screen readers. */}
                <Link
                  to="/email-logs/$id"
                  params={{ id: e.id }}
                  search={{ tab: 'events' }}
                  onClick={(ev) => ev.stopPropagation()}
                  className="block truncate font-medium text-teal-800 hover:underline dark:text-teal-300"
                >
                  {e.subject || '(no subject)'}
                </Link>
                {/* A phone has no room for a To column: the recipient goes under the subject. */}
                <span className="block truncate text-xs text-slate-600 sm:hidden dark:text-slate-400">{e.to}</span>
              </td>
              <td className="hidden px-3 py-2 text-xs text-slate-600 md:table-cell dark:text-slate-400">{e.tags.join(', ')}</td>
              <td className="px-3 py-2 text-right text-xs tabular-nums text-slate-600 sm:whitespace-nowrap sm:text-sm dark:text-slate-400">
                <Time iso={e.created_at} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
