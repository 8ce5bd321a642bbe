// System: each running Sendtrail process with its heartbeat, the queue and the store, refreshed
// every few seconds.
import { useQuery } from '@tanstack/react-query';
import { formatCount } from '../format.ts';
import { ProcessTable } from './process-table.tsx';
import { SYSTEM_REFRESH_MS, systemQuery, type StoreSummary, type SystemReport } from './system.ts';
import { useNow } from './use-now.ts';

export function SystemScreen() {
  const system = useQuery(systemQuery);
  const now = useNow();
  const fetchedAt = system.dataUpdatedAt;
  const serverNow = system.data ? now - (fetchedAt - Date.parse(system.data.server_time)) : now;

  return (
    <div className="mx-auto max-w-7xl space-y-8">
      <div>
        <h1 className="text-2xl font-semibold">System</h1>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Every Sendtrail process, the queue and the database, as of a few seconds ago.{' '}
          <span className="inline-flex items-center gap-1" title={`Refreshed every ${SYSTEM_REFRESH_MS / 1000} s.`}>
            <span aria-hidden="true" className="inline-block size-2 rounded-full bg-emerald-500" /> Live
          </span>
        </p>
      </div>
      {system.error && (
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200">
          Could not read the system{system.data ? ' (showing the last answer)' : ''}: {system.error.message}
        </p>
      )}
      {!system.data && !system.error && <p className="text-slate-600 dark:text-slate-400">Reading the system…</p>}
      {system.data && (
        <>
          <section aria-labelledby="processes-title" className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
            <h2 id="processes-title" className="text-lg font-semibold">Processes</h2>
            <p className="mb-3 text-sm text-slate-600 dark:text-slate-400">
              Each process beats every {formatSeconds(system.data.heartbeat_ms)}. One silent for {formatSeconds(system.data.lost_after_ms)} is lost, and a live one
              takes over at once what it held: the emails and webhook deliveries it was sending, the replies it was forwarding. Stopped and lost processes stay listed for a day.
            </p>
            {system.data.processes.length === 0 ? (
              <p className="text-sm">
                No process has reported yet. Each <code className="rounded bg-slate-100 px-1 dark:bg-slate-800">npx sendtrail start</code> appears here with its roles.
              </p>
            ) : (
              <ProcessTable processes={system.data.processes} sinceFetchMs={Math.max(0, now - fetchedAt)} now={serverNow} lostAfterMs={system.data.lost_after_ms} />
            )}
          </section>
          <Queue queue={system.data.queue} />
          <Store store={system.data.store} />
        </>
      )}
    </div>
  );
}

const formatSeconds = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`);

function Queue({ queue }: { queue: SystemReport['queue'] }) {
  const cards = [
    { id: 'due', label: 'Due now', value: `${formatCount(queue.due)}${queue.due_capped ? '+' : ''}`, explain: 'Waiting for a worker to take them.' },
    { id: 'held', label: 'Being sent', value: formatCount(queue.held), explain: 'Taken by a worker, under its lease.' },
    { id: 'queued', label: 'Queued', value: formatCount(queue.queued), explain: 'In status queued: due, or being sent.' },
    { id: 'scheduled', label: 'Scheduled', value: formatCount(queue.scheduled), explain: 'To be sent at a later time.' },
    { id: 'retrying', label: 'Retrying', value: formatCount(queue.retrying), explain: 'Deferred by the receiving server, waiting for the next attempt.' },
  ];
  return (
    <section aria-labelledby="queue-title" className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
      <h2 id="queue-title" className="mb-3 text-lg font-semibold">Queue</h2>
      <dl className="grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-5">
        {cards.map((c) => (
          <div key={c.id} data-queue={c.id}>
            <dt className="text-sm text-slate-600 dark:text-slate-400">{c.label}</dt>
            <dd className="tabular text-2xl font-semibold" data-value>
              {c.value}
            </dd>
            <dd className="text-xs text-slate-600 dark:text-slate-400">{c.explain}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function Store({ store }: { store: StoreSummary }) {
  const rows: Array<[string, string]> =
    store.kind === 'pglite'
      ? [['Database', 'Embedded PGlite (one process)'], ['Data directory', store.data_dir ?? '']]
      : [
          ['Database', 'PostgreSQL'],
          ['Host', `${store.host ?? ''}${store.port ? `:${store.port}` : ''}`],
          ['Database name', store.database ?? ''],
          ...(store.user ? [['User', store.user] as [string, string]] : []),
        ];
  return (
    <section aria-labelledby="store-title" className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
      <h2 id="store-title" className="mb-3 text-lg font-semibold">Store</h2>
      <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1 text-sm" data-store={store.kind}>
        {rows.map(([k, v]) => (
          <div key={k} className="contents">
            <dt className="text-slate-600 dark:text-slate-400">{k}</dt>
            <dd className="break-all font-mono">{v}</dd>
          </div>
        ))}
        <div className="contents">
          <dt className="text-slate-600 dark:text-slate-400">Writes synced to disk</dt>
          <dd>{store.fsync ? 'yes (fsync on)' : 'no (fsync off)'}</dd>
        </div>
      </dl>
      {store.warning && (
        <p role="note" className="mt-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
          <strong>Warning: </strong>
          {store.warning}
        </p>
      )}
    </section>
  );
}
