#!/usr/bin/env node
// Builds what ships: src/ compiled to dist/ by tsc (tsconfig.build.json), plus the files that are
// not TypeScript (the scanner signature lists), copied beside the modules that read them; and the
// dashboard, web/ built by Vite into web/dist. Runs at `npm ci` (prepare), before the tests and in
// the benchmark's snapshot. Plain JavaScript: it must run before anything is built.
//   node scripts/build.mjs [root] [--server] [--web] [--dev-web]   (no --server/--web: both)
// The dashboard is React's production build unless --dev-web asks for the development one (its
// readable warnings, three times the size), whatever NODE_ENV the caller runs under (vitest: test).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const root = args.find((a) => !a.startsWith('--')) ?? join(dirname(fileURLToPath(import.meta.url)), '..');
const devWeb = args.includes('--dev-web');
const only = new Set(args.filter((a) => a.startsWith('--') && a !== '--dev-web'));
const src = join(root, 'src');
const dist = join(root, 'dist');
if (only.size === 0 || only.has('--server')) buildServer();
// A copy of the server's sources alone (the benchmarks' snapshot) has no web/ to build.
if (only.has('--web') || (only.size === 0 && existsSync(join(root, 'web')))) buildWeb();

function buildServer() {
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
}

// Vite, run as its own process: its config is TypeScript, and its memory is gone when it ends.
// Like tsc, vite and its plugins are dependencies, so `npm ci --omit=dev` builds the dashboard too.
function buildWeb() {
  let vite;
  try {
    vite = join(dirname(createRequire(join(root, 'package.json')).resolve('vite/package.json')), 'bin', 'vite.js');
  } catch {
    console.error('sendtrail build: Vite is not installed; `npm ci` installs it (it is a dependency, not a dev one).');
    process.exit(1);
  }
  const web = join(root, 'web');
  try {
    // Vite keeps a NODE_ENV it finds set, and React's build follows it: set it, never inherit it.
    const mode = devWeb ? 'development' : 'production';
    execFileSync(process.execPath, [vite, 'build', web, '--config', join(web, 'vite.config.ts'), '--mode', mode, '--logLevel', 'warn'], {
      stdio: 'inherit',
      cwd: root,
      env: { ...process.env, NODE_ENV: mode },
    });
  } catch {
    console.error('sendtrail build: Vite could not build the dashboard (above); web/dist is incomplete, and / says so.');
    process.exit(1);
  }
}
