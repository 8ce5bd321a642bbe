// The Overview and Email Logs loaded in headless Chromium (Debian's, through playwright-core), signed
// in by the session cookie: the time from the start of the navigation until the screen shows its
// data, taken inside the page. A MutationObserver installed before the app's scripts watches the DOM;
// once the data is there, the next animation frame (the first that can paint it) is the mark.
//   Overview: every metric card's value is a number and the chart's canvas is drawn ("cards and
//   chart"); then the mailbox-provider table has a row ("whole screen").
//   Email Logs: the first row of the table.
// Each round opens each screen twice: a first visit (a new browser context, so nothing cached) and
// a return visit (the same page navigated again: scripts from the HTTP cache, every API call made
// again). Resource Timing gives, for each load, when the app asked for the data it waits on and when
// the answer arrived, so a page time splits into loading the app, waiting for the API and drawing.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../../test/support/browser.ts';
import { SESSION_COOKIE } from '../../src/http/auth.ts';
import { latencyOf, type Latency } from '../stats/queries.ts';
import { TIME_ZONE } from './api-calls.ts';

export type Screen = 'Overview' | 'Email Logs';
export type Visit = 'first visit' | 'return visit';

/** One load, ms from the navigation's start. */
type Load = {
  shown: number;
  complete?: number;
  /** The document's response. */
  document: number;
  /** When the app asked for the call its data comes from, and when the answer arrived. */
  asked: number;
  answered: number;
};

export type LoadResult = {
  screen: Screen;
  visit: Visit;
  shown: Latency;
  complete?: Latency;
  document: Latency;
  asked: Latency;
  waited: Latency;
  drawn: Latency;
  errors: string[];
};

const SCREENS: Record<Screen, { path: string; dataCall: RegExp }> = {
  Overview: { path: '/', dataCall: /\/v1\/stats\?(?!.*group_by)/ },
  'Email Logs': { path: '/email-logs', dataCall: /\/v1\/emails\?limit=50/ },
};

/**
 * Runs in the page before its scripts and records the marks on globalThis.__bench. Plain source,
 * not a function: the page's CSP forbids eval, and a transpiled function may call helpers the page
 * does not have.
 */
const WATCH_FOR_DATA = `(() => {
  const marks = (globalThis.__bench = {});
  const at = (name) => {
    marks[name] = -1;
    requestAnimationFrame(() => (marks[name] = performance.now()));
  };
  const isNumber = (el) => /^\\d[\\d,]*$/.test((el.textContent || '').trim());
  const check = () => {
    if (location.pathname === '/email-logs') {
      if (marks.shown === undefined && document.querySelector('tbody tr[data-email-id]')) at('shown');
      return;
    }
    if (marks.shown === undefined) {
      const values = [...document.querySelectorAll('[data-metric] [data-value]')];
      const canvas = document.querySelector('figure .uplot canvas');
      if (values.length > 0 && values.every(isNumber) && canvas && canvas.width > 0) at('shown');
    }
    if (marks.complete === undefined && marks.shown !== undefined && document.querySelector('[data-provider]')) at('complete');
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, characterData: true, attributes: true });
})();`;

async function newContext(browser: Browser, base: string, cookie: string): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, timezoneId: TIME_ZONE, locale: 'en-US', colorScheme: 'light' });
  await context.addCookies([{ name: SESSION_COOKIE, value: cookie, url: base, httpOnly: true, sameSite: 'Lax' }]);
  await context.addInitScript({ content: WATCH_FOR_DATA });
  return context;
}

