// A rate against the thresholds mailbox providers publish, as a coloured word (never colour alone).
export type Level = { word: string; tone: 'good' | 'warn' | 'bad' | 'none'; explain: string };

/** Gmail's and Yahoo's sender rules: spam complaints under 0.1 %, never 0.3 % or more. */
export function complaintLevel(rate: number | null): Level {
  if (rate === null) return { word: 'no deliveries', tone: 'none', explain: 'Nothing delivered in this period.' };
  if (rate >= 0.003) return { word: 'too high', tone: 'bad', explain: 'At or above 0.3 %: mailbox providers will filter or refuse this mail.' };
  if (rate >= 0.001) return { word: 'watch', tone: 'warn', explain: 'Between 0.1 % and 0.3 %: above what providers ask for.' };
  return { word: 'good', tone: 'good', explain: 'Under 0.1 %, as providers ask.' };
}

const TONES: Record<Level['tone'], string> = {
  good: 'text-emerald-800 bg-emerald-50 dark:text-emerald-200 dark:bg-emerald-950',
  warn: 'text-amber-900 bg-amber-50 dark:text-amber-200 dark:bg-amber-950',
  bad: 'text-red-800 bg-red-50 dark:text-red-200 dark:bg-red-950',
  none: 'text-slate-600 bg-slate-100 dark:text-slate-300 dark:bg-slate-800',
};

export function LevelWord({ level }: { level: Level }) {
  return (
    <span title={level.explain} className={`inline-block rounded px-1.5 text-xs font-medium ${TONES[level.tone]}`}>
      {level.word}
    </span>
  );
}
