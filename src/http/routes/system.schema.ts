// TypeBox shapes of GET /v1/system (processes, queue, store) and GET /v1/settings (the effective
// configuration, secrets masked).
import { Type, type Static } from '@sinclair/typebox';

export const ProcessSchema = Type.Object({
  id: Type.String({ description: 'host:pid:suffix; also the `worker` of the events a worker writes, and the holder of its leases.' }),
  roles: Type.Array(Type.String()),
  version: Type.String({ description: 'Sendtrail\'s version in that process.' }),
  host: Type.String(),
  pid: Type.Integer(),
  started_at: Type.String({ format: 'date-time' }),
  heartbeat_at: Type.String({ format: 'date-time', description: 'Its last heartbeat.' }),
  heartbeat_age_ms: Type.Integer({ description: 'Milliseconds since its last heartbeat, on the database\'s clock (so a client\'s clock does not matter).' }),
  stopped_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  state: Type.Union([Type.Literal('alive'), Type.Literal('stopped'), Type.Literal('lost')], {
    description: 'alive: heartbeating; stopped: stopped cleanly; lost: no heartbeat for lost_after_ms (crashed, killed or cut off from the database), its emails, reply forwards and webhook deliveries taken over by a live process.',
  }),
  leases: Type.Object({
    emails: Type.Integer({ description: 'Emails leased to it: being sent by its worker.' }),
    reply_forwards: Type.Integer({ description: 'Human replies leased to it: being forwarded to REPLY_FORWARD_TO by its inbound role.' }),
    webhook_deliveries: Type.Integer({ description: 'Webhook deliveries leased to it: being posted by its worker.' }),
  }, { description: 'What the process holds a lease on now; a lost process\'s leases are taken over by the next live process\'s heartbeat.' }),
});

export const QueueSchema = Type.Object({
  queued: Type.Integer({ description: 'Emails in status queued: due, or being sent.' }),
  scheduled: Type.Integer({ description: 'Emails scheduled for later.' }),
  retrying: Type.Integer({ description: 'Emails waiting to retry after a temporary failure (delivery_delayed).' }),
  due: Type.Integer({ description: 'Emails waiting for a worker now (due, not leased), counted up to 10,000.' }),
  due_capped: Type.Boolean({ description: 'true when there are more due emails than `due` says.' }),
  held: Type.Integer({ description: 'Emails leased to a worker that is sending them.' }),
});

export const StoreSummarySchema = Type.Object({
  kind: Type.Union([Type.Literal('pglite'), Type.Literal('postgres')]),
  host: Type.Optional(Type.String()),
  port: Type.Optional(Type.Integer()),
  database: Type.Optional(Type.String()),
  user: Type.Optional(Type.String()),
  data_dir: Type.Optional(Type.String({ description: 'PGlite: where the embedded database lives.' })),
  fsync: Type.Boolean({ description: 'false on PGlite: it never syncs to disk.' }),
  warning: Type.Optional(Type.String()),
});
export type StoreSummary = Static<typeof StoreSummarySchema>;

export const SystemSchema = Type.Object({
  server_time: Type.String({ format: 'date-time' }),
  heartbeat_ms: Type.Integer({ description: 'PROCESS_HEARTBEAT_MS.' }),
  lost_after_ms: Type.Integer({ description: 'PROCESS_LOST_AFTER_MS.' }),
  processes: Type.Array(ProcessSchema, { description: 'Running processes first, then the most recently started; stopped and lost ones are forgotten after 24 hours.' }),
  queue: QueueSchema,
  store: StoreSummarySchema,
});

export const SettingSchema = Type.Object({
  key: Type.String(),
  value: Type.String({ description: 'The effective value as text; a set secret is ******** and a password in a URL ****.' }),
  default_value: Type.String(),
  source: Type.Union([Type.Literal('env'), Type.Literal('default')], { description: 'env: set in the environment; default: not set (an empty variable counts as not set).' }),
  secret: Type.Boolean({ description: 'Never shown, only whether it is set.' }),
  description: Type.String(),
});

export const SettingsSchema = Type.Object({
  groups: Type.Array(Type.Object({
    id: Type.String(),
    title: Type.String(),
    advanced: Type.Boolean({ description: 'Tuning and test knobs whose defaults suit most installations.' }),
    settings: Type.Array(SettingSchema),
  })),
});