async function load(page: Page, base: string, screen: Screen, errors: string[]): Promise<Load> {
  await page.goto(`${base}${SCREENS[screen].path}`, { waitUntil: 'commit' });
  const deadline = Date.now() + 120_000;
  for (;;) {
    const m = await page.evaluate(() => (globalThis as unknown as { __bench?: { shown?: number; complete?: number } }).__bench);
    if (m && (m.shown ?? 0) > 0 && (screen !== 'Overview' || (m.complete ?? 0) > 0)) break;
    if (Date.now() > deadline) throw new Error(`${screen} did not show its data within 120 s (${page.url()})`);
    await new Promise((r) => setTimeout(r, 25));
  }
  const got = await page.evaluate(() => {
    const g = globalThis as unknown as { __bench: { shown: number; complete?: number }; performance: { getEntriesByType(t: string): Array<{ name: string; startTime: number; responseEnd: number; initiatorType?: string }> } };
    const nav = g.performance.getEntriesByType('navigation')[0]!;
    const calls = g.performance.getEntriesByType('resource').filter((e) => e.initiatorType === 'fetch').map((e) => ({ name: e.name, start: e.startTime, end: e.responseEnd }));
    return { marks: g.__bench, document: nav.responseEnd, calls };
  });
  if (new URL(page.url()).pathname !== SCREENS[screen].path) errors.push(`${screen} ended at ${page.url()}`);
  // The first answer of the call the data comes from (a live refetch may follow).
  const call = got.calls.find((c) => SCREENS[screen].dataCall.test(c.name));
  if (!call) throw new Error(`${screen}: no ${SCREENS[screen].dataCall} call among ${got.calls.map((c) => c.name).join(', ')}`);
  return { shown: got.marks.shown, complete: got.marks.complete, document: got.document, asked: call.start, answered: call.end };
}

export async function measurePageLoads(
  base: string,
  cookie: string,
  options: { warmup: number; rounds: number },
  log: (msg: string) => void,
): Promise<LoadResult[]> {
  const browser = await launchChromium();
  const loads = new Map<string, Load[]>();
  const errors = new Map<string, string[]>();
  const keyOf = (screen: Screen, visit: Visit) => `${screen}|${visit}`;
  try {
    for (let round = 0; round < options.warmup + options.rounds; round++) {
      const order: Screen[] = round % 2 === 0 ? ['Overview', 'Email Logs'] : ['Email Logs', 'Overview'];
      for (const screen of order) {
        const context = await newContext(browser, base, cookie);
        try {
          const page = await context.newPage();
          const pageErrors: string[] = [];
          page.on('pageerror', (err) => pageErrors.push(`uncaught: ${err.message}`));
          page.on('console', (msg) => {
            if (msg.type() === 'error') pageErrors.push(msg.text());
          });
          for (const visit of ['first visit', 'return visit'] as const) {
            const key = keyOf(screen, visit);
            const l = await load(page, base, screen, pageErrors);
            if (round < options.warmup) continue;
            loads.set(key, [...(loads.get(key) ?? []), l]);
            errors.set(key, [...(errors.get(key) ?? []), ...pageErrors.splice(0)]);
          }
        } finally {
          await context.close();
        }
      }
      if (round >= options.warmup && (round - options.warmup + 1) % 5 === 0) log(`${round - options.warmup + 1} of ${options.rounds} rounds in the browser`);
    }
  } finally {
    await browser.close();
  }
  const results: LoadResult[] = [];
  for (const screen of ['Overview', 'Email Logs'] as const) {
    for (const visit of ['first visit', 'return visit'] as const) {
      const ls = loads.get(keyOf(screen, visit)) ?? [];
      results.push({
        screen,
        visit,
        shown: latencyOf(ls.map((l) => l.shown)),
        complete: screen === 'Overview' ? latencyOf(ls.map((l) => l.complete!)) : undefined,
        document: latencyOf(ls.map((l) => l.document)),
        asked: latencyOf(ls.map((l) => l.asked)),
        waited: latencyOf(ls.map((l) => l.answered - l.asked)),
        drawn: latencyOf(ls.map((l) => l.shown - l.answered)),
        errors: [...new Set(errors.get(keyOf(screen, visit)) ?? [])],
      });
    }
  }
  return results;
}
