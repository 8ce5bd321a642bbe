// Masks secrets wherever a configuration value is shown: whole secret keys, and credentials inside URLs.
import { ConfigSchema } from './schema.ts';

/** What a set secret prints as: a fixed width, so not even its length shows. */
export const MASKED_SECRET = '********';
const MASKED_PASSWORD = '****';

/**
 * Names that say "secret" even when a key's schema forgets `secret: true`: a second guard, so a key
 * added later as SOMETHING_PASSWORD or SOMETHING_TOKEN is never printed in clear. *_KEY_FILE names a
 * path, not a key.
 */
const SECRET_NAME = /(SECRET|TOKEN|PASSWORD|PASSWD|_KEYS?)$/;

export function isSecretKey(key: string): boolean {
  const schema = (ConfigSchema.properties as Record<string, { secret?: boolean }>)[key];
  return schema?.secret === true || SECRET_NAME.test(key);
}

/** A configuration value as it may be printed or logged. */
export function displayValue(key: string, value: unknown): string {
  const text = value === undefined || value === null ? '' : String(value);
  if (isSecretKey(key)) return text === '' ? '' : MASKED_SECRET;
  return maskUrlCredentials(text);
}

// A URL runs from its scheme to the next whitespace; its credentials end at the last "@" in it, as in
// the WHATWG parser, so a password holding "@", "#" or "?" is masked whole. This masks too much in the
// rare URL with an "@" in its path, never too little.
const URL_IN_TEXT = /[a-z][a-z0-9+.-]*:\/\/\S*/gi;
// Query parameters that carry credentials, e.g. postgres://host/db?password=... or ?sslpassword=...
const SECRET_PARAM = /([?&;][^=&#\s]*?(?:pass|pwd|secret|token|key)[^=&#\s]*=)[^&#;\s]*/gi;

/**
 * Masks the password of every URL in `text` (postgres://user:****@host/db, smtp://user:****@relay),
 * the whole user part when it has no password (it may be a token: https://****@host), and query
 * parameters named like a password, token or key.
 */
export function maskUrlCredentials(text: string): string {
  return text.replace(URL_IN_TEXT, (url) => {
    const start = url.indexOf('://') + 3;
    const at = url.lastIndexOf('@');
    let masked = url;
    if (at >= start) {
      const userinfo = url.slice(start, at);
      const colon = userinfo.indexOf(':');
      if (colon >= 0) masked = `${url.slice(0, start + colon + 1)}${MASKED_PASSWORD}${url.slice(at)}`;
      else if (userinfo !== '' && !userinfo.includes('/')) masked = `${url.slice(0, start)}${MASKED_PASSWORD}${url.slice(at)}`;
    }
    return masked.replace(SECRET_PARAM, `$1${MASKED_PASSWORD}`);
  });
}
