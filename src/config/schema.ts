// The one configuration schema: every key Sendtrail reads, with its default, what it does, its group
// and whether its value is a secret.
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { PGLITE_SHARED_BUFFERS_DEFAULT } from '../store/pglite-settings.ts';

/**
 * Groups in the order `sendtrail config` prints them. `advanced` holds tuning and test knobs: their
 * defaults suit every installation, and they are listed apart so the keys a user sets stand out.
 */
export const CONFIG_GROUPS = {
  server: 'HTTP server',
  database: 'Database',
  sending: 'Sending (relay, retries, concurrency)',
  inbound: 'Bounces, complaints and replies (inbound SMTP)',
  tracking: 'Tracking (opens, clicks, unsubscribes)',
  security: 'Secrets and access',
  advanced: 'Advanced: tuning and test knobs (the defaults suit most installations)',
} as const;

export type ConfigGroup = keyof typeof CONFIG_GROUPS;

/**
 * Annotations every key carries beside its JSON schema. `secret`: the value is never printed or
 * logged (`sendtrail config` shows ******** once it is set); a key added later with `secret: true`
 * is masked with no change to the printer.
 */
export type KeyAnnotations = { group: ConfigGroup; secret?: true };

type Options = KeyAnnotations & { pattern?: string };

const str = (def: string, description: string, options: Options) =>
  Type.String({ default: def, description, ...options });
const int = (def: number, description: string, options: Options & { min?: number }) => {
  const { min = 0, ...rest } = options;
  return Type.Integer({ default: def, minimum: min, description, ...rest });
};
const bool = (def: boolean, description: string, options: Options) =>
  Type.Boolean({ default: def, description, ...options });

const server = { group: 'server' } as const;
const database = { group: 'database' } as const;
const sending = { group: 'sending' } as const;
const inbound = { group: 'inbound' } as const;
const tracking = { group: 'tracking' } as const;
const security = { group: 'security' } as const;
const advanced = { group: 'advanced' } as const;

