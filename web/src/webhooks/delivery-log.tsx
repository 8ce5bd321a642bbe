// One endpoint's delivery log: each delivery (newest first) with its state and every attempt
// (status, duration, the start of the answer, the error); admins may send one again.
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { LoadError } from '../shell/load-error.tsx';
import { quietButtonClass } from '../shell/controls.ts';
import { RelativeTime } from '../shell/relative-time.tsx';
import { deliveriesQuery, replayDelivery, WEBHOOKS_KEY, type Delivery, type Endpoint } from './webhooks.ts';

const STATE_CLASS: Record<Delivery['state'], string> = {
  delivered: 'text-emerald-800 dark:text-emerald-300',
  pending: 'text-amber-800 dark:text-amber-300',
  failed: 'text-red-700 dark:text-red-400',
};

export function DeliveryLog({ endpoint, canReplay }: { endpoint: Endpoint; canReplay: boolean }) {
  const deliveries = useQuery(deliveriesQuery(endpoint.id));
  const queryClient = useQueryClient();
  const [error, setError] = useState<string>();
  const replay = async (d: Delivery) => {
    setError(undefined);
    try {
      await replayDelivery(endpoint.id, d.id);
    } catch (err) {
      setError(`Could not send it again: ${(err as Error).message}`);
    }
    await queryClient.invalidateQueries({ queryKey: [...WEBHOOKS_KEY, endpoint.id] });
  };
  return (
    <section aria-labelledby="log-title" className="space-y-3">
      <h2 id="log-title" className="text-lg font-semibold">
        Deliveries to <span className="break-all font-mono text-base">{endpoint.url}</span>
      </h2>
      {error && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      )}
      {deliveries.error && <LoadError what="read the delivery log" error={deliveries.error} />}
      {deliveries.data?.length === 0 && (
        <p className="rounded-lg border border-dashed border-slate-300 p-4 text-sm text-slate-600 dark:border-slate-700 dark:text-slate-400">
          Nothing delivered yet. Events logged from now on go out within a second or two; “Send test event” sends one at once.
        </p>
      )}
      <ol className="space-y-2">
        {deliveries.data?.map((d) => (
          <li key={d.id} aria-label={`Delivery ${d.event_type}`} className="rounded-lg border border-slate-200 bg-white p-3 text-sm dark:border-slate-800 dark:bg-slate-900">
            <div className="flex flex-wrap items-center justify-between gap-2">
              <div>
                <code>{d.event_type}</code> · <span className={`font-medium ${STATE_CLASS[d.state]}`}>{d.state}</span> · <RelativeTime iso={d.created_at} />
                {d.state === 'pending' && d.next_attempt_at && d.attempts > 0 && (
                  <span className="text-slate-600 dark:text-slate-400">
                    {' '}
                    · next attempt <RelativeTime iso={d.next_attempt_at} />
                  </span>
                )}
              </div>
              {canReplay && d.state !== 'pending' && (
                <button type="button" className={quietButtonClass} onClick={() => void replay(d)}>
                  Send again
                </button>
              )}
            </div>
            {d.attempt_log.length > 0 && (
              <table className="mt-2 w-full table-fixed text-left text-xs">
                <thead className="text-slate-600 dark:text-slate-400">
                  <tr>
                    <th className="w-24 py-1 pr-3 font-medium">Attempt</th>
                    <th className="w-14 py-1 pr-3 font-medium">Status</th>
                    <th className="w-20 py-1 pr-3 font-medium">Took</th>
                    <th className="py-1 font-medium">Answer or error</th>
                  </tr>
                </thead>
                <tbody>
                  {d.attempt_log.map((a, i) => (
                    <tr key={a.attempted_at + i} className="border-t border-slate-100 align-top dark:border-slate-800">
                      <td className="py-1 pr-3">
                        <RelativeTime iso={a.attempted_at} />
                      </td>
                      <td className="py-1 pr-3 font-mono">{a.status ?? '—'}</td>
                      <td className="py-1 pr-3">{a.duration_ms} ms</td>
                      <td className="break-all py-1 font-mono">{a.error ?? (a.response_excerpt?.slice(0, 300) || '(empty)')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
