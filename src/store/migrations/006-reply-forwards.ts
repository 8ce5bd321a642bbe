// Forwarding of human replies (REPLY_FORWARD_TO) as durable work: a reply is marked for forwarding
// in the transaction that stores it, and a forwarder retries it until the relay takes it, so
// neither a relay outage nor a restart loses a forward.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- forward_state: null (nothing to forward), 'pending', 'forwarded' or 'failed' (refused for
    -- good, or still refused when MAX_DELIVERY_LIFETIME_MS ran out); forward_next_at: when a pending
    -- forward is due (a forwarder's lease moves it on while it sends).
    ALTER TABLE inbound_messages
      ADD COLUMN forward_state text,
      ADD COLUMN forward_attempts integer NOT NULL DEFAULT 0,
      ADD COLUMN forward_next_at timestamptz,
      ADD COLUMN forward_error text;
    CREATE INDEX inbound_messages_forward_due ON inbound_messages (forward_next_at) WHERE forward_state = 'pending';
  `.execute(db);
}
