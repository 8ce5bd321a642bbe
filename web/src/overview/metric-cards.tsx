// The period's headline numbers, each with its rate (the denominator on hover) and its change
// against the period before.
import { formatChange, formatCount, formatRate, rateTitle } from '../format.ts';
import type { StatsTotals } from './stats.ts';
import { complaintLevel, LevelWord } from './levels.tsx';

type Card = {
  id: string;
  label: string;
  value: (t: StatsTotals) => number;
  rate?: { value: (t: StatsTotals) => number | null; of: string; denominator: (t: StatsTotals) => number; name: string };
  detail?: (t: StatsTotals) => string;
};

/** "1 open", "2 opens". */
const counted = (n: number, one: string, many = `${one}s`) => `${formatCount(n)} ${n === 1 ? one : many}`;
const bounced = (t: StatsTotals) => t.emails.hard_bounced + t.emails.soft_bounced;

const CARDS: Card[] = [
  { id: 'sent', label: 'Sent', value: (t) => t.emails.sent, detail: (t) => `${formatCount(t.emails.accepted)} accepted, ${formatCount(t.emails.rejected)} rejected` },
  { id: 'delivered', label: 'Delivered', value: (t) => t.emails.delivered, rate: { name: 'delivery rate', value: (t) => t.rates.delivery, of: 'sent', denominator: (t) => t.emails.sent } },
  {
    id: 'bounced',
    label: 'Bounced',
    value: bounced,
    rate: { name: 'bounce rate', value: (t) => t.rates.bounce, of: 'sent', denominator: (t) => t.emails.sent },
    detail: (t) => `${formatCount(t.emails.hard_bounced)} hard (${formatRate(t.rates.bounce_hard)}), ${formatCount(t.emails.soft_bounced)} soft (${formatRate(t.rates.bounce_soft)})`,
  },
  { id: 'complaints', label: 'Complaints', value: (t) => t.people.complainers, rate: { name: 'complaint rate', value: (t) => t.rates.complaint, of: 'delivered', denominator: (t) => t.emails.delivered } },
  {
    id: 'opens',
    label: 'Opened by people',
    value: (t) => t.people.openers,
    rate: { name: 'open rate', value: (t) => t.rates.open, of: 'delivered', denominator: (t) => t.emails.delivered },
    detail: (t) => `${counted(t.events.opens, 'open')} by people, ${formatCount(t.machine.opens)} by machines`,
  },
  {
    id: 'clicks',
    label: 'Clicked by people',
    value: (t) => t.people.clickers,
    rate: { name: 'click rate', value: (t) => t.rates.click_through, of: 'delivered', denominator: (t) => t.emails.delivered },
    detail: (t) =>
      `${t.rates.click_to_open === null ? 'no openers yet' : `${formatRate(t.rates.click_to_open)} of openers`}; ${counted(t.events.clicks, 'click')} by people, ${formatCount(t.machine.clicks)} by machines`,
  },
  {
    id: 'replies',
    label: 'Replies',
    value: (t) => t.people.repliers,
    rate: { name: 'reply rate', value: (t) => t.rates.reply, of: 'delivered', denominator: (t) => t.emails.delivered },
    detail: (t) => `${counted(t.events.auto_replies, 'automatic reply', 'automatic replies')} not counted`,
  },
  { id: 'unsubscribes', label: 'Unsubscribes', value: (t) => t.people.unsubscribers, rate: { name: 'unsubscribe rate', value: (t) => t.rates.unsubscribe, of: 'delivered', denominator: (t) => t.emails.delivered } },
];

export function MetricCards({ now, before, previousLabel }: { now: StatsTotals; before: StatsTotals | undefined; previousLabel: string }) {
  return (
    <section aria-label="Totals of the period">
      <ul className="grid grid-cols-1 gap-4 sm:grid-cols-2 xl:grid-cols-4">
        {CARDS.map((card) => {
          const value = card.value(now);
          const change = before && formatChange(value, card.value(before));
          const rate = card.rate?.value(now) ?? null;
          return (
            <li key={card.id} data-metric={card.id} className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
              <h2 className="text-sm font-medium text-slate-600 dark:text-slate-400">{card.label}</h2>
              <div className="mt-1 flex items-baseline justify-between gap-2">
                <span data-value className="tabular text-3xl font-semibold">
                  {formatCount(value)}
                </span>
                {card.rate && (
                  <span className="tabular text-lg" title={`${card.rate.name}: ${rateTitle(value, card.rate.denominator(now), card.rate.of, rate)}`}>
                    {formatRate(rate)}
                    <span className="sr-only"> {card.rate.name}, of {card.rate.of}</span>
                  </span>
                )}
              </div>
              {card.id === 'complaints' && <LevelWord level={complaintLevel(rate)} />}
              {card.detail && <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">{card.detail(now)}</p>}
              {change && before && (
                <p className="mt-1 text-xs text-slate-600 dark:text-slate-400" title={`${formatCount(card.value(before))} in ${previousLabel}`}>
                  <ChangeArrow direction={change.direction} /> {change.text} <span className="sr-only">against {previousLabel}</span>
                  <span aria-hidden="true"> vs {previousLabel}</span>
                </p>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function ChangeArrow({ direction }: { direction: 'up' | 'down' | 'same' | 'new' }) {
  const glyph = { up: '▲', down: '▼', same: '=', new: '✦' }[direction];
  return <span aria-hidden="true">{glyph}</span>;
}
