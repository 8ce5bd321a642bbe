// A time as people read it in a list ("3 min ago"), the exact time on hover, kept current.
import { useEffect, useState } from 'react';

const words = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'short' });
const exact = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

export function relativeTime(iso: string, now: number): string {
  const ms = new Date(iso).getTime() - now;
  if (Math.abs(ms) < 60_000) return 'just now';
  const [unit, size] = UNITS.find(([, size]) => Math.abs(ms) >= size) ?? UNITS[UNITS.length - 1]!;
  return words.format(Math.round(ms / size), unit);
}

export function RelativeTime({ iso }: { iso: string }) {
  const now = useMinuteClock();
  return (
    <time dateTime={iso} title={exact.format(new Date(iso))}>
      {relativeTime(iso, now)}
    </time>
  );
}

function useMinuteClock(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}
