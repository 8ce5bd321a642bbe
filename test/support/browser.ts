// Debian's Chromium driven by playwright-core (no browser download is possible here), and what a
// dashboard test checks on every page: no console error, no CSP violation, no serious axe finding.
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REPO_ROOT } from './sendtrail-process.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOT_DIR = join(REPO_ROOT, 'test-results', 'screenshots');

/** Fails (never skips) without Chromium: CI installs it with scripts/install-system-deps.sh. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (bash scripts/install-system-deps.sh)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

export type PageWatch = {
  /** Console errors and uncaught exceptions, but for the expected ones. */
  errors: string[];
  cspViolations(): Promise<string[]>;
};

/**
 * Records what goes wrong on a page. `expected` lets through console errors a test provokes on
 * purpose (Chromium logs every 4xx answer to fetch, such as the 401 of a visitor not signed in).
 */
export async function watchPage(page: Page, expected: (text: string, url: string) => boolean = () => false): Promise<PageWatch> {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !expected(msg.text(), msg.location().url)) errors.push(`${msg.text()} (${msg.location().url})`);
  });
  page.on('pageerror', (err) => errors.push(`uncaught: ${err.message}`));
  // Added through the DevTools protocol, so the page's own CSP does not block the listener itself.
  await page.addInitScript(() => {
    // The page's globals, typed here: the test's tsconfig has Node's types, not the DOM's.
    const w = globalThis as unknown as BrowserGlobals;
    w.__csp = [];
    w.document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`));
  });
  return {
    errors,
    cspViolations: () => page.evaluate(() => (globalThis as unknown as BrowserGlobals).__csp ?? []),
  };
}

type CspViolation = { violatedDirective: string; blockedURI: string; sourceFile: string; lineNumber: number };
/** What the functions run in the page use of it. */
type BrowserGlobals = {
  __csp: string[];
  document: { addEventListener(type: 'securitypolicyviolation', listener: (e: CspViolation) => void): void };
};

let axeSource: string | undefined;

/** axe-core's serious and critical findings on the page as it is now (WCAG 2.1 A and AA). */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  axeSource ??= await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const { axe, document } = globalThis as unknown as BrowserGlobals & { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: Array<{ id: string; impact: string; help: string; nodes: Array<{ target: unknown[] }> }> }> } };
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => JSON.stringify(n.target)) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.targets.join(', ')}`);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}
