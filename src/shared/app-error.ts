// The closed set of refusals Sendtrail makes; the HTTP edge maps each code to a status in one table.
export const ERROR_CODES = {
  validation_error: 'The request body, query or parameters do not match the schema.',
  invalid_json: 'The request body is not valid JSON.',
  invalid_recipient: 'An address is not a valid email address.',
  too_many_recipients: 'More recipients than one request may carry.',
  missing_content: 'An email needs html or text.',
  invalid_scheduled_at: 'scheduled_at is not an ISO 8601 date within the next year.',
  idempotency_key_reused: 'This Idempotency-Key was used with a different request body.',
  invalid_recipients_file: 'The streamed recipients are not valid NDJSON or CSV.',
  invalid_template: 'A template placeholder is not {{data.field}} or {{email}}, or a "{{" is not closed.',
  unauthorized: 'Missing or unknown API key, or not signed in (no session, or it ended).',
  invalid_credentials: 'The email or password is not right.',
  invalid_link: 'This sign-in link is unknown, used already or expired: ask an admin for a new one.',
  rate_limited: 'Too many failed sign-in attempts: retry after the number of seconds in Retry-After.',
  forbidden: 'Your role does not allow this: a viewer can read everything and change nothing, and only an admin manages users.',
  cross_origin: 'A request signed in by cookie came from another site (Origin, Referer or Sec-Fetch-Site): refused against cross-site request forgery.',
  password_too_short: 'The password is too short.',
  wrong_password: 'The current password is not right.',
  user_exists: 'A user with this email exists already.',
  last_admin: 'This would leave no enabled admin.',
  domain_exists: 'The project has this sending domain already: read its records with GET /v1/domains/{domain}.',
  invalid_webhook_url: 'The webhook url is not an https:// URL (http:// only with WEBHOOK_ALLOW_HTTP), carries credentials or a fragment, or its host does not resolve.',
  webhook_address_refused: 'The webhook url\'s host resolves to a loopback, private, link-local or otherwise non-public address; an operator may allow such networks with WEBHOOK_ALLOWED_NETWORKS.',
  not_found: 'No such resource in this project.',
  raw_not_available: 'This email has no message to show yet: no worker has handed it to a transport (queued, scheduled, rejected or cancelled).',
  content_unavailable: 'This email\'s message cannot be shown: its body was removed by the project\'s retention, or what is stored cannot be rendered; the email itself and its events are unaffected.',
  email_not_cancellable: 'The email is no longer queued or scheduled: sending has started or it is final.',
  campaign_not_editable: 'The campaign has started sending, finished or been cancelled.',
  no_recipients: 'A campaign is sent or scheduled with at least one recipient; only a draft may be empty.',
  payload_too_large: 'The request body is larger than allowed.',
  unsupported_media_type: 'The Content-Type is not supported here.',
  internal_error: 'Sendtrail failed on its side; the request may be retried.',
  shutting_down: 'This Sendtrail process is shutting down; retry the request.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string = ERROR_CODES[code],
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}
