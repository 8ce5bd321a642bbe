// What other domains and the HTTP edge may use of sending.
export { submitEmails, MAX_RECIPIENTS_PER_REQUEST, type SendEmailInput, type SubmitResult } from './submit-emails.ts';
export { cancelEmail } from './cancel-email.ts';
export { findEmail, insertEmails, type EmailRow, type NewEmailRow } from './emails.repository.ts';
export { listEmails, type EmailFilter, type EmailPage } from './list-emails.ts';
export { parseMailbox, formatMailbox, domainOf, isValidAddress, type Mailbox } from './addresses.ts';
export { missingDataFields, renderTemplate, templateDataFields } from './render-template.ts';
export { parseScheduledAt } from './schedule.ts';
export { claimIdempotencyKey, hashRequest, IDEMPOTENCY_KEY_TTL_HOURS } from './idempotency.ts';
export { startIdempotencyKeyExpiry } from './expire-idempotency-keys.ts';
export { PRIORITY, QUEUE_CHANNEL } from './queue-constants.ts';
