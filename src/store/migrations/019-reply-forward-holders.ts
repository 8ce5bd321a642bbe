// Reply forwards name the process that holds their lease, as emails do (migration 018): the
// System screen can tell which process is forwarding a reply, and a process found dead has the
// forwards it held released at once instead of when their lease (10 minutes) runs out.
//
// inbound_forwards_held_by holds only leased rows (a recorded outcome or a release clears the
// holder), so a dead holder's forwards are found without reading the inbound mail.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE inbound_messages
      ADD COLUMN forward_locked_by text,
      ADD COLUMN forward_locked_until timestamptz;
    CREATE INDEX inbound_forwards_held_by ON inbound_messages (forward_locked_by) WHERE forward_locked_by IS NOT NULL;
  `.execute(db);
}
