// Small pieces the campaign, suppression and inbound screens share: a load error, a card, a
// status as a coloured word, a relative time with the exact one on hover, an inline confirmation.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { buttonClass, quietButtonClass } from '../shell/controls.ts';

export function LoadError({ what, error }: { what: string; error: Error }) {
  return (
    <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200">
      Could not {what}: {error.message}
    </p>
  );
}

export function Card({ title, id, children, actions }: { title: string; id: string; children: ReactNode; actions?: ReactNode }) {
  return (
    <section aria-labelledby={id} className="min-w-0 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
      <div className="mb-3 flex flex-wrap items-center gap-3">
        <h2 id={id} className="text-lg font-semibold">
          {title}
        </h2>
        {actions && <div className="ml-auto flex flex-wrap gap-2">{actions}</div>}
      </div>
      {children}
    </section>
  );
}

const STATUS_TONES: Record<string, string> = {
  draft: 'bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-200',
  scheduled: 'bg-sky-50 text-sky-900 dark:bg-sky-950 dark:text-sky-100',
  sending: 'bg-amber-50 text-amber-900 dark:bg-amber-950 dark:text-amber-100',
  queued: 'bg-amber-50 text-amber-900 dark:bg-amber-950 dark:text-amber-100',
  delivery_delayed: 'bg-amber-50 text-amber-900 dark:bg-amber-950 dark:text-amber-100',
  completed: 'bg-emerald-50 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-100',
  delivered: 'bg-emerald-50 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-100',
  sent: 'bg-teal-50 text-teal-900 dark:bg-teal-950 dark:text-teal-100',
  cancelled: 'bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-200',
  paused: 'bg-red-50 text-red-800 dark:bg-red-950 dark:text-red-200',
  bounced: 'bg-red-50 text-red-800 dark:bg-red-950 dark:text-red-200',
  rejected: 'bg-red-50 text-red-800 dark:bg-red-950 dark:text-red-200',
  failed: 'bg-red-50 text-red-800 dark:bg-red-950 dark:text-red-200',
};

/** A status in words, coloured as a hint only. */
export function StatusWord({ status }: { status: string }) {
  return <span className={`inline-block rounded px-1.5 text-xs font-medium ${STATUS_TONES[status] ?? STATUS_TONES.draft}`}>{status.replace(/_/g, ' ')}</span>;
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const STEPS: Array<[Intl.RelativeTimeFormatUnit, number]> = [['second', 60], ['minute', 60], ['hour', 24], ['day', 30], ['month', 12], ['year', Infinity]];

export function formatRelative(iso: string, now = Date.now()): string {
  let value = (Date.parse(iso) - now) / 1000;
  for (const [unit, size] of STEPS) {
    if (Math.abs(value) < size) return relative.format(Math.round(value), unit);
    value /= size;
  }
  return iso;
}

export function When({ iso, tz }: { iso: string; tz?: string }) {
  const exact = new Date(iso).toLocaleString(undefined, { timeZone: tz, dateStyle: 'medium', timeStyle: 'medium' });
  return (
    <time dateTime={iso} title={exact}>
      {formatRelative(iso)}
    </time>
  );
}

/**
 * A destructive action asked twice, in place: the button turns into a question with Yes and No.
 * Not a modal dialog: Radix's modal injects a <style> to lock scrolling, which the CSP refuses.
 */
/** `name`: a fuller accessible name than the visible label (which it must contain), e.g. which row. */
export function ConfirmButton({ label, name, question, confirmLabel, onConfirm, disabled }: { label: string; name?: string; question: string; confirmLabel: string; onConfirm: () => void; disabled?: boolean }) {
  const [asking, setAsking] = useState(false);
  const yes = useRef<HTMLButtonElement>(null);
  // The question takes the button's place: keyboard focus follows it.
  useEffect(() => {
    if (asking) yes.current?.focus();
  }, [asking]);
  if (!asking) {
    return (
      <button type="button" className={quietButtonClass} onClick={() => setAsking(true)} disabled={disabled} aria-label={name}>
        {label}
      </button>
    );
  }
  return (
    <span role="group" aria-label={question} className="inline-flex flex-wrap items-center gap-2 rounded-md border border-amber-300 bg-amber-50 px-2 py-1 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
      <span>{question}</span>
      <button
        type="button"
        className={`${buttonClass} bg-red-700 hover:bg-red-800 dark:bg-red-500 dark:hover:bg-red-400`}
        ref={yes}
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirmLabel}
      </button>
      <button type="button" className={quietButtonClass} onClick={() => setAsking(false)}>
        No, keep it
      </button>
    </span>
  );
}

export const tableClass = 'w-full text-left text-sm';
export const thClass = 'border-b border-slate-200 px-2 py-2 text-xs font-medium uppercase tracking-wide text-slate-600 dark:border-slate-700 dark:text-slate-400';
export const tdClass = 'border-b border-slate-100 px-2 py-2 dark:border-slate-800';
export const numClass = 'text-right tabular-nums';
export const linkClass = 'text-teal-700 underline-offset-2 hover:underline dark:text-teal-400';
