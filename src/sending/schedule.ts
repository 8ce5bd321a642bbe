// Interprets scheduled_at: an ISO 8601 instant no more than a year ahead; past instants mean now.
import { AppError } from '../shared/app-error.ts';

const MAX_AHEAD_MS = 366 * 86_400_000;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/** Returns the instant when in the future, undefined when the email is due now. */
export function parseScheduledAt(value: string | undefined | null, now = Date.now()): Date | undefined {
  if (value === undefined || value === null) return undefined;
  const at = ISO.test(value) ? new Date(value) : new Date(NaN);
  if (Number.isNaN(at.getTime())) {
    throw new AppError('invalid_scheduled_at', 'scheduled_at must be an ISO 8601 date with a time zone, e.g. 2030-01-01T09:00:00Z');
  }
  if (at.getTime() - now > MAX_AHEAD_MS) throw new AppError('invalid_scheduled_at', 'scheduled_at is more than a year ahead');
  return at.getTime() > now ? at : undefined;
}
