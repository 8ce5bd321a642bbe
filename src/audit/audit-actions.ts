// Owns the audit log's vocabulary: every action it records, and for each the only detail fields it
// may keep (an allow-list: a field not named here is dropped, so a password, token, API key or
// webhook secret passed by mistake is never stored).
export const AUDIT_DETAIL_FIELDS = {
  'api_key.create': ['name', 'prefix'],
  'api_key.revoke': ['name', 'prefix'],
  'user.create': ['email', 'role', 'with_password'],
  'user.update': ['email', 'role', 'disabled'],
  'user.disable': ['email'],
  'user.enable': ['email'],
  'user.sign_in': ['method'],
  'user.sign_in_failed': ['method'],
  'user.sign_out': ['everywhere'],
  'user.password_change': ['had_password'],
  'suppression.add': ['email', 'reason'],
  'suppression.remove': ['email'],
  'suppression.import': ['added', 'already_listed', 'invalid', 'format'],
  'domain.add': ['domain', 'algorithm', 'bounce_domain'],
  'domain.remove': ['domain'],
  'webhook.create': ['url', 'event_types', 'counted_only', 'enabled'],
  'webhook.update': ['url', 'event_types', 'counted_only', 'enabled', 'description'],
  'webhook.delete': ['url'],
  'webhook.rotate_secret': [],
  'webhook.test': [],
  'webhook.replay': ['delivery_id', 'since', 'queued'],
  'campaign.create': ['name', 'draft', 'recipients'],
  'campaign.send': [],
  'campaign.cancel': ['cancelled'],
  'campaign.resume': ['resumed'],
  'settings.update': ['keys'],
  'retention.update': ['bodies_days', 'events_days', 'raw_inbound_days'],
  'alert_rules.update': ['rules'],
  'email.content_view': ['part'],
  'email.raw_download': [],
} as const satisfies Record<string, readonly string[]>;

export type AuditAction = keyof typeof AUDIT_DETAIL_FIELDS;

export const AUDIT_ACTIONS = Object.keys(AUDIT_DETAIL_FIELDS) as AuditAction[];

export const isAuditAction = (value: string): value is AuditAction => Object.hasOwn(AUDIT_DETAIL_FIELDS, value);

export const AUDIT_OUTCOMES = ['success', 'denied', 'failed'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export const AUDIT_ACTOR_TYPES = ['user', 'api_key', 'system'] as const;
export type AuditActorType = (typeof AUDIT_ACTOR_TYPES)[number];
