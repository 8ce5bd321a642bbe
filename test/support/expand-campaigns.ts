// Runs the campaign expander to completion, for tests that look at a campaign's emails.
import type { Kysely } from 'kysely';
import type { Database } from '../../src/store/database.ts';
import { expandNextBatch } from '../../src/campaigns/index.ts';

export async function expandAllCampaigns(db: Kysely<Database>): Promise<number> {
  let total = 0;
  for (let n = await expandNextBatch(db); n > 0; n = await expandNextBatch(db)) total += n;
  return total;
}
