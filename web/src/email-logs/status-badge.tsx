// An email's status as a coloured word: the word carries the meaning, the colour only helps.
const TONES: Record<string, string> = {
  delivered: 'bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200',
  sent: 'bg-sky-100 text-sky-900 dark:bg-sky-950 dark:text-sky-200',
  queued: 'bg-slate-100 text-slate-800 dark:bg-slate-800 dark:text-slate-200',
  scheduled: 'bg-slate-100 text-slate-800 dark:bg-slate-800 dark:text-slate-200',
  delivery_delayed: 'bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200',
  bounced: 'bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200',
  failed: 'bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200',
  rejected: 'bg-orange-100 text-orange-900 dark:bg-orange-950 dark:text-orange-200',
  cancelled: 'bg-slate-200 text-slate-800 dark:bg-slate-700 dark:text-slate-100',
};

export const statusWords = (status: string) => (status === 'delivery_delayed' ? 'delayed' : status);

export function StatusBadge({ status }: { status: string }) {
  return (
    <span data-status={status} className={`inline-block rounded px-1.5 py-0.5 text-xs font-medium ${TONES[status] ?? TONES.queued}`}>
      {statusWords(status)}
    </span>
  );
}
