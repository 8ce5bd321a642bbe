// Sends emails through Sendtrail to a local sink and collects the tracking paths (pixel and click
// tokens) of what arrived: the benchmark hits real tokens minted by the real send path.
import { simpleParser } from 'mailparser';
import type { SmtpSink } from '../../test/support/smtp-sink.ts';

export type TrackingPaths = { pixels: string[]; clicks: string[]; emails: number };

const HTML = `<!doctype html><html><body><h1>Hello {{data.name}}</h1>
<p>Our <a href="https://example.com/news?utm=1">news</a>, the <a href="https://example.com/shop">shop</a>
and <a href="https://example.com/help">help</a>.</p></body></html>`;

export async function prepareTrackingPaths(apiUrl: string, apiKey: string, sink: SmtpSink, count: number): Promise<TrackingPaths> {
  const before = sink.messages.length;
  for (let sent = 0; sent < count; sent += 50) {
    const to = Array.from({ length: Math.min(50, count - sent) }, (_, i) => `reader${sent + i}@example.com`);
    const res = await fetch(`${apiUrl}/v1/emails`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ from: 'news@example.com', to, subject: 'Tracking benchmark', html: HTML }),
    });
    if (res.status !== 202) throw new Error(`POST /v1/emails answered ${res.status}: ${await res.text()}`);
  }
  const messages = (await sink.waitFor(before + count, 120_000)).slice(before);
  const pixels: string[] = [];
  const clicks: string[] = [];
  for (const m of messages) {
    const html = String((await simpleParser(m.raw)).html || '');
    for (const [, path] of html.matchAll(/src="https?:\/\/[^/"]+(\/t\/o\/[^"]+)"/g)) pixels.push(path!);
    // The links a person sees: not the hidden honeypot link (aria-hidden), which only scanners follow.
    for (const [, path] of html.matchAll(/href="https?:\/\/[^/"]+(\/t\/c\/[^"]+)"(?![^>]*aria-hidden)/g)) clicks.push(path!);
  }
  if (pixels.length < count || clicks.length < count) {
    throw new Error(`expected a pixel and links in every message: found ${pixels.length} pixels and ${clicks.length} links in ${count} messages`);
  }
  return { pixels, clicks, emails: count };
}
