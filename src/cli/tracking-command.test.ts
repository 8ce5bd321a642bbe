// `sendtrail tracking replay` as a user runs it: one JSON object of exactly the documented shape.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODE_FLAGS, REPO_ROOT } from '../../test/support/sendtrail-process.ts';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

async function sendtrail(args: string[], env: Record<string, string> = {}) {
  try {
    // The shipped command (bin/sendtrail.js running dist/), as the other process tests run it.
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [...NODE_FLAGS, 'bin/sendtrail.js', ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('sendtrail tracking replay', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'replay-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('prints the counts per message and a verdict per line, skipping bad lines with their number', async () => {
    const lines = [
      { kind: 'open', message: 'm1', ua: 'Mozilla/5.0', ip: '172.224.224.9', method: 'GET', seconds_after_send: 120 },
      { kind: 'open', message: 'm1', ua: CHROME, ip: '203.0.113.7', method: 'GET', seconds_after_send: 600 },
      { kind: 'open', message: 'm1', ua: CHROME, ip: '203.0.113.7', method: 'GET', seconds_after_send: 620 },
      { kind: 'click', message: 'm1', url: 'https://shop.example/a', ua: CHROME, ip: '203.0.113.7', method: 'GET', seconds_after_send: 630 },
      { kind: 'click', message: 'm1', url: 'https://shop.example/a', ua: 'Microsoft Office Existence Discovery', ip: '203.0.113.7', method: 'HEAD', seconds_after_send: 629 },
      { kind: 'click', message: 'm2', url: 'https://shop.example/b', ua: CHROME, ip: '198.51.100.4', method: 'GET', seconds_after_send: 400 },
    ].map((l) => JSON.stringify(l));
    lines.push('{"kind": "open", "message": "m2"'); // line 7: cut short
    lines.push(JSON.stringify({ kind: 'open', message: 'm2', ua: 'python-requests/2.31.0', ip: '192.0.2.1', method: 'GET', seconds_after_send: 2, extra: 'ignored' }));
    lines.push(JSON.stringify({ kind: 'click', message: 'm2', ua: CHROME, ip: '192.0.2.1', seconds_after_send: 50 })); // line 9: click without url
    const file = join(dir, 'hits.jsonl');
    await writeFile(file, `${lines.join('\n')}\n\n`);

    const { code, stdout, stderr } = await sendtrail(['tracking', 'replay', file]);
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(stdout)).toEqual({
      messages: {
        m1: { unique_opens: 1, total_opens: 1, open_backfilled: 0, apple_mpp_opens: 1, clicks: { 'https://shop.example/a': { unique: 1, total: 1 } } },
        m2: { unique_opens: 1, total_opens: 1, open_backfilled: 1, apple_mpp_opens: 0, clicks: { 'https://shop.example/b': { unique: 1, total: 1 } } },
      },
      hits: [
        { line: 1, counted: false, why: 'apple_mpp' },
        { line: 2, counted: true, why: null },
        { line: 3, counted: false, why: 'coalesced' },
        { line: 4, counted: true, why: null },
        { line: 5, counted: false, why: 'head_request' },
        { line: 6, counted: true, why: null },
        { line: 8, counted: false, why: 'scanner' },
      ],
    });
    expect(stderr).toMatch(/hits\.jsonl:7: skipped: not JSON/);
    expect(stderr).toMatch(/hits\.jsonl:9: skipped: a click needs its destination "url"/);
  });

  it('says clearly when the file cannot be read', async () => {
    const { code, stdout, stderr } = await sendtrail(['tracking', 'replay', join(dir, 'missing.jsonl')]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/cannot read .*missing\.jsonl/);
  });

  it('refuses a broken signature file named by TRACKING_SIGNATURES_DIR', async () => {
    await writeFile(join(dir, 'networks.tsv'), 'gateway\tnot-a-range\tall\tlocal\n');
    const { code, stderr } = await sendtrail(['tracking', 'replay', join(dir, 'hits.jsonl')], { TRACKING_SIGNATURES_DIR: dir });
    expect(code).toBe(1);
    expect(stderr).toMatch(/networks\.tsv:1: "not-a-range" is not a CIDR range/);
  });
});

describe('sendtrail tracking reclassify', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'reclassify-'));
  });
  afterAll(async () => rm(dataDir, { recursive: true, force: true }));

  it('runs on the embedded database and says what it changed', async () => {
    const { code, stdout } = await sendtrail(['tracking', 'reclassify', '--batch', '100'], { SENDTRAIL_DATA_DIR: dataDir });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Reclassified 0 hit\(s\) of 0 email\(s\): 0 verdict\(s\) changed/);
  }, 60_000);

  it('refuses a batch size that is not a positive integer', async () => {
    const { code, stderr } = await sendtrail(['tracking', 'reclassify', '--batch', '0'], { SENDTRAIL_DATA_DIR: dataDir });
    expect(code).toBe(2);
    expect(stderr).toContain('--batch is a positive integer');
  });
});
