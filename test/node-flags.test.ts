// `npm start`, `npx sendtrail` and the processes tests and benchmarks start run node with the same
// flags, so the memory figures measured on one hold for the others.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NODE_FLAGS, REPO_ROOT } from './support/sendtrail-process.ts';

const flagsOf = (commandLine: string) => commandLine.split(/\s+/).filter((word) => /^--[a-z-]+=/.test(word));

describe('node flags', () => {
  it('npm start and npm run sendtrail pass the flags the test and benchmark launcher passes', () => {
    const scripts = JSON.parse(readFileSync(`${REPO_ROOT}package.json`, 'utf8')).scripts as Record<string, string>;
    expect(flagsOf(scripts.start!)).toEqual(NODE_FLAGS);
    expect(flagsOf(scripts.sendtrail!)).toEqual(NODE_FLAGS);
  });

  it('the sendtrail bin script passes them in its shebang', () => {
    const shebang = readFileSync(`${REPO_ROOT}bin/sendtrail.js`, 'utf8').split('\n')[0]!;
    expect(shebang.startsWith('#!/usr/bin/env -S node ')).toBe(true);
    expect(flagsOf(shebang)).toEqual(NODE_FLAGS);
  });
});
