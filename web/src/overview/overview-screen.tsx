// The Overview: the project's sending over the chosen period, against the period before, people
// beside machines, per mailbox provider, and moving as the rollups change.
import { useQuery } from '@tanstack/react-query';
import { previousPeriod, resolvePeriod } from '../period.ts';
import { usePeriodSearch } from '../shell/use-period.ts';
import { useLiveStats } from '../live.ts';
import { anyEmailQuery, statsQuery } from './stats.ts';
import { MetricCards } from './metric-cards.tsx';
import { MachineTraffic } from './machine-traffic.tsx';
import { StatsChart } from './stats-chart.tsx';
import { ProviderTable } from './provider-table.tsx';
import { FirstEmail } from './first-email.tsx';

export function OverviewScreen() {
  const [search] = usePeriodSearch();
  const shown = resolvePeriod(search, new Date());
  // Presets are asked for as of each fetch, so a refetch an hour later reads the last 24 hours then.
  const key = [search.period ?? 'default', search.from, search.to, shown.tz] as const;
  const current = useQuery(statsQuery(['current', ...key], () => resolvePeriod(search, new Date())));
  const before = useQuery(statsQuery(['previous', ...key], () => previousPeriod(resolvePeriod(search, new Date()))));
  const providers = useQuery(statsQuery(['providers', ...key], () => resolvePeriod(search, new Date()), { group_by: 'provider' }));
  const anyEmail = useQuery(anyEmailQuery);
  useLiveStats(shown.tz);

  return (
    <div className="mx-auto max-w-7xl space-y-8">
      <div>
        <h1 className="text-2xl font-semibold">Overview</h1>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          {shown.label}, in {shown.tz}. Changes compare with {shown.previousLabel}.{' '}
          <span className="inline-flex items-center gap-1" title="Numbers follow the event stream: they change as emails are sent, delivered, opened and clicked.">
            <span aria-hidden="true" className="inline-block size-2 rounded-full bg-emerald-500" /> Live
          </span>
        </p>
      </div>

      {current.error && <LoadError what="the stats" error={current.error} />}
      {anyEmail.data === false && <FirstEmail />}

      {current.data && (
        <>
          <MetricCards now={current.data.totals} before={before.data?.totals} previousLabel={shown.previousLabel} />
          <section aria-labelledby="chart-title" className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
            <h2 id="chart-title" className="mb-2 text-lg font-semibold">
              Over time
            </h2>
            <StatsChart series={current.data.series} tz={current.data.period.tz} granularity={current.data.period.granularity} />
          </section>
          <MachineTraffic totals={current.data.totals} />
          <section aria-labelledby="providers-title" className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
            <h2 id="providers-title" className="text-lg font-semibold">
              By mailbox provider
            </h2>
            <p className="mb-3 text-sm text-slate-600 dark:text-slate-400">Gmail and Yahoo ask senders to keep complaints under 0.1 % and never reach 0.3 %.</p>
            {providers.error ? <LoadError what="the providers" error={providers.error} /> : <ProviderTable groups={providers.data?.groups} />}
          </section>
          {current.data.notes.length > 0 && (
            <ul className="text-xs text-slate-600 dark:text-slate-400">
              {current.data.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          )}
        </>
      )}
      {!current.data && !current.error && <p className="text-slate-600 dark:text-slate-400">Reading the stats…</p>}
    </div>
  );
}

function LoadError({ what, error }: { what: string; error: Error }) {
  return (
    <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200">
      Could not read {what}: {error.message}
    </p>
  );
}
