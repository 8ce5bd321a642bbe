// Dashboard accounts: users of the installation, passwords, sessions, sign-in links and the rate
// limits on signing in.
export { systemClock, type Clock } from './clock.ts';
export { MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH } from './password-policy.ts';
export { SESSION_ABSOLUTE_MS, SESSION_IDLE_MS, SESSION_REFRESH_MS } from './session-lifetime.ts';
export { resolveSession, endSession, endSessionsOfUser, type Session } from './sessions.ts';
export { SIGN_IN_LINK_TTL_MS, signInLinkUrl } from './sign-in-links.ts';
export { SIGN_IN_LIMITS } from './sign-in-rate-limit.ts';
export { signInWithLink, signInWithPassword, type SignInResult } from './sign-in.ts';
export { changePassword } from './change-password.ts';
export { changeUser, createUser, disableUserByEmail, listUsers, newSignInLinkFor, type CreatedUser } from './manage-users.ts';
export { DEFAULT_ADMIN_EMAIL, ensureFirstAdmin, type FirstAdmin } from './first-admin.ts';
export { ROLES, normalizeEmail, type Role, type User } from './users.repository.ts';
export { createAdminNotifier, type AdminNotifier, type AdminMail, type MailSender } from './notify-admins.ts';
