// The README is the product's front door: what it tells a new user must hold.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SIMULATOR_BEHAVIOURS } from '../src/delivery/index.ts';
import { REPO_ROOT } from './support/sendtrail-process.ts';

const README = readFileSync(`${REPO_ROOT}README.md`, 'utf8');

describe('README', () => {
  it('documents every scripted address of the mailbox simulator, once', () => {
    const documented = [...README.matchAll(/^\| `([a-z]+)@simulator\.test` \| \S/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(SIMULATOR_BEHAVIOURS.map((b) => b.local).sort());
  });
});
