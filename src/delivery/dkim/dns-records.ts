// The DNS records a domain owner publishes so receivers can check Sendtrail's mail (DKIM, SPF, DMARC)
// and, when the bounce domain is known, so bounces and complaints come back to it (MX).
import type { DkimAlgorithm } from './create-domain-key.ts';

export type DnsRecord = {
  type: 'TXT' | 'MX';
  /** Fully qualified owner name, without the trailing dot. */
  name: string;
  /** The record's data as one string, what DNS hosting panels ask for (an MX: preference and host). */
  value: string;
  /** A TXT `value` cut into character-strings of at most 255 bytes (RFC 1035 section 3.3.14); an MX's value. */
  strings: string[];
  /** The data as a zone file writes it: `"v=DKIM1; ..." "...rest"`, or `10 mx.example.com.`. */
  zoneValue: string;
  purpose: string;
};

const MAX_TXT_STRING = 255;

/**
 * `publicKey` is the base64 `p=` value as stored in domains.public_key. `bounceDomain` is the
 * envelope sender (Return-Path) domain when bounces go to a separate domain: SPF is checked
 * against that domain, not the From domain (RFC 7208 section 1.1.3). `inbound` adds the MX of the
 * bounce domain: where DSNs, complaints and mailto unsubscribes sent to the return path arrive.
 */
export function dnsRecordsFor(
  domain: string,
  selector: string,
  algorithm: DkimAlgorithm,
  publicKey: string,
  bounceDomain?: string,
  inbound?: InboundMx,
): DnsRecord[] {
  const spfDomain = bounceDomain ?? domain;
  const records = [
    txt(
      `${selector}._domainkey.${domain}`,
      `v=DKIM1; k=${algorithm}; p=${publicKey}`,
      `DKIM: the public key receivers use to verify the signature Sendtrail adds to mail from ${domain}.`,
    ),
    txt(
      spfDomain,
      'v=spf1 a mx ~all',
      `SPF for the envelope sender domain ${spfDomain}. This is a template: Sendtrail cannot know ` +
        'the addresses your mail leaves from. Replace "a mx" with "ip4:<sending server address>" ' +
        'or "include:<your relay\'s SPF domain>". A domain may have only one SPF record: if one ' +
        'exists, add these mechanisms to it instead of publishing a second.',
    ),
    txt(
      `_dmarc.${domain}`,
      `v=DMARC1; p=none; rua=mailto:dmarc-reports@${domain}`,
      `DMARC: tells receivers to report (rua) but not yet reject mail from ${domain} that fails ` +
        'DKIM and SPF alignment. Point rua at a mailbox you read; once reports show all your mail ' +
        'passes, raise p to quarantine, then reject.',
    ),
  ];
  if (bounceDomain && inbound) records.push(bounceMx(bounceDomain, inbound));
  return records;
}

/** Where the inbound SMTP server is reached from the internet, when that is known. */
export type InboundMx = { host?: string };

const MX_PREFERENCE = 10;

function bounceMx(bounceDomain: string, inbound: InboundMx): DnsRecord {
  const host = inbound.host ?? '<host of your inbound server>';
  const value = `${MX_PREFERENCE} ${host}`;
  return {
    type: 'MX',
    name: bounceDomain,
    value,
    strings: [value],
    zoneValue: `${value}.`,
    purpose:
      `MX for the bounce domain ${bounceDomain}: every message's return path is b+<token>@${bounceDomain}, so ` +
      'delivery reports, bounces and complaints come back there, to the inbound SMTP server (--roles inbound, ' +
      'reached on port 25). One bounce domain serves every sending domain: publish this once. ' +
      (inbound.host ? `${inbound.host} is PUBLIC_URL's host: name the machine of the inbound role if it runs elsewhere.` : 'Set PUBLIC_URL to the public name of this server and the record names it.'),
  };
}

function txt(name: string, value: string, purpose: string): DnsRecord {
  const strings = splitTxtValue(value);
  return { type: 'TXT', name, value, strings, zoneValue: strings.map((s) => `"${s}"`).join(' '), purpose };
}

/** The values here are ASCII (base64 and tag lists), so characters equal bytes. */
export function splitTxtValue(value: string): string[] {
  const strings: string[] = [];
  for (let i = 0; i < value.length; i += MAX_TXT_STRING) strings.push(value.slice(i, i + MAX_TXT_STRING));
  return strings.length > 0 ? strings : [''];
}
