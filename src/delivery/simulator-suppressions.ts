// Puts the simulator's suppressed@ address on a project's suppression list, like a real entry.
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { SIMULATOR_SUPPRESSED } from './simulator/simulator-behaviours.ts';

export async function ensureSimulatorSuppressions(db: Kysely<Database>, projectId: string): Promise<void> {
  await db
    .insertInto('suppressions')
    .values(SIMULATOR_SUPPRESSED.map((email) => ({ project_id: projectId, email, reason: 'simulator' })))
    .onConflict((oc) => oc.columns(['project_id', 'email']).doNothing())
    .execute();
}
