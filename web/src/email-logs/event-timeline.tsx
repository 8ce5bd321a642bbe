// An email's Events tab: every event oldest first, with its time in the viewer's zone, its type and
// what it tells: the clicked URL, the client of an open, a bounce's type, reason and diagnostic, and
// for opens and clicks whether a person was counted and, when not, why, in words.
import { whyInWords } from '../overview/why-words.ts';
import type { EmailEvent } from './emails-api.ts';
import { exactTime } from './times.tsx';
import { describeUserAgent } from './user-agent.ts';

const TYPE_WORDS: Record<string, string> = {
  delivery_delayed: 'delivery delayed',
  reclassified: 'verdict changed',
};

type Fact = { label: string; value: string; mono?: boolean };

function factsOf(e: EmailEvent): Fact[] {
  const m = e.metadata;
  const str = (k: string) => (typeof m[k] === 'string' && m[k] !== '' ? (m[k] as string) : undefined);
  const facts: Fact[] = [];
  const add = (label: string, value: string | undefined, mono = false) => value !== undefined && facts.push({ label, value, mono });
  if (e.event_type === 'open' || e.event_type === 'click') {
    add('URL', str('url'), true);
    if (typeof m.ua === 'string') add('Client', describeUserAgent(m.ua));
    add('User agent', str('ua'), true);
    add('IP', str('ip'), true);
    if (str('method') && str('method') !== 'GET') add('Method', str('method'));
  }
  if (e.event_type === 'bounced') {
    add('Type', str('bounce_type'));
    add('Reason', str('reason'));
    add('Status', str('status'), true);
    add('Diagnostic', str('diagnostic') ?? str('last_reason'), true);
  }
  if (e.event_type === 'rejected') add('Reason', str('reason'));
  if (e.event_type === 'sent' && m.captured === true) add('Captured', 'kept here, not delivered (no SMTP_URL)');
  if (e.event_type === 'delivery_delayed') add('Reply', str('response') ?? str('diagnostic'), true);
  if (e.event_type === 'complaint') add('Feedback', str('feedback_type'));
  if (e.event_type === 'reply') add('Auto-reply', m.auto === true ? 'yes' : m.auto === false ? 'no, a person' : undefined);
  if (e.event_type === 'reclassified') add('Now', m.counted === true ? 'counted as a person' : str('why') ? `not counted: ${whyInWords(str('why')!)}` : undefined);
  if (Array.isArray(m.missing_fields) && m.missing_fields.length > 0) add('Missing fields', m.missing_fields.join(', '), true);
  return facts;
}

function Verdict({ e }: { e: EmailEvent }) {
  if (e.event_type !== 'open' && e.event_type !== 'click') return null;
  const counted = e.metadata.counted === true;
  const why = typeof e.metadata.why === 'string' ? e.metadata.why : undefined;
  return counted ? (
    <span data-counted="true" className="rounded bg-emerald-100 px-1.5 py-0.5 text-xs font-medium text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200">
      counted: a person
    </span>
  ) : (
    <span data-counted="false" className="rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-900 dark:bg-amber-950 dark:text-amber-200">
      not counted: {why ? whyInWords(why) : 'a machine'}
    </span>
  );
}

export function EventTimeline({ events }: { events: EmailEvent[] }) {
  if (events.length === 0) return <p className="text-sm text-slate-600 dark:text-slate-400">No event yet.</p>;
  return (
    <ol aria-label="Events, oldest first" className="relative space-y-3 border-l border-slate-200 pl-5 dark:border-slate-700">
      {events.map((e) => (
        <li key={e.id} data-event-type={e.event_type} className="relative">
          <span aria-hidden="true" className="absolute -left-[1.6rem] top-1.5 size-2.5 rounded-full bg-teal-600 ring-4 ring-white dark:ring-slate-900" />
          <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
            <span className="font-semibold">{TYPE_WORDS[e.event_type] ?? e.event_type}</span>
            <time dateTime={e.created_at} className="text-sm tabular-nums text-slate-600 dark:text-slate-400">
              {exactTime(e.created_at)}
            </time>
            <Verdict e={e} />
          </div>
          {factsOf(e).length > 0 && (
            <dl className="mt-1 grid grid-cols-[max-content_1fr] gap-x-3 gap-y-0.5 text-sm">
              {factsOf(e).map((f) => (
                <div key={f.label} className="contents">
                  <dt className="text-slate-600 dark:text-slate-400">{f.label}</dt>
                  <dd className={`min-w-0 break-all ${f.mono ? 'font-mono text-xs leading-5' : ''}`}>{f.value}</dd>
                </div>
              ))}
            </dl>
          )}
        </li>
      ))}
    </ol>
  );
}
