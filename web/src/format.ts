// Numbers as people read them: grouped counts, rates as percentages (the API gives fractions).
const count = new Intl.NumberFormat(undefined);

export const formatCount = (n: number) => count.format(n);

/** 0.2513 -> "25.1 %"; small rates keep two decimals, so a 0.08 % complaint rate does not read as 0.1 %. */
export function formatRate(rate: number | null | undefined): string {
  if (rate === null || rate === undefined) return '–';
  const pct = rate * 100;
  const digits = pct !== 0 && Math.abs(pct) < 1 ? 2 : 1;
  return `${pct.toFixed(digits)} %`;
}

/** "12 of 48 delivered": what a rate divides, shown on hover. */
export const rateTitle = (numerator: number, denominator: number, of: string, rate: number | null) =>
  rate === null ? `No ${of} yet: nothing to divide by` : `${formatCount(numerator)} of ${formatCount(denominator)} ${of}`;

/** The change of a count against the previous period, in words a glance can take. */
export function formatChange(now: number, before: number): { text: string; direction: 'up' | 'down' | 'same' | 'new' } {
  if (now === before) return { text: 'no change', direction: 'same' };
  if (before === 0) return { text: 'new', direction: 'new' };
  const pct = ((now - before) / before) * 100;
  const text = `${pct > 0 ? '+' : '−'}${Math.abs(pct) >= 10 ? Math.round(Math.abs(pct)) : Math.abs(pct).toFixed(1)} %`;
  return { text, direction: pct > 0 ? 'up' : 'down' };
}
