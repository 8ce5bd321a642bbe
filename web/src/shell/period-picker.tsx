// The period of every screen: a preset (last 24 hours, 7 days, 30 days) or custom days.
import { useId, useState } from 'react';
import { addDays, browserTimeZone, DEFAULT_PRESET, PRESETS, todayIn, type PeriodChoice } from '../period.ts';
import { usePeriodSearch } from './use-period.ts';
import { fieldClass, labelClass } from './controls.ts';

export function PeriodPicker() {
  const [search, update] = usePeriodSearch();
  const id = useId();
  const choice: PeriodChoice = search.period ?? DEFAULT_PRESET;
  const tz = search.tz ?? browserTimeZone();

  const choose = (value: PeriodChoice) => {
    if (value !== 'custom') return update({ period: value, from: undefined, to: undefined });
    const today = todayIn(tz);
    update({ period: 'custom', from: addDays(today, -6), to: today });
  };

  return (
    <div className="flex flex-wrap items-end gap-3">
      <div>
        <label htmlFor={`${id}-period`} className={labelClass}>
          Period
        </label>
        <select id={`${id}-period`} className={fieldClass} value={choice} onChange={(e) => choose(e.target.value as PeriodChoice)}>
          {Object.entries(PRESETS).map(([value, p]) => (
            <option key={value} value={value}>
              {p.label}
            </option>
          ))}
          <option value="custom">Custom days…</option>
        </select>
      </div>
      {choice === 'custom' && search.from && search.to && <CustomDays key={`${search.from}|${search.to}`} from={search.from} to={search.to} onChange={(from, to) => update({ period: 'custom', from, to })} />}
    </div>
  );
}

/** Two days, both included; applied once both are valid and in order. */
function CustomDays(props: { from: string; to: string; onChange: (from: string, to: string) => void }) {
  const id = useId();
  const [from, setFrom] = useState(props.from);
  const [to, setTo] = useState(props.to);
  const valid = Boolean(from && to && from <= to);
  const apply = (f: string, t: string) => {
    if (f && t && f <= t) props.onChange(f, t);
  };
  return (
    <div className="flex items-end gap-2">
      <div>
        <label htmlFor={`${id}-from`} className={labelClass}>
          From
        </label>
        <input id={`${id}-from`} type="date" className={fieldClass} value={from} max={to || undefined} onChange={(e) => (setFrom(e.target.value), apply(e.target.value, to))} />
      </div>
      <div>
        <label htmlFor={`${id}-to`} className={labelClass}>
          To (included)
        </label>
        <input id={`${id}-to`} type="date" className={fieldClass} value={to} min={from || undefined} onChange={(e) => (setTo(e.target.value), apply(from, e.target.value))} />
      </div>
      {!valid && (
        <p role="alert" className="pb-2 text-sm text-red-700 dark:text-red-400">
          The first day must come before the last.
        </p>
      )}
    </div>
  );
}
