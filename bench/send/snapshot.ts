// Copies the Sendtrail sources to a temp dir once per benchmark run and builds them there, so every
// child process runs the same code, as it ships (dist/), even while people keep editing the working
// tree (a half-saved edit once broke a run).
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type Snapshot = { root: string; describe: string; remove(): Promise<void> };

export async function snapshotSources(repoRoot: string): Promise<Snapshot> {
  const root = await mkdtemp(join(tmpdir(), 'sendtrail-bench-src-'));
  for (const entry of ['src', 'bin', 'scripts', 'package.json', 'tsconfig.json', 'tsconfig.build.json']) {
    await cp(join(repoRoot, entry), join(root, entry), { recursive: true });
  }
  await symlink(join(repoRoot, 'node_modules'), join(root, 'node_modules'), 'dir');
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), root], { stdio: 'inherit' });
  return { root: `${root}/`, describe: describeCode(repoRoot), remove: () => rm(root, { recursive: true, force: true }) };
}

/** "commit abc1234 + 12 changed files under src/" (read-only git, no index refresh). */
export function describeCode(repoRoot: string): string {
  try {
    const git = (...args: string[]) => execFileSync('git', ['--no-optional-locks', '-C', repoRoot, ...args], { encoding: 'utf8' }).trim();
    const changed = git('status', '--porcelain', '--', 'src').split('\n').filter(Boolean).length;
    return `commit ${git('rev-parse', '--short', 'HEAD')} + ${changed} changed or new files under src/`;
  } catch {
    return 'not a git checkout';
  }
}
