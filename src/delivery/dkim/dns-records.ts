// The DNS records a domain owner publishes so receivers can check Sendtrail's mail (DKIM, SPF, DMARC).
import type { DkimAlgorithm } from './create-domain-key.ts';

export type DnsRecord = {
  type: 'TXT';
  /** Fully qualified owner name, without the trailing dot. */
  name: string;
  /** The record's text as one string, what DNS hosting panels ask for. */
  value: string;
  /** `value` cut into character-strings of at most 255 bytes (RFC 1035 section 3.3.14). */
  strings: string[];
  /** `strings` quoted for a zone file: `"v=DKIM1; ..." "...rest"`. */
  zoneValue: string;
  purpose: string;
};

const MAX_TXT_STRING = 255;

/**
 * `publicKey` is the base64 `p=` value as stored in domains.public_key. `bounceDomain` is the
 * envelope sender (Return-Path) domain when bounces go to a separate domain: SPF is checked
 * against that domain, not the From domain (RFC 7208 section 1.1.3).
 */
export function dnsRecordsFor(
  domain: string,
  selector: string,
  algorithm: DkimAlgorithm,
  publicKey: string,
  bounceDomain?: string,
): DnsRecord[] {
  const spfDomain = bounceDomain ?? domain;
  return [
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
