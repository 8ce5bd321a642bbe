// What the first start prints once, the first admin's one-time sign-in link and the default
// project's first API key, printed by the one process that created them when several start at once
// on one empty PostgreSQL (`--roles api` and `--roles worker`, as an operator starts them side by side).
import { afterEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { startSendtrailProcess, type SendtrailProcess } from './support/sendtrail-process.ts';
import { createTestDatabase } from './support/test-store.ts';

const LINK = /\/sign-in#link=[A-Za-z0-9_-]{43}/g;
const ANNOUNCEMENT = /Dashboard admin admin@localhost: sign in with this one-time link/g;
const API_KEY = /API key for the default project \(shown once, keep it\):\n\s+(st_\S+)/g;

describe('processes starting at once on an empty PostgreSQL', () => {
  const procs: SendtrailProcess[] = [];
  let db: { url: string; drop: () => Promise<void> } | undefined;
  afterEach(async () => {
    await Promise.all(procs.splice(0).map((p) => p.stop()));
    await db?.drop();
  });

  it('create one admin and one default project, and only the process that created each prints its link or key', async () => {
    for (let round = 0; round < 3; round++) {
      db = await createTestDatabase();
      const env = { DATABASE_URL: db.url, SENDTRAIL_SECRET: 'shared-secret-for-all' };
      procs.push(...(await Promise.all([startSendtrailProcess(env, { roles: 'api' }), startSendtrailProcess(env, { roles: 'worker' })])));
      // The link is printed right after the start line: give a slow machine a moment.
      await new Promise((r) => setTimeout(r, 1000));
      const outputs = procs.map((p) => p.output());
      const links = outputs.map((o) => o.match(LINK) ?? []);
      expect(links.flat(), outputs.join('\n----\n')).toHaveLength(1);
      expect(outputs.map((o) => (o.match(ANNOUNCEMENT) ?? []).length).sort()).toEqual([0, 1]);
      const keys = outputs.flatMap((o) => [...o.matchAll(API_KEY)].map((m) => m[1]!));
      expect(keys).toHaveLength(1);
      // The printed key works against the api process, whichever process printed it.
      expect((await fetch(`${procs[0]!.url}/v1/emails?limit=1`, { headers: { authorization: `Bearer ${keys[0]}` } })).status).toBe(200);

      const c = new pg.Client({ connectionString: db.url });
      await c.connect();
      try {
        expect((await c.query('SELECT email, role FROM users')).rows).toEqual([{ email: 'admin@localhost', role: 'admin' }]);
        expect((await c.query('SELECT count(*)::int AS n FROM projects')).rows[0].n).toBe(1);
        expect((await c.query('SELECT count(*)::int AS n FROM api_keys')).rows[0].n).toBe(1);
        // The printed link is the one stored: the admin can use it.
        expect((await c.query('SELECT count(*)::int AS n FROM sign_in_links WHERE used_at IS NULL')).rows[0].n).toBe(1);
      } finally {
        await c.end();
      }
      await Promise.all(procs.splice(0).map((p) => p.stop()));
      await db.drop();
      db = undefined;
    }
  }, 240_000);
});
