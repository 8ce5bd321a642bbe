// One campaign: its progress and numbers moving live, the time series, clicks per link, bounces
// by reason and its own emails; an admin sends a draft or cancels what is still queued.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams, useSearch } from '@tanstack/react-router';
import { api } from '../api.ts';
import { sessionQuery } from '../session.ts';
import { useLiveStats } from '../live.ts';
import { browserTimeZone } from '../period.ts';
import { formatCount } from '../format.ts';
import { buttonClass, quietButtonClass } from '../shell/controls.ts';
import { StatsChart } from '../overview/stats-chart.tsx';
import { campaignBouncesQuery, campaignEmailsQuery, campaignLinksQuery, campaignQuery, campaignStatsQuery } from './campaigns-api.ts';
import { useProgress } from './use-progress.ts';
import { PeopleAndMachines, ProgressBar, RatesTable, StatusCounts } from './campaign-numbers.tsx';
import { Card, ConfirmButton, LoadError, StatusWord, When, linkClass, numClass, tableClass, tdClass, thClass } from './parts.tsx';

export function CampaignDetailScreen() {
  const { id } = useParams({ strict: false }) as { id: string };
  const search = useSearch({ strict: false }) as { tz?: string };
  const tz = search.tz ?? browserTimeZone();
  const campaign = useQuery(campaignQuery(id));
  const stats = useQuery(campaignStatsQuery(id, tz));
  const progress = useProgress(stats.data, stats.dataUpdatedAt);
  const isAdmin = useQuery(sessionQuery).data?.user.role === 'admin';
  useLiveStats(tz);

  if (campaign.error) return <LoadError what="read this campaign" error={campaign.error} />;
  const c = campaign.data;
  const status = stats.data?.status ?? c?.status;
  return (
    <div className="mx-auto max-w-7xl space-y-6">
      <div className="flex flex-wrap items-end gap-4">
        <div className="min-w-0">
          <p className="text-sm">
            <Link to="/campaigns" search={{ tz: search.tz }} className={linkClass}>
              Campaigns
            </Link>
          </p>
          <h1 className="text-2xl font-semibold">{c?.name ?? 'Campaign'}</h1>
          {c && (
            <p className="text-sm text-slate-600 dark:text-slate-400">
              {status && <StatusWord status={status} />} “{c.subject}” from {c.from}, created <When iso={c.created_at} tz={tz} />
              {c.scheduled_at && (
                <>
                  , scheduled for <When iso={c.scheduled_at} tz={tz} />
                </>
              )}
            </p>
          )}
        </div>
        {isAdmin && status && <Actions id={id} status={status} />}
      </div>
      {status === 'paused' && (
        <p role="status" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100">
          Paused by an alert: {c?.paused_reason ?? 'its hard-bounce rate crossed the critical line'}. Nothing more is sent until it is resumed
          {isAdmin ? '.' : ' by an admin.'}
        </p>
      )}
      {stats.error && <LoadError what="read the campaign's stats" error={stats.error} />}
      {stats.data && progress && (
        <>
          <ProgressBar stats={stats.data} progress={progress} />
          <StatusCounts counts={stats.data.counts} />
          <Card title="Over time" id="series-title">
            <StatsChart series={stats.data.series} tz={stats.data.period.tz} granularity={stats.data.period.granularity} />
          </Card>
          <div className="grid grid-cols-1 gap-6 xl:grid-cols-2">
            <RatesTable stats={stats.data} />
            <div className="space-y-6">
              <PeopleAndMachines stats={stats.data} />
              <LinksCard id={id} />
              <BouncesCard id={id} />
            </div>
          </div>
        </>
      )}
      <EmailsCard id={id} tz={tz} />
    </div>
  );
}

function Actions({ id, status }: { id: string; status: string }) {
  const queryClient = useQueryClient();
  const [error, setError] = useState<string>();
  const act = useMutation({
    mutationFn: (what: 'send' | 'cancel' | 'resume') => api(`/v1/campaigns/${id}/${what}`, { method: 'POST' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['stats', 'campaigns'] }),
    onError: (err) => setError((err as Error).message),
  });
  const cancellable = status === 'draft' || status === 'scheduled' || status === 'sending' || status === 'paused';
  return (
    <div className="ml-auto flex flex-wrap items-center gap-2">
      {error && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          {error}
        </p>
      )}
      {status === 'draft' && (
        <button type="button" className={buttonClass} disabled={act.isPending} onClick={() => act.mutate('send')}>
          Send campaign
        </button>
      )}
      {status === 'paused' && (
        <button type="button" className={buttonClass} disabled={act.isPending} onClick={() => act.mutate('resume')}>
          Resume campaign
        </button>
      )}
      {cancellable && (
        <ConfirmButton
          label="Cancel campaign"
          question="Cancel every email still queued? This cannot be undone."
          confirmLabel="Yes, cancel it"
          disabled={act.isPending}
          onConfirm={() => act.mutate('cancel')}
        />
      )}
    </div>
  );
}

