// Setting or changing one's own password (PUT /v1/session/password), and the API's refusals in words.
import { api, ApiError } from '../api.ts';

/** The server's rule (src/accounts/password-policy.ts), said before it is broken; the server still decides. */
export const MIN_PASSWORD_LENGTH = 12;

export function changePassword(input: { currentPassword?: string; newPassword: string }): Promise<void> {
  return api('/v1/session/password', {
    method: 'PUT',
    body: { ...(input.currentPassword !== undefined ? { current_password: input.currentPassword } : {}), new_password: input.newPassword },
  });
}

/** What went wrong, for the person at the form: the API's message when it has one worth reading. */
export function describePasswordError(err: unknown): string {
  if (!(err instanceof ApiError)) return 'Sendtrail did not answer. Is it running? Try again in a moment.';
  switch (err.code) {
    case 'wrong_password':
      return 'The current password is not right.';
    case 'password_too_short':
      return `${err.message}.`;
    case 'rate_limited':
      return `Too many wrong current passwords. Try again in ${formatWait(err.retryAfterS ?? 60)}.`;
    case 'unauthorized':
      return 'Your session has ended. Sign in again to change your password.';
    default:
      return `The password was not changed: ${err.message}`;
  }
}

function formatWait(s: number): string {
  return s < 60 ? `${s} second${s === 1 ? '' : 's'}` : `${Math.ceil(s / 60)} minutes`;
}
