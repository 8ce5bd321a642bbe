// Owns the tests of `sendtrail bounce classify`: the real command, its exact output shape, mbox files.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CORPUS = join(ROOT, 'test/fixtures/bounces/corpus');
const KEYS = ['recipient', 'action', 'status', 'reply_code', 'reason', 'hard', 'feedback', 'feedback_type', 'vacation'];
const dir = mkdtempSync(join(tmpdir(), 'sendtrail-classify-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function sendtrail(...args: string[]): Promise<{ lines: Record<string, unknown>[]; stderr: string; code: number }> {
  const run = promisify(execFile)(process.execPath, [join(ROOT, 'bin/sendtrail.js'), ...args], { cwd: dir });
  const { stdout, stderr, code } = await run.then((r) => ({ ...r, code: 0 }), (error: { stdout: string; stderr: string; code: number }) => error);
  return { lines: stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>), stderr, code };
}

describe('sendtrail bounce classify', () => {
  it('prints one JSON object a line per file, with exactly the documented keys', async () => {
    const exim = join(CORPUS, 'exim/lhost-exim-02.eml');
    const notBounce = join(CORPUS, 'not-bounce/is-not-bounce-02.eml');
    const { lines, code } = await sendtrail('bounce', 'classify', exim, notBounce);
    expect(code).toBe(0);
    expect(lines).toEqual([
      { file: exim, results: [
        { recipient: 'kijitora@example.jp', action: 'failed', status: '5.1.1', reply_code: 550, reason: 'userunknown', hard: true, feedback: false, feedback_type: null, vacation: false },
        expect.objectContaining({ recipient: 'sabatora@example.jp', action: 'failed', reply_code: 550, feedback: false, vacation: false }),
      ] },
      { file: notBounce, results: [] },
    ]);
    for (const result of lines[0]?.results as Record<string, unknown>[]) expect(Object.keys(result)).toEqual(KEYS);
  });

  it('gives the results of every message in an mbox file, complaints included', async () => {
    const mbox = join(dir, 'two.mbox');
    const postfix = readFileSync(join(CORPUS, 'qmail/lhost-qmail-16.eml'), 'latin1');
    const arf = readFileSync(join(CORPUS, 'arf/arf-02.eml'), 'latin1');
    writeFileSync(mbox, `From MAILER-DAEMON Mon Sep 20 19:29:27 2021\n${postfix}\nFrom feedback@arf.mail.yahoo.com Mon Sep 20 19:30:00 2021\n${arf}`, 'latin1');
    const { lines } = await sendtrail('bounce', 'classify', mbox);
    expect(lines).toEqual([{ file: mbox, results: [
      expect.objectContaining({ recipient: 'userunknown@libsisimai.net', reason: 'userunknown', hard: true, feedback: false }),
      expect.objectContaining({ recipient: 'this-local-part-does-not-exist-on-yahoo@yahoo.com', reason: 'feedback', hard: false, feedback: true, feedback_type: 'abuse' }),
    ] }]);
  });

  it('reports an unreadable file on stderr, prints the others and exits 1', async () => {
    const exim = join(CORPUS, 'exim/lhost-exim-02.eml');
    const { lines, stderr, code } = await sendtrail('bounce', 'classify', join(dir, 'missing.eml'), exim);
    expect(code).toBe(1);
    expect(stderr).toContain('cannot read');
    expect(lines.map((line) => line.file)).toEqual([exim]);
  });
});
