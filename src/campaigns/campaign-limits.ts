// Sizes that bound a campaign request's work; one place so routes, use cases and tests agree.

/** Recipients one POST /v1/campaigns may carry inline; longer lists stream to /recipients. */
export const MAX_INLINE_RECIPIENTS = 100_000;

/**
 * Rows per INSERT. PGlite runs each statement synchronously on the event loop (a
 * 144 ms query froze every timer), so a statement stays at a few thousand rows: ~30-100 ms there.
 */
export const BATCH_ROWS = 2_000;

/** Bad addresses or lines listed in an error's details; the count covers the rest. */
export const MAX_REPORTED_PROBLEMS = 20;
