// Campaigns: newest first, each with its progress (queued, sent, delivered, pace, time left)
// moving live while it sends, and the way to a new one.
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { sessionQuery } from '../session.ts';
import { useLiveStats } from '../live.ts';
import { browserTimeZone } from '../period.ts';
import { formatCount } from '../format.ts';
import { buttonClass, quietButtonClass } from '../shell/controls.ts';
import { campaignListQuery, campaignStatsQuery, isActive, type CampaignSummary } from './campaigns-api.ts';
import { useProgress } from './use-progress.ts';
import { formatDuration, formatRatePerSecond } from './progress.ts';
import { LoadError, StatusWord, When, linkClass, numClass, tableClass, tdClass, thClass } from './parts.tsx';

export function CampaignsScreen() {
  const search = useSearch({ strict: false }) as { cursor?: string; tz?: string };
  const navigate = useNavigate();
  const tz = search.tz ?? browserTimeZone();
  const list = useQuery(campaignListQuery(search.cursor));
  const isAdmin = useQuery(sessionQuery).data?.user.role === 'admin';
  useLiveStats(tz);

  return (
    <div className="mx-auto max-w-7xl space-y-6">
      <div className="flex flex-wrap items-end gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Campaigns</h1>
          <p className="text-sm text-slate-600 dark:text-slate-400">One message to a list of recipients; progress moves live while a campaign sends.</p>
        </div>
        {isAdmin && (
          <Link to="/campaigns/new" search={(prev) => ({ tz: (prev as { tz?: string }).tz })} className={`${buttonClass} ml-auto`}>
            New campaign
          </Link>
        )}
      </div>
      {list.error && <LoadError what="read the campaigns" error={list.error} />}
      {list.data && list.data.data.length === 0 && !search.cursor && <NoCampaigns isAdmin={isAdmin} />}
      {list.data && list.data.data.length > 0 && (
        <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
          <table className={tableClass}>
            <caption className="sr-only">Campaigns, newest first</caption>
            <thead>
              <tr>
                <th scope="col" className={thClass}>Campaign</th>
                <th scope="col" className={thClass}>Status</th>
                <th scope="col" className={`${thClass} ${numClass}`}>Recipients</th>
                <th scope="col" className={`${thClass} ${numClass}`}>Queued</th>
                <th scope="col" className={`${thClass} ${numClass}`}>Sent</th>
                <th scope="col" className={`${thClass} ${numClass}`}>Delivered</th>
                <th scope="col" className={`${thClass} ${numClass}`}>Send rate</th>
                <th scope="col" className={`${thClass} ${numClass}`}>Time left</th>
                <th scope="col" className={thClass}>Created</th>
              </tr>
            </thead>
            <tbody>
              {list.data.data.map((c) => (
                <CampaignRow key={c.id} campaign={c} tz={tz} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav aria-label="Pages of campaigns" className="flex gap-2">
        {search.cursor && (
          <button type="button" className={quietButtonClass} onClick={() => void navigate({ to: '/campaigns', search: (prev) => ({ ...prev, cursor: undefined }) })}>
            Newest
          </button>
        )}
        {list.data?.next_cursor && (
          <button type="button" className={quietButtonClass} onClick={() => void navigate({ to: '/campaigns', search: (prev) => ({ ...prev, cursor: list.data!.next_cursor! }) })}>
            Older campaigns
          </button>
        )}
      </nav>
    </div>
  );
}

function CampaignRow({ campaign: c, tz }: { campaign: CampaignSummary; tz: string }) {
  const stats = useQuery(campaignStatsQuery(c.id, tz, isActive(c.status)));
  const p = useProgress(stats.data, stats.dataUpdatedAt);
  const status = stats.data?.status ?? c.status;
  const cell = (n: number | undefined) => (n === undefined ? '–' : formatCount(n));
  const sending = status === 'sending';
  return (
    <tr data-campaign={c.name}>
      <td className={tdClass}>
        <Link to="/campaigns/$id" params={{ id: c.id }} search={(prev) => ({ tz: (prev as { tz?: string }).tz })} className={`${linkClass} font-medium`}>
          {c.name}
        </Link>
        <div className="max-w-80 truncate text-xs text-slate-600 dark:text-slate-400">{c.subject}</div>
      </td>
      <td className={tdClass} data-field="status">
        <StatusWord status={status} />
        {status === 'scheduled' && c.scheduled_at && (
          <div className="text-xs text-slate-600 dark:text-slate-400">
            for <When iso={c.scheduled_at} tz={tz} />
          </div>
        )}
      </td>
      <td className={`${tdClass} ${numClass}`}>{formatCount(stats.data?.recipient_count ?? c.recipient_count)}</td>
      <td className={`${tdClass} ${numClass}`} data-field="queued">{cell(p?.queued)}</td>
      <td className={`${tdClass} ${numClass}`} data-field="sent">{cell(p?.sent)}</td>
      <td className={`${tdClass} ${numClass}`} data-field="delivered">{cell(p?.delivered)}</td>
      <td className={`${tdClass} ${numClass}`} title="Emails leaving the queue per second, over the last 30 seconds">{sending ? formatRatePerSecond(p?.rate ?? null) : '–'}</td>
      <td className={`${tdClass} ${numClass}`}>{sending ? (p?.secondsLeft == null ? 'measuring…' : formatDuration(p.secondsLeft)) : '–'}</td>
      <td className={tdClass}>
        <When iso={c.created_at} tz={tz} />
      </td>
    </tr>
  );
}

function NoCampaigns({ isAdmin }: { isAdmin: boolean }) {
  return (
    <section aria-labelledby="no-campaigns" className="rounded-lg border border-dashed border-slate-300 p-6 dark:border-slate-700">
      <h2 id="no-campaigns" className="text-lg font-semibold">No campaigns yet</h2>
      <p className="mt-1 max-w-2xl text-sm text-slate-700 dark:text-slate-300">
        A campaign sends one message to a list: write it with fields like <code>{'{{data.first_name}}'}</code>, upload a CSV with an <code>email</code> column and one
        column per field, then send it now, schedule it, or keep it as a draft.{' '}
        {isAdmin ? 'Addresses at simulator.test are delivered, bounced or opened on command, so a first campaign costs nothing.' : 'An admin can create one.'}
      </p>
    </section>
  );
}
