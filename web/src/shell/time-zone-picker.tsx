// The time zone days and hours are read in: the browser's unless the viewer picks another.
import { useId, useMemo } from 'react';
import { browserTimeZone } from '../period.ts';
import { usePeriodSearch } from './use-period.ts';
import { fieldClass, labelClass } from './controls.ts';

export function TimeZonePicker() {
  const [search, update] = usePeriodSearch();
  const id = useId();
  const own = browserTimeZone();
  const zones = useMemo(() => {
    const all = new Set(Intl.supportedValuesOf('timeZone'));
    all.add('UTC');
    all.add(own);
    return [...all].sort();
  }, [own]);
  const value = search.tz ?? own;
  return (
    <div>
      <label htmlFor={`${id}-tz`} className={labelClass}>
        Time zone
      </label>
      <select id={`${id}-tz`} className={`${fieldClass} max-w-44 sm:max-w-56`} value={value} onChange={(e) => update({ tz: e.target.value === own ? undefined : e.target.value })}>
        {zones.map((z) => (
          <option key={z} value={z}>
            {z === own ? `${z} (this browser)` : z}
          </option>
        ))}
      </select>
    </div>
  );
}
