// The one table from error codes to HTTP statuses.
import type { ErrorCode } from '../shared/app-error.ts';

export const HTTP_STATUS: Record<ErrorCode, number> = {
  validation_error: 400,
  invalid_json: 400,
  invalid_recipient: 422,
  too_many_recipients: 422,
  missing_content: 422,
  invalid_scheduled_at: 422,
  idempotency_key_reused: 422,
  invalid_recipients_file: 422,
  invalid_template: 422,
  unauthorized: 401,
  not_found: 404,
  email_not_cancellable: 409,
  campaign_not_editable: 409,
  no_recipients: 422,
  payload_too_large: 413,
  unsupported_media_type: 415,
  internal_error: 500,
  shutting_down: 503,
};