function LinksCard({ id }: { id: string }) {
  const links = useQuery(campaignLinksQuery(id));
  return (
    <Card title="Clicks per link" id="links-title">
      {links.error && <LoadError what="read the links" error={links.error} />}
      {links.data && links.data.data.length === 0 && <p className="text-sm text-slate-600 dark:text-slate-400">No counted click yet. Machine clicks (scanners) are not counted here.</p>}
      {links.data && links.data.data.length > 0 && (
        <div className="relative overflow-x-auto" tabIndex={0} role="region" aria-label="Clicks per link">
          <table className={tableClass}>
            <thead>
              <tr>
                <th scope="col" className={thClass}>Link</th>
                <th scope="col" className={`${thClass} ${numClass}`}>Emails</th>
                <th scope="col" className={`${thClass} ${numClass}`}>Clicks</th>
              </tr>
            </thead>
            <tbody>
              {links.data.data.map((l) => (
                <tr key={l.index}>
                  <td className={`${tdClass} max-w-md break-all`}>{l.url}</td>
                  <td className={`${tdClass} ${numClass}`}>{formatCount(l.unique)}</td>
                  <td className={`${tdClass} ${numClass}`}>{formatCount(l.total)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}

function BouncesCard({ id }: { id: string }) {
  const bounces = useQuery(campaignBouncesQuery(id));
  const d = bounces.data;
  return (
    <Card title="Bounces by reason" id="bounces-title">
      {bounces.error && <LoadError what="read the bounces" error={bounces.error} />}
      {d && d.data.length === 0 && <p className="text-sm text-slate-600 dark:text-slate-400">No bounce yet.</p>}
      {d && d.data.length > 0 && (
        <>
          <div className="relative overflow-x-auto" tabIndex={0} role="region" aria-label="Bounces by reason">
            <table className={tableClass}>
              <thead>
                <tr>
                  <th scope="col" className={thClass}>Type</th>
                  <th scope="col" className={thClass}>Reason</th>
                  <th scope="col" className={`${thClass} ${numClass}`}>Emails</th>
                  <th scope="col" className={thClass}>A server's reply</th>
                </tr>
              </thead>
              <tbody>
                {d.data.map((b) => (
                  <tr key={`${b.bounce_type}-${b.reason}`} data-bounce-reason={b.reason ?? ''}>
                    <td className={tdClass}>{b.bounce_type ?? '–'}</td>
                    <td className={tdClass}>{(b.reason ?? 'unknown').replace(/_/g, ' ')}</td>
                    <td className={`${tdClass} ${numClass}`}>{formatCount(b.emails)}</td>
                    <td className={`${tdClass} max-w-xs break-words font-mono text-xs`}>{b.example ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {d.emails_read >= d.limit && <p className="mt-2 text-xs text-slate-600 dark:text-slate-400">From the newest {formatCount(d.limit)} bounced emails.</p>}
        </>
      )}
    </Card>
  );
}

function EmailsCard({ id, tz }: { id: string; tz: string }) {
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  const emails = useQuery(campaignEmailsQuery(id, cursor));
  return (
    <Card
      title="Its emails"
      id="emails-title"
      actions={
        <>
          {cursors.length > 0 && (
            <button type="button" className={quietButtonClass} onClick={() => setCursors((c) => c.slice(0, -1))}>
              Newer
            </button>
          )}
          {emails.data?.next_cursor && (
            <button type="button" className={quietButtonClass} onClick={() => setCursors((c) => [...c, emails.data!.next_cursor!])}>
              Older
            </button>
          )}
        </>
      }
    >
      {emails.error && <LoadError what="read the campaign's emails" error={emails.error} />}
      {emails.data && emails.data.data.length === 0 && <p className="text-sm text-slate-600 dark:text-slate-400">No email yet: a draft's recipients become emails when it is sent.</p>}
      {emails.data && emails.data.data.length > 0 && (
        <div className="relative overflow-x-auto">
          <table className={tableClass}>
            <thead>
              <tr>
                <th scope="col" className={thClass}>To</th>
                <th scope="col" className={thClass}>Status</th>
                <th scope="col" className={thClass}>Updated</th>
              </tr>
            </thead>
            <tbody>
              {emails.data.data.map((e) => (
                <tr key={e.id}>
                  <td className={tdClass}>
                    {/* The email's own screen, with its Events timeline. */}
                    <Link to="/email-logs/$id" params={{ id: e.id }} search={{ tab: 'events' }} className={linkClass}>
                      {e.to}
                    </Link>
                  </td>
                  <td className={tdClass}>
                    <StatusWord status={e.status} />
                  </td>
                  <td className={tdClass}>
                    <When iso={e.updated_at} tz={tz} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
