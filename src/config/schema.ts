// The one configuration schema: every key Sendtrail reads, with its default and what it does.
import { Type, type Static } from '@sinclair/typebox';
import { PGLITE_SHARED_BUFFERS_DEFAULT } from '../store/pglite-settings.ts';

const str = (def: string, description: string) => Type.String({ default: def, description });
const int = (def: number, description: string, min = 0) =>
  Type.Integer({ default: def, minimum: min, description });

export const ConfigSchema = Type.Object({
  PORT: int(3000, 'HTTP port for the API, dashboard and tracking endpoints.', 0),
  HOST: str('127.0.0.1', 'Address the HTTP and SMTP servers listen on.'),
  SENDTRAIL_DATA_DIR: str('./.sendtrail', 'Directory for the embedded database and its secret, and for the tracking spool: on PostgreSQL, each process with the tracking role needs one of its own (a second is refused).'),
  DATABASE_URL: str('', 'PostgreSQL URL. Empty: the embedded PGlite database in SENDTRAIL_DATA_DIR (one process only).'),
  PGLITE_SHARED_BUFFERS: Type.String({
    default: PGLITE_SHARED_BUFFERS_DEFAULT,
    pattern: '^[0-9]{1,6}(kB|MB|GB)$',
    description: 'shared_buffers of the embedded database: most of its memory. Ignored with DATABASE_URL.',
  }),
  PGLITE_VACUUM_INTERVAL_MS: int(600_000, 'How often the embedded database is vacuumed and analyzed (it has no autovacuum): without it every sent email leaves dead rows that are never reused. Each run holds the database for a moment (0.3-0.6 s at 20,000-100,000 sent emails: npm run bench:pglite-vacuum). 0: never. Ignored with DATABASE_URL.', 0),
  SMTP_URL: str('', 'Relay for outgoing mail, e.g. smtp://127.0.0.1:25. Empty: mail to real domains is captured locally and NOT delivered.'),
  PUBLIC_URL: str('', 'Base URL recipients reach for tracking and unsubscribe links. Empty: http://localhost:PORT.'),
  SENDTRAIL_API_KEY: Type.String({
    default: '',
    description: 'Seeds a known API key for the default project (24 characters or more). Empty: none seeded.',
  }),
  SENDTRAIL_SECRET: str('', 'Key for signed tokens (return paths, tracking). Empty: generated once and kept in SENDTRAIL_DATA_DIR/secret (PGlite) or in the database (PostgreSQL, shared by all its processes).'),
  BOUNCE_DOMAIN: str('bounces.sendtrail.localhost', 'Domain of the VERP return path b+<token>@BOUNCE_DOMAIN; point its MX at the inbound SMTP server.'),
  INBOUND_SMTP_PORT: int(2525, 'Port of the inbound SMTP server (bounces, complaints, replies).'),
  INBOUND_HOST: str('127.0.0.1', 'Address the inbound SMTP server listens on (0.0.0.0 to receive mail from the internet).'),
  REPLY_DOMAIN: str('replies.sendtrail.localhost', 'Domain whose mail the inbound server accepts as replies; use addresses at it as reply_to and point its MX here.'),
  INBOUND_MAX_MESSAGE_BYTES: int(10 * 1024 * 1024, 'Largest message the inbound SMTP server accepts (announced in EHLO SIZE, RFC 1870); larger ones get 552.', 1024),
  INBOUND_TLS_KEY_FILE: str('', 'PEM private key for STARTTLS on the inbound server. Empty (with INBOUND_TLS_CERT_FILE): no STARTTLS.'),
  INBOUND_TLS_CERT_FILE: str('', 'PEM certificate chain for STARTTLS on the inbound server.'),
  REPLY_FORWARD_TO: str('', 'Mailbox that human replies are forwarded to, through SMTP_URL (required for it), retried like outgoing mail (RETRY_BASE_MS, RETRY_MAX_DELAY_MS, MAX_DELIVERY_LIFETIME_MS). Empty: replies are only recorded.'),
  SOFT_BOUNCE_SUPPRESS_COUNT: int(3, 'Soft bounces of one address (per project) after which it is suppressed. 0: soft bounces never suppress.'),
  SMTP_POOL_SIZE: int(5, 'Pooled SMTP connections per transport in each worker.', 1),
  SMTP_THREAD: Type.Boolean({
    default: true,
    description: 'Compose, DKIM-sign and send mail in a worker thread, off the thread that runs queries (and PGlite). false: all in one thread.',
  }),
  SMTP_THREAD_HEAP_MB: int(64, 'Old-generation heap limit of the SMTP thread in MB: keeps its garbage from growing RSS.', 48),
  WORKER_CONCURRENCY: int(128, 'Messages a worker process has in flight at once, from claim to committed outcome; also bounds the resends after a crash.', 1),
  CLAIM_BATCH_SIZE: int(200, 'Emails claimed per queue round trip; also bounds duplicates after a crash.', 1),
  LEASE_MS: int(120_000, 'How long a claim lasts before another worker may take the email over (crash recovery).', 1000),
  DOMAIN_CONCURRENCY: int(20, 'Deliveries in flight to one recipient domain, per worker process.', 1),
  RETRY_BASE_MS: int(60_000, 'First retry delay after a 4xx or a connection error; doubles each attempt.', 10),
  RETRY_MAX_DELAY_MS: int(3_600_000, 'Longest delay between two attempts.', 10),
  MAX_DELIVERY_LIFETIME_MS: int(3 * 86_400_000, 'After this long in retries an email is bounced soft with reason "expired".', 100),
  SIMULATOR_RETRY_BASE_MS: int(300, 'Retry delay for @simulator.test mail, kept short so the demo finishes fast.', 10),
  SIMULATOR_LIFETIME_MS: int(3_000, 'Retry lifetime for @simulator.test mail.', 100),
  TRACKING_KEYS: str('', 'Comma-separated keys for tracking tokens: the first signs, all verify (rotate by putting a new key first). Empty: derived from SENDTRAIL_SECRET.'),
  TRACKING_TRUSTED_PROXIES: str('', 'Comma-separated IPs/CIDRs of reverse proxies whose X-Forwarded-For gives the client IP of tracking hits. Empty: the socket address.'),
  TRACKING_BATCH_MS: int(0, 'Extra wait (ms) before an idle tracking recorder writes its batch to the fsync\'d spool. 0: none; under load hits gather while earlier batches sync (group commit).', 0),
  TRACKING_COMMIT_LINGER_MS: int(200, 'How long (ms) spooled tracking hits gather before they are classified and stored, unless a full batch is waiting: bigger batches cost the database far less per hit (bench:track on PostgreSQL: 20-24 µs of its CPU per hit at 200 ms against 36-39 at 50 ms). The delay before a hit shows in stats.'),
  TRACKING_COMMIT_TIMEOUT_MS: int(2_000, 'A batch commit slower than this goes to the disk spool instead (database unreachable).', 50),
  TRACKING_COMMIT_THREAD: Type.Boolean({
    default: true,
    description: 'On PostgreSQL, classify and store tracking hits in a worker thread with its own connections, off the thread that answers pixel and click requests. false: all in one thread. (On PGlite hits are always committed on the main thread, where its database runs.)',
  }),
  TRACKING_HONEYPOT: Type.Boolean({
    default: true,
    description: 'Add a hidden link to HTML mail with tracked links: a click on it marks that moment\'s clicks as a scanner\'s (why: honeypot). false: no hidden link.',
  }),
  TRACKING_SIGNATURES_DIR: str('', 'Directory with user-agents.tsv / networks.tsv replacing the built-in tracking signature lists (a missing file falls back to the built-in one); then run `sendtrail tracking reclassify`. Empty: built-in lists.'),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info', description: 'Log level.' },
  ),
});

export type Config = Static<typeof ConfigSchema>;
