#!/usr/bin/env -S node --max-semi-space-size=4 --heap-growing-percent=50
// Entry point for `npx sendtrail` and `npm start`: runs the compiled CLI in dist/, which `npm ci`
// builds (the prepare script) and `npm run build` rebuilds after a change to src/.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(cli)) {
  console.error('Sendtrail is not built: run `npm run build` in its directory (`npm ci` does it too).');
  process.exit(1);
}
await import(cli.href);
