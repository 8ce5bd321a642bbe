// Dashboard accounts (issue 20): the installation's users, their sessions, one-time sign-in links
// and the sign-in attempts that rate-limit guessing.
//
// Secrets are stored only as SHA-256 hashes (session and link tokens: 32 random bytes, so a fast
// hash suffices) or argon2id (passwords). Sign-in attempts live in the database, not in a process,
// because several api processes may share one PostgreSQL: a limit per process would multiply.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE users (
      id uuid PRIMARY KEY,
      email text NOT NULL UNIQUE CHECK (email = lower(email)),
      role text NOT NULL CHECK (role IN ('admin', 'viewer')),
      password_hash text,
      disabled_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE sessions (
      id uuid PRIMARY KEY,
      token_hash text NOT NULL UNIQUE,
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL,
      last_seen_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL
    );
    CREATE INDEX sessions_by_user ON sessions (user_id);
    CREATE INDEX sessions_by_expiry ON sessions (expires_at);

    CREATE TABLE sign_in_links (
      token_hash text PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      used_at timestamptz
    );

    -- email is NULL for a sign-in link, which names no address: only the per-IP limit applies.
    CREATE TABLE sign_in_attempts (
      id bigserial PRIMARY KEY,
      email text,
      ip text NOT NULL,
      succeeded boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL
    );
    CREATE INDEX sign_in_attempts_by_email ON sign_in_attempts (email, created_at) WHERE NOT succeeded;
    CREATE INDEX sign_in_attempts_by_ip ON sign_in_attempts (ip, created_at) WHERE NOT succeeded;
    CREATE INDEX sign_in_attempts_by_time ON sign_in_attempts (created_at);
  `.execute(db);
}