export const ConfigSchema = Type.Object({
  // HTTP server
  PORT: int(3000, 'Port of the HTTP server: the API, /docs, /healthz, /metrics and the tracking endpoints.', server),
  HOST: str('127.0.0.1', 'Address the HTTP server listens on (0.0.0.0: every interface).', server),
  PUBLIC_URL: str('', 'Base URL at which recipients reach the tracking and unsubscribe links, e.g. https://mail.example.com. Empty: http://localhost:PORT.', server),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info', description: 'Least severe log messages written: fatal, error, warn, info, debug or silent.', ...server },
  ),

  // Database
  DATABASE_URL: str('', 'PostgreSQL connection URL (postgres://user:password@host:5432/db). Empty: the embedded PGlite database in SENDTRAIL_DATA_DIR, which serves one process only.', database),
  SENDTRAIL_DATA_DIR: str('./.sendtrail', 'Directory for the embedded database and its generated secret, and for the tracking spool. On PostgreSQL each process with the tracking role needs a directory of its own (a second process is refused).', database),

  // Sending
  SMTP_URL: str('', 'SMTP relay for outgoing mail, smtp://user:password@host:587 (STARTTLS when offered) or smtps://... (TLS). Empty: mail to real domains is captured locally and NOT delivered.', sending),
  SMTP_POOL_SIZE: int(5, 'SMTP sessions each worker process keeps open to the relay.', { ...sending, min: 1 }),
  WORKER_CONCURRENCY: int(128, 'Emails one worker process sends at once; also the most it may send twice after a crash.', { ...sending, min: 1 }),
  DOMAIN_CONCURRENCY: int(20, 'Emails one worker process sends at once to one recipient domain.', { ...sending, min: 1 }),
  RETRY_BASE_MS: int(60_000, 'Delay in milliseconds before the first retry after a temporary failure (4xx reply or connection error); it doubles with each attempt.', { ...sending, min: 10 }),
  RETRY_MAX_DELAY_MS: int(3_600_000, 'Longest delay in milliseconds between two attempts.', { ...sending, min: 10 }),
  MAX_DELIVERY_LIFETIME_MS: int(3 * 86_400_000, 'How long in milliseconds an email is retried before it is bounced soft with reason "expired".', { ...sending, min: 100 }),

  // Bounces, complaints and replies
  BOUNCE_DOMAIN: str('bounces.sendtrail.localhost', 'Domain of the signed return path b+<token>@BOUNCE_DOMAIN that bounces and complaints come back to; point its MX at the inbound SMTP server.', inbound),
  REPLY_DOMAIN: str('replies.sendtrail.localhost', 'Domain whose mail the inbound SMTP server accepts as replies: use addresses at it as reply_to and point its MX at the inbound SMTP server.', inbound),
  INBOUND_HOST: str('127.0.0.1', 'Address the inbound SMTP server listens on (0.0.0.0 to receive mail from the internet).', inbound),
  INBOUND_SMTP_PORT: int(2525, 'Port of the inbound SMTP server.', inbound),
  INBOUND_MAX_MESSAGE_BYTES: int(10 * 1024 * 1024, 'Largest message in bytes the inbound SMTP server accepts (announced as EHLO SIZE); larger ones are refused with 552.', { ...inbound, min: 1024 }),
  INBOUND_TLS_KEY_FILE: str('', 'PEM private key file for STARTTLS on the inbound SMTP server; set with INBOUND_TLS_CERT_FILE. Empty: no STARTTLS.', inbound),
  INBOUND_TLS_CERT_FILE: str('', 'PEM certificate chain file for STARTTLS on the inbound SMTP server; set with INBOUND_TLS_KEY_FILE.', inbound),
  REPLY_FORWARD_TO: str('', 'Mailbox that human replies are forwarded to through SMTP_URL (which it needs), retried like outgoing mail. Empty: replies are only recorded.', inbound),
  SOFT_BOUNCE_SUPPRESS_COUNT: int(3, 'Soft bounces of one address (per project) after which it goes on the suppression list. 0: soft bounces never suppress.', inbound),

  // Tracking
  TRACKING_KEYS: str('', 'Comma-separated keys that sign tracking and unsubscribe links: the first signs, every one verifies, so a new key is rotated in by putting it first. Empty: derived from SENDTRAIL_SECRET.', { ...tracking, secret: true }),
  TRACKING_HONEYPOT: bool(true, 'Add one hidden link to HTML mail with tracked links: only scanners follow it, and their clicks around it are not counted as a person\'s. false: no hidden link.', tracking),
  TRACKING_SIGNATURES_DIR: str('', 'Directory whose user-agents.tsv and networks.tsv replace the built-in lists that tell scanners from people (a missing file keeps the built-in one); run `sendtrail tracking reclassify` after a change. Empty: the built-in lists.', tracking),

  // Secrets and access
  SENDTRAIL_SECRET: str('', 'Key that signs return paths and, without TRACKING_KEYS, tracking links; every process on one database needs the same. Empty: generated on first start and kept in SENDTRAIL_DATA_DIR (PGlite) or in the database (PostgreSQL).', { ...security, secret: true }),
  SENDTRAIL_API_KEY: str('', 'An API key (24 characters or more) that Sendtrail accepts for the default project, for scripted installs. Empty: none; the first start creates and prints a key.', { ...security, secret: true }),
  SENDTRAIL_ADMIN_EMAIL: str('', 'Email of the dashboard\'s first admin, created at the first start (while there is no user; ignored after). Empty: admin@localhost. Without SENDTRAIL_ADMIN_PASSWORD the first start prints a one-time sign-in link for them instead.', security),
  SENDTRAIL_ADMIN_PASSWORD: str('', 'Password (12 characters or more) of the first admin, with SENDTRAIL_ADMIN_EMAIL, for scripted installs and tests; change it in the dashboard afterwards. Empty: the first start prints a sign-in link instead.', { ...security, secret: true }),
  TRACKING_TRUSTED_PROXIES: str('', 'Comma-separated IPs or CIDRs of your reverse proxies: only their X-Forwarded-For is believed, for the client address of tracking hits, /metrics requests and the dashboard\'s sign-in rate limits. Empty: the connection\'s own address.', security),
  METRICS_ALLOWED_NETWORKS: str('127.0.0.0/8,::1', 'Comma-separated IPs or CIDRs of the clients /metrics answers; others get 404 unless they present METRICS_TOKEN.', security),
  WEBHOOK_ALLOWED_NETWORKS: str('', 'Comma-separated IPs or CIDRs that webhook endpoints may reach although they are not public (loopback, private, link-local ...), e.g. 10.0.0.0/8 for receivers on your own network. Empty: public addresses only, checked when an endpoint is saved and at every connection.', security),
  WEBHOOK_ALLOW_HTTP: bool(false, 'Accept http:// webhook URLs as well as https://: for receivers on your own network, where TLS is not set up. false: https:// only.', security),
  METRICS_TOKEN: str('', 'Bearer token that admits a /metrics request from any address (Authorization: Bearer <token>). Empty: only METRICS_ALLOWED_NETWORKS.', { ...security, secret: true }),

  // Advanced: tuning and test knobs
  PGLITE_SHARED_BUFFERS: str(PGLITE_SHARED_BUFFERS_DEFAULT, 'Memory of the embedded database\'s page cache (PostgreSQL shared_buffers, e.g. 16MB); pages it cannot hold are read back through the OS. Ignored with DATABASE_URL.', { ...advanced, pattern: '^[0-9]{1,6}(kB|MB|GB)$' }),
  PGLITE_VACUUM_INTERVAL_MS: int(600_000, 'Milliseconds between two vacuums of the embedded database, which has no autovacuum: without them the space of old row versions is never reused. Each run holds the database for a moment. 0: never. Ignored with DATABASE_URL.', advanced),
  SMTP_THREAD: bool(true, 'Compose, DKIM-sign and send mail in a worker thread, apart from the thread that runs queries. false: all in one thread.', advanced),
  SMTP_THREAD_HEAP_MB: int(64, 'Old-generation heap limit of the SMTP thread in MB, which keeps its garbage from growing the process\'s memory.', { ...advanced, min: 48 }),
  CLAIM_BATCH_SIZE: int(200, 'Emails a worker claims from the queue in one statement; also bounds what it may send twice after a crash.', { ...advanced, min: 1 }),
  LEASE_MS: int(120_000, 'How long in milliseconds a worker\'s claim on an email lasts, renewed while it sends, before another worker may take the email over after a crash.', { ...advanced, min: 1000 }),
  PROCESS_HEARTBEAT_MS: int(5_000, 'Milliseconds between two heartbeats of a Sendtrail process (its row on the System screen). Each beat also looks for processes whose heartbeat stopped.', { ...advanced, min: 100 }),
  PROCESS_LOST_AFTER_MS: int(15_000, 'Milliseconds without a heartbeat after which a process counts as lost (crashed, killed or cut off from the database) and a live process takes over the emails it held, instead of waiting LEASE_MS. At least twice PROCESS_HEARTBEAT_MS; too short, and a process stalled that long (a long pause, a slow database) may have emails it is still sending taken over and sent twice.', { ...advanced, min: 300 }),
  SIMULATOR_RETRY_BASE_MS: int(300, 'Retry delay in milliseconds for @simulator.test mail, short so a demo finishes quickly; tests shorten it further.', { ...advanced, min: 10 }),
  SIMULATOR_LIFETIME_MS: int(3_000, 'How long in milliseconds @simulator.test mail is retried before it expires; tests shorten it.', { ...advanced, min: 100 }),
  TRACKING_BATCH_MS: int(0, 'Milliseconds an idle tracking recorder waits before it writes and fsyncs a batch of hits to its spool. 0: none; under load, hits gather while the previous batch syncs.', advanced),
  TRACKING_COMMIT_LINGER_MS: int(200, 'Milliseconds spooled tracking hits gather before they are classified and stored, unless a full batch is waiting: larger batches cost the database less per hit, and this is the delay before a hit shows in stats.', advanced),
  TRACKING_COMMIT_TIMEOUT_MS: int(2_000, 'Milliseconds after which a batch of tracking hits the database has not committed stays in the disk spool, to be committed later.', { ...advanced, min: 50 }),
  TRACKING_COMMIT_THREAD: bool(true, 'On PostgreSQL, classify and store tracking hits in a worker thread with its own connections, apart from the thread that answers tracking requests. false: all in one thread. On PGlite they are always stored on the main thread, where the database runs.', advanced),
  TRACKING_FRONT_THREAD: str('auto', 'Answer pixel and click requests in a worker thread that owns the HTTP port (it verifies, spools with fsync and answers; every other request goes on to the main thread), so a database commit on the main thread never delays a redirect. auto: on PGlite only, whose database runs on the main thread (on PostgreSQL commits already run in a thread of their own, and the extra thread costs CPU). true or false: always or never.', { ...advanced, pattern: '^(auto|true|false)$' }),
  WEBHOOK_CONNECT_TIMEOUT_MS: int(5_000, 'Milliseconds a webhook request may take to connect before the attempt fails (and is retried).', { ...advanced, min: 100 }),
  WEBHOOK_TIMEOUT_MS: int(15_000, 'Milliseconds a webhook request may take in all, connection to answer, before the attempt fails (and is retried).', { ...advanced, min: 100 }),
  WEBHOOK_CONCURRENCY: int(32, 'Webhook requests one worker process makes at once, over all endpoints (at most 4 at once to any one endpoint).', { ...advanced, min: 1 }),
  PROVIDER_MX_LOOKUP: bool(true, 'Look up the MX hosts of recipient domains that are not well-known consumer ones (once per domain, then kept) to tell their mailbox provider in stats: Google, Microsoft, Yahoo, Apple or other. false: no DNS lookups; such domains are recorded as other for good.', advanced),
});

export type Config = Static<typeof ConfigSchema>;
export type ConfigKey = keyof Config;

/** The group and secrecy of a key, as its schema declares them. */
export function annotationsOf(key: string): KeyAnnotations {
  const schema = (ConfigSchema.properties as Record<string, TSchema & Partial<KeyAnnotations>>)[key];
  if (!schema?.group) throw new Error(`${key} is not a configuration key`);
  return { group: schema.group, ...(schema.secret ? { secret: true } : {}) };
}
