// The process tests run what ships (bin/sendtrail.js over dist/, the dashboard from web/dist):
// build each first when its sources have changed since its last build, so a test never passes or
// fails on yesterday's code.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const newestMtime = (dir: string, skip: (name: string) => boolean) => {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const file of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (file.isFile() && !skip(file.name)) newest = Math.max(newest, statSync(join(file.parentPath, file.name)).mtimeMs);
  }
  return newest;
};

const mtimeOf = (path: string) => {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
};

export function ensureBuilt(root: string): void {
  const build = join(root, 'scripts', 'build.mjs');
  const serverInputs = Math.max(
    newestMtime(join(root, 'src'), (name) => name.endsWith('.test.ts')),
    ...['tsconfig.json', 'tsconfig.build.json', 'scripts/build.mjs'].map((f) => mtimeOf(join(root, f))),
  );
  const webInputs = Math.max(
    newestMtime(join(root, 'web', 'src'), () => false),
    newestMtime(join(root, 'web', 'public'), () => false),
    ...['web/index.html', 'web/vite.config.ts', 'web/tsconfig.json', 'scripts/build.mjs', 'package-lock.json'].map((f) => mtimeOf(join(root, f))),
  );
  const stale = [
    mtimeOf(join(root, 'dist', 'cli', 'main.js')) > serverInputs ? undefined : '--server',
    mtimeOf(join(root, 'web', 'dist', '.vite', 'manifest.json')) > webInputs ? undefined : '--web',
  ].filter((part) => part !== undefined);
  if (stale.length === 0) return;
  console.log(`building ${stale.map((p) => (p === '--server' ? 'dist/' : 'web/dist/')).join(' and ')} (sources changed since the last build)`);
  execFileSync(process.execPath, [build, root, ...stale], { stdio: 'inherit' });
}
