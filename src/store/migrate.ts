// Runs the numbered, forward-only migrations; the same chain on PGlite and PostgreSQL.
import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as m001 from './migrations/001-initial.ts';
import * as m002 from './migrations/002-campaigns.ts';
import * as m003 from './migrations/003-inbound.ts';
import * as m004 from './migrations/004-tracking.ts';
import * as m005 from './migrations/005-installation-settings.ts';
import * as m006 from './migrations/006-reply-forwards.ts';
import * as m007 from './migrations/007-idempotency-key-expiry.ts';
import * as m008 from './migrations/008-campaign-counters.ts';
import * as m009 from './migrations/009-emails-by-status.ts';
import * as m010 from './migrations/010-campaign-emails-by-id.ts';
import * as m011 from './migrations/011-queue-counters.ts';
import * as m012 from './migrations/012-campaign-missing-fields.ts';
import * as m013 from './migrations/013-event-commit-order.ts';
import * as m014 from './migrations/014-rollups.ts';
import * as m015 from './migrations/015-dashboard-users.ts';
import * as m016 from './migrations/016-project-rollups.ts';
import * as m017 from './migrations/017-api-key-usage.ts';
import * as m018 from './migrations/018-processes.ts';
import * as m019 from './migrations/019-reply-forward-holders.ts';
import * as m020 from './migrations/020-webhooks.ts';
import * as m023 from './migrations/023-retention.ts';
import * as m021 from './migrations/021-alerts.ts';
import * as m022 from './migrations/022-audit-log.ts';
import * as m024 from './migrations/024-webhook-claims.ts';

// Listed in code rather than read from disk so the chain is fixed at build time and ordered by name.
const MIGRATIONS: Record<string, Migration> = {
  '001-initial': m001,
  '002-campaigns': m002,
  '003-inbound': m003,
  '004-tracking': m004,
  '005-installation-settings': m005,
  '006-reply-forwards': m006,
  '007-idempotency-key-expiry': m007,
  '008-campaign-counters': m008,
  '009-emails-by-status': m009,
  '010-campaign-emails-by-id': m010,
  '011-queue-counters': m011,
  '012-campaign-missing-fields': m012,
  '013-event-commit-order': m013,
  '014-rollups': m014,
  '015-dashboard-users': m015,
  '016-project-rollups': m016,
  '017-api-key-usage': m017,
  '018-processes': m018,
  '019-reply-forward-holders': m019,
  '020-webhooks': m020,
  '023-retention': m023,
  '021-alerts': m021,
  '022-audit-log': m022,
  '024-webhook-claims': m024,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  // Unordered allowed: branches merged out of order (004-tracking landed after 005) must still apply
  // to a database that already ran the later number; every migration here is independent of order.
  const migrator = new Migrator({ db, provider, allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${String(error)}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
