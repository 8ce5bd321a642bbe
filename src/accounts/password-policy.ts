// The rule a password must meet, apart from hashing so that configuration checks load no argon2.
export const MIN_PASSWORD_LENGTH = 12;
/** Long enough for any passphrase or manager; bounds what one request makes argon2 digest. */
export const MAX_PASSWORD_LENGTH = 1024;
