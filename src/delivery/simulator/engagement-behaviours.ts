// Simulated recipients who engage (issue 3 part 7): a person who opens, one who opens and clicks,
// and a security gateway that scans every link at delivery. They make real HTTP requests to the
// tracking endpoints (PUBLIC_URL), so a new user sees counted and uncounted traffic side by side.
import { simpleParser } from 'mailparser';
import type { AcceptedMessage, SimulatorBehaviour, SimulatorWorld } from './simulator-types.ts';

// User agents as these clients and scanners send them.
/** Apple Mail on macOS loading images itself (Mail Privacy Protection off). */
export const APPLE_MAIL_UA = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)';
/** The browser a link opens in. */
export const SAFARI_UA = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15';
/** Microsoft Safe Links detonation: an old desktop Chrome (Chrome/57 on Windows NT 6.1, gophish/gophish#973). */
export const SAFE_LINKS_UA = 'Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/57.0.2987.133 Safari/537.36';

// A person opens "a little after delivery": past the prefetch window (a hit within 5 s of sending is a prefetch).
export const HUMAN_OPEN_DELAY_MS = 8_000;
const CLICK_AFTER_OPEN_MS = 3_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The pixel and the rewritten links of a delivered message, in document order. */
export async function trackingUrls(raw: Buffer, publicUrl: string): Promise<{ pixel?: string; links: string[] }> {
  const parsed = await simpleParser(raw, { skipTextToHtml: true, skipImageLinks: true });
  const html = typeof parsed.html === 'string' ? parsed.html : '';
  const base = publicUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pixel = new RegExp(`src="(${base}/t/o/[A-Za-z0-9_-]+)"`).exec(html)?.[1];
  const links = [...html.matchAll(new RegExp(`href="(${base}/t/c/[A-Za-z0-9_-]+)"`, 'g'))].map((m) => m[1]!);
  return { pixel, links };
}

// redirect: 'manual': the destinations are the sender's real sites, which this machine may not reach.
const request = (url: string, ua: string, method: 'GET' | 'HEAD' = 'GET') =>
  fetch(url, { method, redirect: 'manual', headers: { 'user-agent': ua } }).then((r) => r.arrayBuffer());

async function personOpens(message: AcceptedMessage, world: SimulatorWorld) {
  await sleep(Math.max(0, message.acceptedAt.getTime() + (world.humanDelayMs ?? HUMAN_OPEN_DELAY_MS) - Date.now()));
  const urls = await trackingUrls(message.raw, world.publicUrl);
  if (urls.pixel) await request(urls.pixel, APPLE_MAIL_UA);
  return urls;
}

export const ENGAGEMENT_BEHAVIOURS: SimulatorBehaviour[] = [
  {
    local: 'open',
    description: 'accepted; a person opens it a few seconds after delivery (a counted open)',
    onRecipient: () => 'accept',
    afterAccept: async (message, world) => void (await personOpens(message, world)),
  },
  {
    local: 'click',
    description: 'accepted; a person opens it, then clicks the first link (a counted open and click)',
    onRecipient: () => 'accept',
    async afterAccept(message, world) {
      const { links } = await personOpens(message, world);
      await sleep(CLICK_AFTER_OPEN_MS);
      if (links[0]) await request(links[0], SAFARI_UA);
    },
  },
  {
    local: 'scanner',
    description: 'accepted; a security gateway fetches the pixel and every link (HEAD, then GET) within a second, and no person acts',
    onRecipient: () => 'accept',
    async afterAccept(message, world) {
      const { pixel, links } = await trackingUrls(message.raw, world.publicUrl);
      // Safe Links scans at delivery, HEAD then GET on each link, a few ms apart.
      await Promise.all(links.map(async (link, i) => {
        await sleep(i * 40);
        await request(link, SAFE_LINKS_UA, 'HEAD');
        await request(link, SAFE_LINKS_UA);
      }));
      if (pixel) await request(pixel, SAFE_LINKS_UA);
    },
  },
];
