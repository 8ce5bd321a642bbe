// A columnar series (GET /v1/stats, a campaign's stats) read back as one object per bucket, so that
// tests can state a bucket's numbers together.
type Columns = Record<string, unknown[]>;
export type SeriesColumns = { start: string[] } & Record<string, Columns | string[]>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests reach into any group
export type SeriesPoint = { start: string } & Record<string, any>;

export function seriesPoints(series: SeriesColumns): SeriesPoint[] {
  return series.start.map((start, i) => {
    const point: Record<string, unknown> = { start };
    for (const [group, columns] of Object.entries(series)) {
      if (group === 'start') continue;
      point[group] = Object.fromEntries(Object.entries(columns as Columns).map(([name, values]) => [name, values[i]]));
    }
    return point as SeriesPoint;
  });
}
