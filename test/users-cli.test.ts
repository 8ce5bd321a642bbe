// The dashboard's accounts from the shell, as an operator meets them: the first admin's link printed
// at the first start, and `sendtrail users` on the embedded database and on PostgreSQL.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODE_FLAGS, REPO_ROOT, startSendtrailProcess, type SendtrailEnv } from './support/sendtrail-process.ts';
import { createTestDatabase } from './support/test-store.ts';

type Run = { code: number; stdout: string; stderr: string };

/** `sendtrail <args>` with what it reads on stdin; resolves with the exit code instead of throwing. */
function sendtrail(env: SendtrailEnv, args: string[], stdin = ''): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [...NODE_FLAGS, 'bin/sendtrail.js', ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env } }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
    child.stdin!.end(stdin);
  });
}

async function post(url: string, path: string, body: object): Promise<Response> {
  const origin = `http://localhost:${new URL(url).port}`;
  return fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', origin }, body: JSON.stringify(body) });
}

describe('on the embedded database', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sendtrail-users-'));
  });
  afterAll(async () => rm(dataDir, { recursive: true, force: true }));

  it('prints the first admin\'s one-time link at the first start only; users needs Sendtrail stopped, then creates, lists and disables', async () => {
    const env = { SENDTRAIL_DATA_DIR: dataDir };
    const proc = await startSendtrailProcess(env);
    try {
      const link = /^\s+(http:\/\/localhost:\d+\/sign-in#link=(\S+))$/m.exec(proc.output());
      expect(link, proc.output()).not.toBeNull();
      expect(proc.output()).toContain('admin@localhost');
      const signedIn = await post(proc.url!, '/v1/session/link', { token: link![2] });
      expect(signedIn.status).toBe(200);
      expect(((await signedIn.json()) as { user: unknown }).user).toMatchObject({ email: 'admin@localhost', role: 'admin', has_password: false });
      expect((await post(proc.url!, '/v1/session/link', { token: link![2] })).status).toBe(401);

      const locked = await sendtrail(env, ['users', 'list']);
      expect(locked.code).toBe(1);
      expect(locked.stderr).toContain('in use by another Sendtrail process');
    } finally {
      await proc.stop();
    }
    expect(proc.output().match(/#link=/g)).toHaveLength(1);

    const created = await sendtrail(env, ['users', 'create', '--email', 'Ann@Example.org']);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain('Created viewer ann@example.org');
    expect(created.stdout).toMatch(/^\s+http:\/\/localhost:3000\/sign-in#link=[A-Za-z0-9_-]{43}$/m);
    const withPassword = await sendtrail(env, ['users', 'create', '--email', 'bob@example.org', '--role', 'admin', '--password-stdin'], 'bob\'s long password\n');
    expect(withPassword.code, withPassword.stderr).toBe(0);
    expect(withPassword.stdout).not.toContain('#link=');
    expect((await sendtrail(env, ['users', 'create', '--email', 'carl@example.org', '--password-stdin'], 'short\n')).stderr).toContain('at least 12 characters');
    expect((await sendtrail(env, ['users', 'create', '--email', 'ann@example.org'])).stderr).toContain('exists already');
    const relinked = await sendtrail(env, ['users', 'link', '--email', 'admin@localhost']);
    expect(relinked.stdout).toMatch(/^\s+http:\/\/localhost:3000\/sign-in#link=[A-Za-z0-9_-]{43}$/m);
    expect((await sendtrail(env, ['users', 'disable', '--email', 'ann@example.org'])).code).toBe(0);

    const list = await sendtrail(env, ['users', 'list']);
    expect(list.stdout).toMatch(/^admin@localhost {2}admin {2}enabled {2}no password yet/m);
    expect(list.stdout).toMatch(/^ann@example\.org {2}viewer {2}disabled/m);
    expect(list.stdout).toMatch(/^bob@example\.org {2}admin {2}enabled {2}password/m);
    expect(list.stdout).not.toContain('long password');

    const restarted = await startSendtrailProcess(env);
    try {
      expect(restarted.output()).not.toContain('#link=');
      const bob = await post(restarted.url!, '/v1/session', { email: 'bob@example.org', password: 'bob\'s long password' });
      expect(bob.status).toBe(200);
    } finally {
      await restarted.stop();
    }
  }, 180_000);

  it('lists users in the usage text', async () => {
    const help = await sendtrail({}, ['help']);
    expect(help.stderr).toContain('users create --email E');
    expect(help.stderr).toContain('users disable --email E');
  });
});

describe('on PostgreSQL', () => {
  it('creates the first admin from SENDTRAIL_ADMIN_EMAIL and _PASSWORD, and manages users while Sendtrail runs', async () => {
    const { url, drop } = await createTestDatabase();
    const dataDir = await mkdtemp(join(tmpdir(), 'sendtrail-users-pg-'));
    const password = 'the first admin password';
    const env = { DATABASE_URL: url, SENDTRAIL_DATA_DIR: dataDir };
    const proc = await startSendtrailProcess({ ...env, SENDTRAIL_ADMIN_EMAIL: 'ops@example.org', SENDTRAIL_ADMIN_PASSWORD: password, LOG_LEVEL: 'debug' });
    try {
      expect(proc.output()).toContain('Dashboard admin ops@example.org created with SENDTRAIL_ADMIN_PASSWORD');
      expect(proc.output()).not.toContain('#link=');
      const ops = await post(proc.url!, '/v1/session', { email: 'ops@example.org', password });
      expect(ops.status).toBe(200);

      const created = await sendtrail(env, ['users', 'create', '--email', 'viewer@example.org', '--password-stdin'], 'a viewer\'s password\n');
      expect(created.code, created.stderr).toBe(0);
      const viewer = await post(proc.url!, '/v1/session', { email: 'viewer@example.org', password: 'a viewer\'s password' });
      expect(viewer.status).toBe(200);
      const cookie = viewer.headers.get('set-cookie')!.split(';')[0]!;
      const session = () => fetch(`${proc.url}/v1/session`, { headers: { cookie } });
      expect((await session()).status).toBe(200);

      expect((await sendtrail(env, ['users', 'disable', '--email', 'viewer@example.org'])).code).toBe(0);
      expect((await session()).status).toBe(401);
      expect((await sendtrail(env, ['users', 'list'])).stdout).toMatch(/^viewer@example\.org {2}viewer {2}disabled/m);
      expect((await sendtrail(env, ['users', 'disable', '--email', 'ops@example.org'])).stderr).toContain('last enabled admin');
      for (const secret of [password, 'a viewer\'s password', cookie.split('=')[1]!]) expect(proc.output()).not.toContain(secret);
    } finally {
      await proc.stop();
      await rm(dataDir, { recursive: true, force: true });
      await drop();
    }
  }, 180_000);
});
