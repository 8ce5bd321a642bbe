// The typed shape of every table, assembled for Kysely. Row types mirror the migrations.
import type { ColumnType, Generated, JSONColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T extends object | null> = JSONColumnType<T, string | null, string | null>;

export interface InstallationSettingsTable {
  key: string;
  value: string;
  created_at: Timestamp;
}

export interface ProjectsTable {
  id: string;
  name: string;
  created_at: Timestamp;
}

export interface ApiKeysTable {
  id: string;
  project_id: string;
  name: string;
  key_hash: string;
  key_prefix: string;
  created_at: Timestamp;
  revoked_at: NullableTimestamp;
  /** Written at most once a minute per key and process (projects/api-key-usage.ts). */
  last_used_at: NullableTimestamp;
}

export interface DomainsTable {
  id: string;
  project_id: string;
  name: string;
  selector: string;
  algorithm: 'rsa' | 'ed25519';
  private_key: string;
  public_key: string;
  /** The Return-Path domain given when the domain was added; null: the installation's BOUNCE_DOMAIN. */
  bounce_domain: string | null;
  created_at: Timestamp;
}

export interface CampaignsTable {
  id: string;
  project_id: string;
  name: string;
  from_address: string;
  reply_to: string | null;
  subject: string;
  html: string | null;
  text: string | null;
  headers: Json<Record<string, string> | null>;
  tags: Json<string[] | null>;
  track_opens: boolean;
  track_clicks: boolean;
  status: string;
  scheduled_at: NullableTimestamp;
  recipient_count: number;
  /** 'send' or 'reject' a recipient whose data lacks a templated field (migration 012). */
  on_missing_field: Generated<'send' | 'reject'>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface EmailsTable {
  id: string;
  project_id: string;
  campaign_id: string | null;
  from_address: string;
  to_address: string;
  cc: Json<string[] | null>;
  bcc: Json<string[] | null>;
  reply_to: Json<string[] | null>;
  subject: string | null;
  html: string | null;
  text: string | null;
  headers: Json<Record<string, string> | null>;
  tags: Json<string[] | null>;
  metadata: Json<Record<string, unknown> | null>;
  data: Json<Record<string, unknown> | null>;
  track_opens: Generated<boolean>;
  track_clicks: Generated<boolean>;
  status: string;
  priority: number;
  scheduled_at: NullableTimestamp;
  next_attempt_at: NullableTimestamp;
  locked_by: string | null;
  locked_until: NullableTimestamp;
  attempts: Generated<number>;
  first_attempt_at: NullableTimestamp;
  message_id: string;
  transport: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** When retention removed its body (html, text, data, captured copy) (migration 023). */
  content_removed_at: NullableTimestamp;
}

/** Recipient lists waiting to become emails, in chunks (migration 002). */
export interface CampaignRecipientChunksTable {
  id: Generated<number>;
  campaign_id: string;
  emails: string[];
  /** JSON text of each recipient's data, or null. */
  data: (string | null)[];
}

export interface EventsTable {
  id: Generated<number>;
  project_id: string;
  email_id: string;
  event_type: string;
  metadata: Json<Record<string, unknown>>;
  created_at: Timestamp;
  /** The tracking hit an open/click/unsubscribe event records (migration 004); null otherwise. */
  hit_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** The writing transaction's id (migration 013): with id, the order in which events became visible. */
  txid: ColumnType<string, never, never>;
}

export interface IdempotencyKeysTable {
  project_id: string;
  key: string;
  request_hash: string;
  response: Json<object>;
  created_at: Timestamp;
}

export interface SuppressionsTable {
  project_id: string;
  email: string;
  reason: string;
  source_email_id: string | null;
  created_at: Timestamp;
}

export interface CapturedMessagesTable {
  email_id: string;
  project_id: string;
  raw: string;
  created_at: Timestamp;
}

/** Every message the inbound SMTP server accepted, matched to an email or not (migration 003). */
export interface InboundMessagesTable {
  id: string;
  project_id: string;
  email_id: string | null;
  kind: string;
  mail_from: string;
  rcpt_to: string[];
  from_header: string | null;
  subject: string | null;
  content_hash: string;
  size_bytes: number;
  event_count: Generated<number>;
  error: string | null;
  raw: Buffer;
  received_at: Timestamp;
  /** null: nothing to forward; else 'pending', 'forwarded' or 'failed' (migration 006). */
  forward_state: 'pending' | 'forwarded' | 'failed' | null;
  forward_attempts: Generated<number>;
  forward_next_at: NullableTimestamp;
  forward_error: string | null;
  /** The process (processes.id) whose lease a pending forward is under, and until when (migration 019). */
  forward_locked_by: string | null;
  forward_locked_until: NullableTimestamp;
  /** When retention removed the raw message (raw is then empty) (migration 023). */
  raw_removed_at: NullableTimestamp;
}

/** Emails per status of each campaign (counter 'status:<status>'), kept by triggers (migration 008); never written by our code. */
export interface CampaignCountersTable {
  campaign_id: string;
  counter: string;
  n: number | string;
}

/** Kept by triggers (migration 011); read by /metrics, never written by our code. */
export interface QueueCountersTable {
  status: string;
  shard: number;
  n: number | string;
}

/** How far a reader of the log (the rollups) has folded it in (migration 014). */
export interface RollupCursorsTable {
  name: string;
  txid: string;
  event_id: number | string;
  updated_at: Generated<Date>;
}

type Counters<K extends string> = { [k in K]: ColumnType<number | string, number | undefined, number> };
type StatsKey = { project_id: string; campaign_id: string; tag: string; sending_domain: string; provider: string; hour: Date };

/** Rollups (migration 014), written by the scheduler only. */
export type StatsHourlyCounter =
  | 'accepted' | 'sent' | 'delivered' | 'hard_bounced' | 'soft_bounced' | 'rejected' | 'failed' | 'cancelled'
  | 'deferrals' | 'opens' | 'backfilled_opens' | 'clicks' | 'replies' | 'auto_replies' | 'machine_opens' | 'machine_clicks'
  | 'coalesced_opens' | 'coalesced_clicks'
  | 'openers' | 'clickers' | 'repliers' | 'complainers' | 'unsubscribers';
export type StatsHourlyTable = StatsKey & Counters<StatsHourlyCounter>;
export type StatsMachineHourlyTable = StatsKey & { kind: string; why: string } & Counters<'n'>;
/** stats_hourly and stats_machine_hourly summed over campaigns and sending domains (migration 016). */
type ProjectStatsKey = { project_id: string; tag: string; provider: string; hour: Date };
export type StatsProjectHourlyTable = ProjectStatsKey & Counters<StatsHourlyCounter>;
export type StatsMachineProjectHourlyTable = ProjectStatsKey & { kind: string; why: string } & Counters<'n'>;
export type StatsClientsTable = { project_id: string; campaign_id: string; day: ColumnType<string, string, string>; kind: string; client: string; os: string; device: string } & Counters<'n'>;
export type StatsLinksTable = { project_id: string; campaign_id: string; link_index: number; url: string } & Counters<'clicks' | 'clickers'>;

export interface MailboxProvidersTable {
  domain: string;
  provider: string;
  mx: string | null;
  looked_up_at: Generated<Date>;
}

/** Dashboard accounts (migration 015): users of the installation, not of a project. */
export interface UsersTable {
  id: string;
  /** Lowercased. */
  email: string;
  role: 'admin' | 'viewer';
  /** argon2id, PHC string; null for a user who has only signed in by link so far. */
  password_hash: string | null;
  disabled_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SessionsTable {
  id: string;
  /** SHA-256 of the cookie's token; the token itself is never stored. */
  token_hash: string;
  user_id: string;
  created_at: Timestamp;
  /** Written at most once a minute: the idle expiry counts from here. */
  last_seen_at: Timestamp;
  /** The absolute expiry. */
  expires_at: Timestamp;
}

export interface SignInLinksTable {
  token_hash: string;
  user_id: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
}

export interface SignInAttemptsTable {
  id: Generated<number>;
  /** null for a sign-in link. */
  email: string | null;
  ip: string;
  succeeded: Generated<boolean>;
  created_at: Timestamp;
}

/** Sendtrail processes and their heartbeats (migration 018). */
export interface ProcessesTable {
  /** Also the holder name in the leases the process takes (emails.locked_by). */
  id: string;
  roles: string[];
  version: string;
  host: string;
  pid: number;
  store_kind: 'pglite' | 'postgres';
  started_at: Timestamp;
  heartbeat_at: Timestamp;
  stopped_at: NullableTimestamp;
  stop_kind: 'stopped' | 'lost' | null;
}

/** A project's webhook endpoint (migration 020); secrets sealed (webhooks/secret-box.ts), never in clear. */
export interface WebhookEndpointsTable {
  id: string;
  project_id: string;
  url: string;
  description: Generated<string>;
  /** email.* names; empty: every type. */
  event_types: ColumnType<string[], string[] | undefined, string[]>;
  counted_only: Generated<boolean>;
  enabled: Generated<boolean>;
  disabled_reason: string | null;
  secret_sealed: string;
  previous_secret_sealed: string | null;
  previous_secret_until: NullableTimestamp;
  failing_since: NullableTimestamp;
  deleted_at: NullableTimestamp;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** One event for one endpoint: the outbox, also a lease queue (migration 020). */
export interface WebhookDeliveriesTable {
  id: string;
  seq: ColumnType<string, never, never>;
  endpoint_id: string;
  project_id: string;
  event_id: ColumnType<string | null, number | null | undefined, never>;
  email_id: string | null;
  event_type: string;
  payload: Json<Record<string, unknown>>;
  state: Generated<'pending' | 'delivered' | 'failed'>;
  attempts: Generated<number>;
  next_attempt_at: NullableTimestamp;
  locked_by: string | null;
  locked_until: NullableTimestamp;
  last_status: number | null;
  last_error: string | null;
  created_at: Generated<Date>;
  finished_at: NullableTimestamp;
}

/** Each attempt at a delivery: what the receiver answered, or why none came (migration 020). */
export interface WebhookAttemptsTable {
  id: Generated<string>;
  delivery_id: string;
  attempted_at: Generated<Date>;
  status: number | null;
  duration_ms: number;
  response_excerpt: string | null;
  error: string | null;
}

export interface Database {
  projects: ProjectsTable;
  api_keys: ApiKeysTable;
  domains: DomainsTable;
  campaigns: CampaignsTable;
  emails: EmailsTable;
  campaign_recipient_chunks: CampaignRecipientChunksTable;
  events: EventsTable;
  idempotency_keys: IdempotencyKeysTable;
  suppressions: SuppressionsTable;
  installation_settings: InstallationSettingsTable;
  captured_messages: CapturedMessagesTable;
  inbound_messages: InboundMessagesTable;
  campaign_counters: CampaignCountersTable;
  queue_counters: QueueCountersTable;
  rollup_cursors: RollupCursorsTable;
  stats_hourly: StatsHourlyTable;
  stats_machine_hourly: StatsMachineHourlyTable;
  stats_project_hourly: StatsProjectHourlyTable;
  stats_machine_project_hourly: StatsMachineProjectHourlyTable;
  stats_clients: StatsClientsTable;
  stats_links: StatsLinksTable;
  mailbox_providers: MailboxProvidersTable;
  users: UsersTable;
  sessions: SessionsTable;
  sign_in_links: SignInLinksTable;
  sign_in_attempts: SignInAttemptsTable;
  processes: ProcessesTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  retention_settings: RetentionSettingsTable;
  retention_progress: RetentionProgressTable;
}

/** A project's retention, in days (migration 023); no row: the defaults. */
export interface RetentionSettingsTable {
  project_id: string;
  bodies_days: number;
  events_days: number;
  raw_inbound_days: number;
  updated_at: Generated<Date>;
}

/** How far each retention walk of a project has got: rows before after_id are done (migration 023). */
export interface RetentionProgressTable {
  project_id: string;
  walk: 'bodies' | 'events' | 'raw_inbound';
  after_id: string;
  updated_at: Generated<Date>;
}
