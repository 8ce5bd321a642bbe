// A batch of the log folded into rollup deltas: for each email the batch touched, its tally after
// the batch minus its tally before (both from its own log, cut at the cursors), spread over the
// email's dimensions. Taking differences of whole tallies is what makes a late event, a
// reclassification of an old hit or a first open that stops being counted come out right: only
// what changed moves, in the hour it belongs to.
import type { LogCursor } from '../../events/index.ts';
import { tallyEmail, type EmailTally } from '../counting-policy.ts';
import type { Client } from '../clients.ts';
import type { StatsHourlyCounter } from '../../store/database.ts';
import type { LoggedEmailEvent } from './email-log.repository.ts';

export const NO_CAMPAIGN = '00000000-0000-0000-0000-000000000000';
/** The tag of the rows that count every email once (tags themselves are never empty). */
export const ALL_TAGS = '';

export type EmailToFold = {
  projectId: string;
  campaignId: string | null;
  tags: readonly string[];
  sendingDomain: string;
  provider: string;
  /** Its events up to the batch's end, in id order. */
  log: readonly LoggedEmailEvent[];
  /** The tally of its events up to the batch's start, when the caller has it (else taken from `log`). */
  earlier?: EmailTally;
};

type Dims = { project_id: string; campaign_id: string; tag: string; sending_domain: string; provider: string };
export type HourlyDelta = Dims & { hour: Date; counters: Partial<Record<StatsHourlyCounter, number>> };
export type MachineDelta = Dims & { hour: Date; kind: string; why: string; n: number };
export type ClientDelta = { project_id: string; campaign_id: string; day: string; kind: string; client: string; os: string; device: string; n: number };
export type LinkDelta = { project_id: string; campaign_id: string; link_index: number; url: string; clicks: number; clickers: number };

export type RollupDeltas = {
  hourly: Map<string, HourlyDelta>;
  machine: Map<string, MachineDelta>;
  clients: Map<string, ClientDelta>;
  links: Map<string, LinkDelta>;
};

const atOrBefore = (txid: bigint, id: number, e: LoggedEmailEvent) => {
  const t = BigInt(e.txid);
  return t < txid || (t === txid && e.id <= id);
};

/**
 * What changed in each email's tally between `before` and the end of its log, and each email's
 * tally at the end of its log (in the order given).
 */
export function foldBatch(
  emails: Iterable<EmailToFold>,
  before: LogCursor,
  clientOf: (ua: string) => Client,
): { deltas: RollupDeltas; tallies: EmailTally[] } {
  const deltas: RollupDeltas = { hourly: new Map(), machine: new Map(), clients: new Map(), links: new Map() };
  const tallies: EmailTally[] = [];
  const txid = BigInt(before.txid);
  for (const email of emails) {
    const after = tallyEmail(email.log);
    const change = new Map(after.counts);
    const earlier = email.earlier ?? earlierTally(email.log, txid, before.id);
    if (earlier) {
      for (const [key, n] of earlier.counts) change.set(key, (change.get(key) ?? 0) - n);
    }
    spread(email, change, after, deltas, clientOf);
    tallies.push(after);
  }
  return { deltas, tallies };
}

function earlierTally(log: readonly LoggedEmailEvent[], txid: bigint, id: number): EmailTally | undefined {
  const earlier = log.filter((e) => atOrBefore(txid, id, e));
  return earlier.length > 0 ? tallyEmail(earlier) : undefined;
}

function spread(email: EmailToFold, change: Map<string, number>, after: EmailTally, deltas: RollupDeltas, clientOf: (ua: string) => Client): void {
  const campaign = email.campaignId ?? NO_CAMPAIGN;
  const tags = [ALL_TAGS, ...email.tags];
  const base = `${email.projectId}|${campaign}|${email.sendingDomain}|${email.provider}`;
  for (const [key, n] of change) {
    if (n === 0) continue;
    const parts = key.split('|');
    switch (parts[0]) {
      case 'h': {
        const [, hour, counter] = parts as [string, string, StatsHourlyCounter];
        for (const tag of tags) {
          const k = `${base}|${tag}|${hour}`;
          let d = deltas.hourly.get(k);
          if (!d) deltas.hourly.set(k, (d = { ...dimsOf(email, campaign, tag), hour: new Date(Number(hour)), counters: {} }));
          d.counters[counter] = (d.counters[counter] ?? 0) + n;
        }
        break;
      }
      case 'm': {
        const [, hour, kind, why] = parts as [string, string, string, string];
        for (const tag of tags) {
          const k = `${base}|${tag}|${hour}|${kind}|${why}`;
          const d = deltas.machine.get(k);
          if (d) d.n += n;
          else deltas.machine.set(k, { ...dimsOf(email, campaign, tag), hour: new Date(Number(hour)), kind, why, n });
        }
        break;
      }
      case 'c': {
        // The UA is last and may hold '|' itself.
        const [, day, kind] = parts as [string, string, string];
        const ua = parts.slice(3).join('|');
        const c = clientOf(ua);
        const k = `${email.projectId}|${campaign}|${day}|${kind}|${c.client}|${c.os}|${c.device}`;
        const d = deltas.clients.get(k);
        if (d) d.n += n;
        else deltas.clients.set(k, { project_id: email.projectId, campaign_id: campaign, day, kind, client: c.client, os: c.os, device: c.device, n });
        break;
      }
      case 'l': {
        // Links are a campaign's: a transactional email's links are its own.
        if (!email.campaignId) break;
        const [, index, counter] = parts as [string, string, 'clicks' | 'clickers'];
        const link = Number(index);
        const k = `${campaign}|${link}`;
        let d = deltas.links.get(k);
        if (!d) deltas.links.set(k, (d = { project_id: email.projectId, campaign_id: campaign, link_index: link, url: after.urls.get(link) ?? '', clicks: 0, clickers: 0 }));
        if (!d.url) d.url = after.urls.get(link) ?? '';
        d[counter] += n;
        break;
      }
    }
  }
}

const dimsOf = (email: EmailToFold, campaign: string, tag: string): Dims => ({
  project_id: email.projectId,
  campaign_id: campaign,
  tag,
  sending_domain: email.sendingDomain,
  provider: email.provider,
});

/** The lowercased domain of an address, bare or as `Name <local@domain>`; '' when there is none. */
export function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 0) return '';
  return address.slice(at + 1).replace(/>.*$/, '').trim().toLowerCase();
}
