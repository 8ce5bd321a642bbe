// A campaign's numbers: progress while it sends, every rate over its denominator, and people
// beside machines with the machines' reasons in words.
import { formatCount, formatRate, rateTitle } from '../format.ts';
import { whyInWords } from '../overview/why-words.ts';
import type { CampaignStats } from './campaigns-api.ts';
import type { Progress } from './use-progress.ts';
import { formatDuration, formatRatePerSecond } from './progress.ts';
import { Card, numClass, tableClass, tdClass, thClass } from './parts.tsx';

export function ProgressBar({ stats, progress: p }: { stats: CampaignStats; progress: Progress }) {
  const total = Math.max(p.total, stats.recipient_count, 1);
  const pct = Math.min(100, Math.round((p.done / total) * 100));
  const items = [
    ['queued', 'Queued', formatCount(p.queued)],
    ['sent', 'Sent', formatCount(p.sent)],
    ['delivered', 'Delivered', formatCount(p.delivered)],
    ['rate', 'Send rate', stats.status === 'sending' ? formatRatePerSecond(p.rate) : '–'],
    ['left', 'Time left', stats.status === 'sending' ? (p.secondsLeft === null ? 'measuring…' : formatDuration(p.secondsLeft)) : stats.status === 'completed' ? 'done' : '–'],
  ] as const;
  return (
    <section aria-label="Progress" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
      <progress className="h-2 w-full accent-teal-600" max={100} value={pct} aria-label={`${pct} % of the emails out of the queue`} />
      <dl className="grid grid-cols-2 gap-4 sm:grid-cols-5">
        {items.map(([id, label, value]) => (
          <div key={id} data-progress={id}>
            <dt className="text-xs text-slate-600 dark:text-slate-400">{label}</dt>
            <dd className="text-xl font-semibold tabular-nums" data-value>
              {value}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

export function StatusCounts({ counts }: { counts: CampaignStats['counts'] }) {
  const entries = Object.entries(counts).filter(([k, v]) => k !== 'total' && v > 0);
  return (
    <p className="text-sm text-slate-700 dark:text-slate-300">
      {formatCount(counts.total)} emails: {entries.length === 0 ? 'none yet' : entries.map(([k, v]) => `${formatCount(v)} ${k.replace(/_/g, ' ')}`).join(', ')}.
    </p>
  );
}

export function RatesTable({ stats }: { stats: CampaignStats }) {
  const c = stats.counts;
  const e = stats.engagement;
  const sent = (c.sent ?? 0) + (c.delivered ?? 0) + (c.bounced ?? 0);
  const delivered = c.delivered ?? 0;
  const rows: Array<[string, string, number, number, string, number | null]> = [
    ['delivery', 'Delivered', delivered, sent, 'sent', stats.rates.delivery],
    ['open', 'Opened (people)', e.opens.unique, delivered, 'delivered', stats.rates.open],
    ['click_through', 'Clicked (people)', e.clicks.unique, delivered, 'delivered', stats.rates.click_through],
    ['click_to_open', 'Clicked, of openers', e.clicks.unique, e.opens.unique, 'openers', stats.rates.click_to_open],
    ['reply', 'Replied', e.replies.repliers, delivered, 'delivered', stats.rates.reply],
    ['bounce', 'Bounced', e.bounces.total, sent, 'sent', stats.rates.bounce],
    ['bounce_hard', 'Hard bounces', e.bounces.hard, sent, 'sent', stats.rates.bounce_hard],
    ['bounce_soft', 'Soft bounces', e.bounces.soft, sent, 'sent', stats.rates.bounce_soft],
    ['complaint', 'Complaints', e.complaints, delivered, 'delivered', stats.rates.complaint],
    ['unsubscribe', 'Unsubscribes', e.unsubscribes, delivered, 'delivered', stats.rates.unsubscribe],
  ];
  return (
    <Card title="Rates" id="rates-title">
      <div className="relative overflow-x-auto" tabIndex={0} role="region" aria-label="Rates">
        <table className={tableClass}>
          <thead>
            <tr>
              <th scope="col" className={thClass}>What</th>
              <th scope="col" className={`${thClass} ${numClass}`}>Count</th>
              <th scope="col" className={`${thClass} ${numClass}`}>Rate</th>
              <th scope="col" className={thClass}>Of</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([id, label, n, of, ofWord, rate]) => (
              <tr key={id} data-rate={id}>
                <th scope="row" className={`${tdClass} font-normal`}>{label}</th>
                <td className={`${tdClass} ${numClass}`}>{formatCount(n)}</td>
                <td className={`${tdClass} ${numClass}`} title={rateTitle(n, of, ofWord, rate)}>{formatRate(rate)}</td>
                <td className={`${tdClass} text-slate-600 dark:text-slate-400`}>
                  {formatCount(of)} {ofWord}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Card>
  );
}

export function PeopleAndMachines({ stats }: { stats: CampaignStats }) {
  const e = stats.engagement;
  const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
  const rows = [
    { kind: 'Opens', people: e.opens.total, unique: e.opens.unique, repeats: e.coalesced.opens, why: e.machine.opens },
    { kind: 'Clicks', people: e.clicks.total, unique: e.clicks.unique, repeats: e.coalesced.clicks, why: e.machine.clicks },
  ];
  return (
    <Card title="People and machines" id="people-title">
      <p className="mb-3 text-sm text-slate-600 dark:text-slate-400">Privacy proxies and security scanners open and click too; they are shown here and left out of the rates.</p>
      <div className="relative overflow-x-auto" tabIndex={0} role="region" aria-label="Hits by people and by machines">
        <table className={tableClass}>
          <thead>
            <tr>
              <th scope="col" className={thClass}>Hits</th>
              <th scope="col" className={`${thClass} ${numClass}`}>By people</th>
              <th scope="col" className={`${thClass} ${numClass}`}>Emails</th>
              <th scope="col" className={`${thClass} ${numClass}`}>Repeats</th>
              <th scope="col" className={`${thClass} ${numClass}`}>By machines</th>
              <th scope="col" className={thClass}>Which machines</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.kind} data-hits={r.kind.toLowerCase()}>
                <th scope="row" className={`${tdClass} font-normal`}>{r.kind}</th>
                <td className={`${tdClass} ${numClass}`}>{formatCount(r.people)}</td>
                <td className={`${tdClass} ${numClass}`}>{formatCount(r.unique)}</td>
                <td className={`${tdClass} ${numClass}`}>{formatCount(r.repeats)}</td>
                <td className={`${tdClass} ${numClass}`}>{formatCount(sum(r.why))}</td>
                <td className={tdClass}>
                  {Object.keys(r.why).length === 0
                    ? 'none'
                    : Object.entries(r.why)
                        .sort((a, b) => b[1] - a[1])
                        .map(([why, n]) => `${whyInWords(why)} ${formatCount(n)}`)
                        .join(', ')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Card>
  );
}
