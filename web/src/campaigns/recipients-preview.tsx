// The chosen CSV before upload: which column is the address, which become template fields, the
// first rows, problems in the lines read; after upload, every bad line the server named.
import type { CsvHead } from './read-csv-head.ts';
import { tableClass, tdClass, thClass } from './parts.tsx';

export function RecipientsPreview({ head, fields }: { head: CsvHead; fields: string[] }) {
  const missing = fields.filter((f) => !head.columns.includes(f));
  if (head.emailColumn < 0) {
    return (
      <p role="alert" className="text-sm text-red-700 dark:text-red-300">
        The first line must name the columns, one of them <code>email</code>. It reads: <code>{head.columns.join(', ') || '(empty)'}</code>.
      </p>
    );
  }
  return (
    <div className="space-y-2">
      <p className="text-sm">
        Column <strong>{head.columns[head.emailColumn]}</strong> is the recipient's address
        {head.columns.length > 1 && (
          <>
            ; the others become fields:{' '}
            {head.columns
              .filter((_, i) => i !== head.emailColumn)
              .map((c) => (
                <code key={c} className="mr-1 rounded bg-slate-100 px-1 dark:bg-slate-800">{`{{data.${c}}}`}</code>
              ))}
          </>
        )}
        .
      </p>
      {missing.length > 0 && (
        <p className="text-sm text-amber-800 dark:text-amber-300">
          No column for {missing.map((f) => `{{data.${f}}}`).join(', ')}: it will be empty in these emails.
        </p>
      )}
      <div className="relative overflow-x-auto">
        <table className={tableClass} aria-label="First rows of the file">
          <thead>
            <tr>
              <th scope="col" className={thClass}>Line</th>
              {head.columns.map((c, i) => (
                <th key={`${c}-${i}`} scope="col" className={thClass}>
                  {i === head.emailColumn ? `${c} (address)` : `data.${c}`}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {head.rows.map((r) => (
              <tr key={r.line}>
                <td className={`${tdClass} tabular-nums`}>{r.line}</td>
                {head.columns.map((_, i) => (
                  <td key={i} className={tdClass}>
                    {r.fields[i] ?? ''}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="text-xs text-slate-600 dark:text-slate-400">
        {head.complete ? `${head.linesRead} recipient lines in the file.` : `The first ${head.linesRead} lines are shown; the whole file is checked on upload.`}
      </p>
      {head.problems.length > 0 && <BadLines lines={head.problems} title="Problems in the lines read" />}
    </div>
  );
}

export function BadLines({ lines, title, total }: { lines: Array<{ line: number; reason: string }>; title: string; total?: number }) {
  return (
    <div role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100">
      <p className="font-medium">
        {title}
        {total !== undefined && total > lines.length ? ` (the first ${lines.length} of ${total})` : ''}
      </p>
      <ul className="mt-1 list-inside list-disc">
        {lines.map((l) => (
          <li key={l.line} data-bad-line={l.line}>
            Line {l.line}: {l.reason}
          </li>
        ))}
      </ul>
    </div>
  );
}
