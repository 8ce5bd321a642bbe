// People beside machines: which opens and clicks were a person's, which were a person's repeats,
// and which were machines', with the machines' reasons in words.
import { formatCount } from '../format.ts';
import type { StatsTotals } from './stats.ts';
import { whyInWords } from './why-words.ts';

export function MachineTraffic({ totals }: { totals: StatsTotals }) {
  const rows = [
    { kind: 'Opens', people: totals.events.opens, repeats: totals.coalesced.opens, machines: totals.machine.opens, why: totals.machine_by_why.opens },
    { kind: 'Clicks', people: totals.events.clicks, repeats: totals.coalesced.clicks, machines: totals.machine.clicks, why: totals.machine_by_why.clicks },
  ];
  return (
    <section aria-labelledby="machines-title" className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
      <h2 id="machines-title" className="text-lg font-semibold">
        People and machines
      </h2>
      <p className="mb-3 text-sm text-slate-600 dark:text-slate-400">
        Privacy proxies and security scanners fetch images and follow links before (or instead of) a person. They are shown here and left out of the rates.
      </p>
      <div className="relative overflow-x-auto" tabIndex={0} role="region" aria-label="Hits by people and by machines">
        <table className="w-full min-w-xl text-sm">
          <thead>
            <tr className="border-b border-slate-200 text-left text-slate-600 dark:border-slate-700 dark:text-slate-400">
              <th scope="col" className="py-2 pr-4 font-medium">
                Hits
              </th>
              <th scope="col" className="py-2 pr-4 text-right font-medium">
                By people
              </th>
              <th scope="col" className="py-2 pr-4 text-right font-medium" title="A person opening or clicking again within seconds: theirs, but not counted again">
                Repeats
              </th>
              <th scope="col" className="py-2 pr-4 text-right font-medium">
                By machines
              </th>
              <th scope="col" className="py-2 font-medium">
                Machines, by why
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.kind} data-machine-row={r.kind.toLowerCase()} className="border-b border-slate-100 align-top dark:border-slate-800">
                <th scope="row" className="py-2 pr-4 text-left font-medium">
                  {r.kind}
                </th>
                <td className="tabular py-2 pr-4 text-right">{formatCount(r.people)}</td>
                <td className="tabular py-2 pr-4 text-right">{formatCount(r.repeats)}</td>
                <td className="tabular py-2 pr-4 text-right" data-machines>
                  {formatCount(r.machines)}
                </td>
                <td className="py-2">
                  <WhyList why={r.why} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function WhyList({ why }: { why: Record<string, number> }) {
  const entries = Object.entries(why).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
  if (entries.length === 0) return <span className="text-slate-500 dark:text-slate-400">none</span>;
  return (
    <ul>
      {entries.map(([code, n]) => (
        <li key={code} title={`why: ${code}`}>
          <span className="tabular">{formatCount(n)}</span> {whyInWords(code)}
        </li>
      ))}
    </ul>
  );
}
