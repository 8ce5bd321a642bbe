// The shell's search params (period, time zone) for any screen, and a way to change them that
// keeps the rest of the URL.
import { useNavigate, useSearch } from '@tanstack/react-router';
import type { PeriodSearch } from '../period.ts';

export function usePeriodSearch(): [PeriodSearch, (change: Partial<PeriodSearch>) => void] {
  const search = useSearch({ strict: false }) as PeriodSearch;
  const navigate = useNavigate();
  const update = (change: Partial<PeriodSearch>) => {
    const next: Record<string, unknown> = { ...search, ...change };
    for (const key of Object.keys(next)) if (next[key] === undefined) delete next[key];
    void navigate({ to: '.', search: next as never, replace: false });
  };
  return [search, update];
}
