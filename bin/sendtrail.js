#!/usr/bin/env -S node --max-semi-space-size=4 --heap-growing-percent=50
// Entry point for `npx sendtrail`: runs the TypeScript CLI through tsx's loader, in this process.
import { register } from 'tsx/esm/api';
register();
await import('../src/cli/main.ts');
