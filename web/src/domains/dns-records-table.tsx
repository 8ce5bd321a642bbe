// The records to publish for a domain, one row each: type, host, value, each with a copy button,
// and what the record is for.
import { CopyButton } from '../shell/copy-button.tsx';
import type { DnsRecord } from './domains.ts';

export function DnsRecordsTable({ domain, records }: { domain: string; records: DnsRecord[] }) {
  return (
    <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <table className="w-full table-fixed text-left text-sm">
        <caption className="sr-only">DNS records to publish for {domain}</caption>
        <colgroup>
          {/* On a phone the host gets a narrow column: the long DKIM value needs the room. */}
          <col className="w-14 sm:w-16" />
          <col className="w-28 sm:w-80" />
          <col />
        </colgroup>
        <thead className="border-b border-slate-200 text-xs uppercase text-slate-600 dark:border-slate-800 dark:text-slate-400">
          <tr>
            <th scope="col" className="px-2 py-2 sm:px-4">Type</th>
            <th scope="col" className="px-2 py-2 sm:px-4">Host</th>
            <th scope="col" className="px-2 py-2 sm:px-4">Value</th>
          </tr>
        </thead>
        <tbody>
          {records.map((r) => (
            <tr key={`${r.type} ${r.name}`} data-record={r.type} className="border-b border-slate-100 align-top last:border-0 dark:border-slate-800">
              <td className="px-2 py-3 sm:px-4 font-mono text-xs font-semibold">{r.type}</td>
              <td className="px-2 py-3 sm:px-4">
                <div className="flex flex-col items-start gap-1">
                  <code className="break-all font-mono text-xs">{r.name}</code>
                  <CopyButton value={r.name} label={`Copy the host of the ${r.type} record ${r.name}`} compact />
                </div>
              </td>
              <td className="px-2 py-3 sm:px-4">
                <div className="flex flex-col items-start gap-1">
                  <code data-value className="break-all font-mono text-xs">{r.value}</code>
                  <CopyButton value={r.value} label={`Copy the value of the ${r.type} record ${r.name}`} compact />
                  <p className="text-xs text-slate-600 dark:text-slate-400">{r.purpose}</p>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
