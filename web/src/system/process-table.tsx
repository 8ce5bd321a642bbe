// Each Sendtrail process as a row: roles as badges, version, host and pid, its last heartbeat as a
// relative time that keeps moving, its state in words (never colour alone), and what it holds a
// lease on now, so a process that is stuck shows what waits on it.
import { formatCount } from '../format.ts';
import { formatAgo } from './use-now.ts';
import type { ProcessState, SystemProcess } from './system.ts';

const STATES: Record<ProcessState, { word: string; tone: string; dot: string; explain: string }> = {
  alive: { word: 'Alive', tone: 'text-emerald-800 bg-emerald-50 dark:text-emerald-200 dark:bg-emerald-950', dot: 'bg-emerald-500', explain: 'Heartbeating.' },
  stopped: { word: 'Stopped', tone: 'text-slate-700 bg-slate-100 dark:text-slate-200 dark:bg-slate-800', dot: 'bg-slate-400', explain: 'Stopped cleanly, after finishing its deliveries.' },
  lost: { word: 'Lost', tone: 'text-red-800 bg-red-50 dark:text-red-200 dark:bg-red-950', dot: 'bg-red-500', explain: 'Its heartbeat stopped without a clean stop (crashed, killed, or cut off from the database); a live process took over the emails, reply forwards and webhook deliveries it held.' },
};

const exact = (iso: string) => new Date(iso).toLocaleString();

/**
 * `now` is the server's time as of this render (the browser's clock moved by the skew seen in the
 * last answer); `sinceFetchMs` is how long ago that answer came.
 */
export function ProcessTable({ processes, sinceFetchMs, now, lostAfterMs }: { processes: SystemProcess[]; sinceFetchMs: number; now: number; lostAfterMs: number }) {
  const th = 'py-2 pr-4 font-medium';
  return (
    <div className="relative overflow-x-auto" tabIndex={0} role="region" aria-label="Sendtrail processes">
      <table className="w-full text-sm">
        <thead>
          <tr className="border-b border-slate-200 text-left text-slate-600 dark:border-slate-700 dark:text-slate-400">
            <th scope="col" className={th}>Process</th>
            <th scope="col" className={th}>Roles</th>
            <th scope="col" className={th}>Version</th>
            <th scope="col" className={th}>Started</th>
            <th scope="col" className={th}>Last heartbeat</th>
            <th scope="col" className={th}>State</th>
            <th scope="col" className={th}>Holds</th>
          </tr>
        </thead>
        <tbody>
          {processes.map((p) => {
            // The server's age of the beat, moved on by the time since the answer: no client clock skew.
            const ageMs = p.heartbeat_age_ms + (p.state === 'alive' ? sinceFetchMs : 0);
            const state = p.state === 'alive' && ageMs > lostAfterMs ? STATES.lost : STATES[p.state];
            return (
              <tr key={p.id} data-process={p.id} data-state={p.state} className="border-b border-slate-100 align-top dark:border-slate-800">
                <th scope="row" className="py-2 pr-4 text-left font-medium">
                  <div>{p.host}</div>
                  <div className="text-xs font-normal text-slate-600 dark:text-slate-400">pid {p.pid}</div>
                  <div className="font-mono text-xs font-normal text-slate-600 dark:text-slate-400">{p.id}</div>
                </th>
                <td className="py-2 pr-4">
                  <ul className="flex flex-wrap gap-1" aria-label={`Roles of ${p.host} pid ${p.pid}`}>
                    {p.roles.map((r) => (
                      <li key={r} className="rounded bg-teal-50 px-1.5 text-xs font-medium text-teal-900 dark:bg-teal-950 dark:text-teal-100">
                        {r}
                      </li>
                    ))}
                  </ul>
                </td>
                <td className="tabular py-2 pr-4">{p.version}</td>
                <td className="py-2 pr-4">
                  <time dateTime={p.started_at} title={exact(p.started_at)}>
                    {formatAgo(now - new Date(p.started_at).getTime())}
                  </time>
                </td>
                <td className="py-2 pr-4" data-heartbeat>
                  <time dateTime={p.heartbeat_at} title={exact(p.heartbeat_at)}>
                    {formatAgo(ageMs)}
                  </time>
                </td>
                <td className="py-2 pr-4">
                  <span title={state.explain} className={`inline-flex items-center gap-1.5 rounded px-1.5 text-xs font-medium ${state.tone}`}>
                    <span aria-hidden="true" className={`inline-block size-2 rounded-full ${state.dot}`} />
                    {state.word}
                  </span>
                  {p.stopped_at && (
                    <div className="text-xs text-slate-600 dark:text-slate-400">
                      since <time dateTime={p.stopped_at} title={exact(p.stopped_at)}>{formatAgo(now - new Date(p.stopped_at).getTime())}</time>
                    </div>
                  )}
                </td>
                <td className="py-2">
                  <Leases process={p} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

const LEASES: Array<{ key: keyof SystemProcess['leases']; one: string; many: string; explain: string }> = [
  { key: 'emails', one: 'email', many: 'emails', explain: 'Being sent by its worker.' },
  { key: 'webhook_deliveries', one: 'webhook delivery', many: 'webhook deliveries', explain: 'Being posted by its worker.' },
  { key: 'reply_forwards', one: 'reply forward', many: 'reply forwards', explain: 'Replies being forwarded by its inbound role.' },
];

/** The leases a process holds, by kind; each count with its noun, so a zero reads as such. */
function Leases({ process: p }: { process: SystemProcess }) {
  return (
    <ul className="space-y-0.5 text-xs" aria-label={`Leases held by ${p.host} pid ${p.pid}`}>
      {LEASES.map(({ key, one, many, explain }) => {
        const n = p.leases[key];
        return (
          <li key={key} data-lease={key} title={explain} className={n === 0 ? 'text-slate-600 dark:text-slate-400' : 'font-medium'}>
            <span className="tabular" data-value>{formatCount(n)}</span> {n === 1 ? one : many}
          </li>
        );
      })}
    </ul>
  );
}
