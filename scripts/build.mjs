#!/usr/bin/env node
// Builds what ships: src/ compiled to dist/ by tsc (tsconfig.build.json), plus the files that are
// not TypeScript (the scanner signature lists), copied beside the modules that read them. Runs at
// `npm ci` (prepare), before the tests and in the benchmark's snapshot. Plain JavaScript: it must
// run before anything is built.
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const dist = join(root, 'dist');

// A clean build: a module deleted from src/ must not live on in dist/.
rmSync(dist, { recursive: true, force: true });
let tsc;
try {
  tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
} catch {
  console.error('sendtrail build: TypeScript is not installed; `npm ci` installs it (it is a dependency, not a dev one).');
  process.exit(1);
}
try {
  // --noCheck: transpile only. Type checking is `npm run typecheck` (part of `npm test`); without
  // it the build needs no @types packages, so an install without dev dependencies builds too.
  execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--noCheck'], { stdio: 'inherit' });
} catch {
  console.error('sendtrail build: tsc could not compile (above); dist/ is incomplete.');
  process.exit(1);
}

const isSource = (name) => name.endsWith('.ts');
for (const file of readdirSync(src, { recursive: true, withFileTypes: true })) {
  if (!file.isFile() || isSource(file.name)) continue;
  const from = join(file.parentPath, file.name);
  cpSync(from, join(dist, relative(src, from)));
}
