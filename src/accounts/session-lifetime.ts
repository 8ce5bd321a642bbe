// How long a session lives: the policy, as pure functions of its timestamps and the time now.

/** Unused this long, a session ends. */
export const SESSION_IDLE_MS = 12 * 3_600_000;
/** Used or not, a session ends this long after sign-in. */
export const SESSION_ABSOLUTE_MS = 7 * 86_400_000;
/** last_seen_at is written at most this often per session: not a write per request. */
export const SESSION_REFRESH_MS = 60_000;

export type SessionTimes = { created_at: Date; last_seen_at: Date; expires_at: Date };

export const isSessionExpired = (s: SessionTimes, now: Date): boolean =>
  now.getTime() >= s.expires_at.getTime() || now.getTime() >= s.last_seen_at.getTime() + SESSION_IDLE_MS;

export const needsRefresh = (s: SessionTimes, now: Date): boolean =>
  now.getTime() - s.last_seen_at.getTime() >= SESSION_REFRESH_MS;

/** When the session ends if it is not used again: the earlier of its idle and absolute expiries. */
export const sessionEndsAt = (s: SessionTimes): Date =>
  new Date(Math.min(s.expires_at.getTime(), s.last_seen_at.getTime() + SESSION_IDLE_MS));
