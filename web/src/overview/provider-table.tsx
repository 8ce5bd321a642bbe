// Deliverability by mailbox provider: each provider's rates over the period, complaints marked
// against the thresholds providers publish.
import { formatCount, formatRate, rateTitle } from '../format.ts';
import type { StatsTotals } from './stats.ts';
import { complaintLevel, LevelWord } from './levels.tsx';

const NAMES: Record<string, string> = { gmail: 'Gmail', microsoft: 'Microsoft', yahoo: 'Yahoo', apple: 'Apple', other: 'Other providers' };

export function ProviderTable({ groups }: { groups: Array<{ key: string | null; keys: number; totals: StatsTotals }> | undefined }) {
  if (!groups) return <p className="text-sm text-slate-600 dark:text-slate-400">Reading…</p>;
  const rows = groups.filter((g) => g.totals.emails.sent > 0 || g.totals.emails.accepted > 0);
  if (rows.length === 0) return <p className="text-sm text-slate-600 dark:text-slate-400">No email sent in this period.</p>;
  const th = 'py-2 pr-4 font-medium';
  return (
    <div className="relative overflow-x-auto" tabIndex={0} role="region" aria-label="Rates by mailbox provider">
      <table className="w-full text-sm">
        <thead>
          <tr className="border-b border-slate-200 text-left text-slate-600 dark:border-slate-700 dark:text-slate-400">
            <th scope="col" className={th}>Provider</th>
            <th scope="col" className={`${th} text-right`}>Sent</th>
            <th scope="col" className={`${th} text-right`}>Delivered</th>
            <th scope="col" className={`${th} text-right`}>Opened</th>
            <th scope="col" className={`${th} text-right`}>Bounced</th>
            <th scope="col" className={`${th} text-right`}>Complaints</th>
            <th scope="col" className={th}>Complaint level</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((g) => {
            const t = g.totals;
            const level = complaintLevel(t.rates.complaint);
            return (
              <tr key={g.key ?? '(rest)'} data-provider={g.key ?? 'rest'} className="border-b border-slate-100 dark:border-slate-800">
                <th scope="row" className="py-2 pr-4 text-left font-medium">
                  {g.key === null ? `All others (${g.keys})` : NAMES[g.key] ?? g.key}
                </th>
                <td className="tabular py-2 pr-4 text-right">{formatCount(t.emails.sent)}</td>
                <td className="tabular py-2 pr-4 text-right" title={rateTitle(t.emails.delivered, t.emails.sent, 'sent', t.rates.delivery)}>
                  {formatRate(t.rates.delivery)}
                </td>
                <td className="tabular py-2 pr-4 text-right" title={rateTitle(t.people.openers, t.emails.delivered, 'delivered', t.rates.open)}>
                  {formatRate(t.rates.open)}
                </td>
                <td className="tabular py-2 pr-4 text-right" title={rateTitle(t.emails.hard_bounced + t.emails.soft_bounced, t.emails.sent, 'sent', t.rates.bounce)}>
                  {formatRate(t.rates.bounce)}
                </td>
                <td className="tabular py-2 pr-4 text-right" title={rateTitle(t.people.complainers, t.emails.delivered, 'delivered', t.rates.complaint)}>
                  {formatRate(t.rates.complaint)}
                </td>
                <td className="py-2">
                  <LevelWord level={level} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
