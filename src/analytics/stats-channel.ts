// Announced when rollups change (after each batch the scheduler commits), for live stats readers.
// The payload is the ids of the campaigns whose stats moved, comma-separated, or '' for "any":
// NOTIFY payloads are bounded (8,000 bytes), so a batch touching many campaigns says "any".
export const STATS_CHANNEL = 'sendtrail_stats';

const MAX_PAYLOAD = 7_000;

export function statsPayload(campaignIds: Iterable<string>): string {
  const payload = [...new Set(campaignIds)].join(',');
  return payload.length <= MAX_PAYLOAD ? payload : '';
}

/** The campaign ids a payload names, or undefined when it means any. */
export function campaignsOfPayload(payload: string): Set<string> | undefined {
  return payload === '' ? undefined : new Set(payload.split(','));
}
