// How many cases a property test tries. The counts written in the tests are what CI runs within its
// time budget; SENDTRAIL_PROPERTY_RUNS multiplies them (and the tests' timeouts) for a deeper search
// on a developer's machine, e.g. `SENDTRAIL_PROPERTY_RUNS=10 npx vitest run test/api-fuzz.test.ts`
// after changing what a property covers. A failure prints its seed and path to replay it.
const raw = process.env.SENDTRAIL_PROPERTY_RUNS;
const factor = raw === undefined || raw === '' ? 1 : Number(raw);
if (!Number.isFinite(factor) || factor <= 0) throw new Error(`SENDTRAIL_PROPERTY_RUNS must be a positive number, not ${JSON.stringify(raw)}`);

/** The number of runs to pass to fast-check for a property whose CI count is `ciRuns`. */
export function propertyRuns(ciRuns: number): number {
  return Math.max(1, Math.round(ciRuns * factor));
}

/** A property test's timeout, grown with its runs. */
export function propertyTimeout(ciTimeoutMs: number): number {
  return Math.round(ciTimeoutMs * Math.max(1, factor));
}
