// The README is the product's front door: what it tells a new user must hold, and its commands
// must work as written.
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SIMULATOR_BEHAVIOURS } from '../src/delivery/index.ts';
import { REPO_ROOT, startSendtrailProcess } from './support/sendtrail-process.ts';

const README = readFileSync(`${REPO_ROOT}README.md`, 'utf8');

describe('README', () => {
  it('documents every scripted address of the mailbox simulator, once', () => {
    const documented = [...README.matchAll(/^\| `([a-z]+)@simulator\.test` \| \S/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(SIMULATOR_BEHAVIOURS.map((b) => b.local).sort());
  });

  it('walks through the API with curl, as written, against `sendtrail start`, and shows what its comments promise', async () => {
    // The shell block that uses the API key: "Five minutes with the mailbox simulator".
    const block = [...README.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1]!).find((b) => b.includes('export KEY='));
    expect(block, 'the README has a shell block with `export KEY=`').toBeDefined();
    expect(() => execFileSync('curl', ['--version']), 'curl is installed (scripts/install-system-deps.sh)').not.toThrow();

    const dataDir = await mkdtemp(join(tmpdir(), 'sendtrail-readme-'));
    const proc = await startSendtrailProcess({ SENDTRAIL_DATA_DIR: dataDir });
    try {
      const key = /^\s+(st_\S+)$/m.exec(proc.output())?.[1];
      expect(key).toBeDefined();
      // What a user does: paste the printed key; the port is the test's own instead of 3000.
      const script = block!.replace('export KEY=st_...', `export KEY=${key}`).replaceAll('localhost:3000', `localhost:${new URL(proc.url!).port}`);
      expect(script).not.toMatch(/st_\.\.\.|localhost:3000/);
      // Each command is announced before it runs, so that its output can be told from the others'.
      const traced = `trap 'printf "\\n@@ %s\\n" "$BASH_COMMAND"' DEBUG\n${script}`;
      const { stdout } = await promisify(execFile)('bash', ['-e', '-o', 'pipefail', '-c', traced], {
        cwd: dataDir,
        env: { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH}` },
        timeout: 120_000,
      }).catch((err) => {
        throw new Error(`the README's commands failed: ${err.message}\n--- output ---\n${err.stdout}\n${err.stderr}`);
      });
      const runs = [...stdout.matchAll(/^@@ (.*)\n([\s\S]*?)(?=\n@@ |$)/gm)].map((m) => ({ command: m[1]!, output: m[2]!.trim() }));
      const answers = (command: RegExp) => runs.filter((r) => command.test(r.command)).map((r) => JSON.parse(r.output));

      const [sent] = answers(/^echo "\$SENT"/);
      expect(sent.data).toMatchObject([{ to: 'delivered@simulator.test', status: 'queued' }, { to: 'bounce@simulator.test', status: 'queued' }]);
      expect(answers(/\/v1\/emails\/\$ID -H/)).toMatchObject([{ to: 'delivered@simulator.test', status: 'delivered' }]);
      expect(answers(/\/v1\/emails\/\$ID\/events/)[0].data.map((e: { event_type: string }) => e.event_type)).toEqual(['queued', 'sent', 'delivered']);
      expect(answers(/status=bounced/)[0].data).toEqual([expect.objectContaining({ to: 'bounce@simulator.test', status: 'bounced' })]);
      expect(answers(/\$LATER\/cancel/)).toEqual([{ id: expect.any(String), status: 'cancelled' }]);
      const [stats, later] = answers(/\$CAMPAIGN\/stats/);
      expect(stats).toMatchObject({ counts: { delivered: 2, total: 2 }, rates: { delivery: 1 } });
      expect(later).toMatchObject({ engagement: { opens: { unique: 2 }, clicks: { unique: 1 } }, rates: { open: 1, click_to_open: 0.5 } });

      // What the comments say beyond the output: the scheduled email was scheduled, open@ lacked data.first.
      const api = async (path: string): Promise<any> => (await fetch(`${proc.url}${path}`, { headers: { authorization: `Bearer ${key}` } })).json();
      const cancelled = (await api('/v1/emails?status=cancelled')).data;
      expect(cancelled).toHaveLength(1);
      expect((await api(`/v1/emails/${cancelled[0].id}/events`)).data.map((e: { event_type: string }) => e.event_type)).toEqual(['scheduled', 'cancelled']);
      const campaignEmails = (await api(`/v1/emails?campaign_id=${stats.campaign_id}`)).data as Array<{ id: string; to: string }>;
      const openEmail = campaignEmails.find((e) => e.to === 'open@simulator.test')!;
      expect((await api(`/v1/emails/${openEmail.id}/events`)).data[0]).toMatchObject({ event_type: 'queued', metadata: { missing_fields: ['data.first'] } });
    } finally {
      await proc.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 240_000);
});
