// The process tests run what ships (bin/sendtrail.js over dist/): build it first when src/ has
// changed since the last build, so a test never passes or fails on yesterday's code.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const newestMtime = (dir: string, skip: (name: string) => boolean) => {
  let newest = 0;
  for (const file of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (file.isFile() && !skip(file.name)) newest = Math.max(newest, statSync(join(file.parentPath, file.name)).mtimeMs);
  }
  return newest;
};

export function ensureBuilt(root: string): void {
  const inputs = Math.max(
    newestMtime(join(root, 'src'), (name) => name.endsWith('.test.ts')),
    ...['tsconfig.json', 'tsconfig.build.json', 'scripts/build.mjs'].map((f) => statSync(join(root, f)).mtimeMs),
  );
  let built = 0;
  try {
    built = statSync(join(root, 'dist', 'cli', 'main.js')).mtimeMs;
  } catch {
    // Not built yet.
  }
  if (built > inputs) return;
  console.log('building dist/ (src/ changed since the last build)');
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), root], { stdio: 'inherit' });
}
