import { describe, expect, it } from 'vitest';
import { createDomainKey } from './create-domain-key.ts';
import { dnsRecordsFor, splitTxtValue } from './dns-records.ts';

const byPurpose = (records: ReturnType<typeof dnsRecordsFor>, prefix: string) => {
  const record = records.find((r) => r.purpose.startsWith(prefix));
  if (!record) throw new Error(`no ${prefix} record`);
  return record;
};

describe('dnsRecordsFor', () => {
  const rsa = createDomainKey('rsa');

  it('gives the DKIM key at <selector>._domainkey.<domain>, cut into 255-character strings for zone files', () => {
    const records = dnsRecordsFor('example.com', 'st202405', 'rsa', rsa.publicKey);
    const dkim = byPurpose(records, 'DKIM');
    expect(dkim).toMatchObject({ type: 'TXT', name: 'st202405._domainkey.example.com' });
    expect(dkim.value).toBe(`v=DKIM1; k=rsa; p=${rsa.publicKey}`);
    // An RSA-2048 key does not fit one TXT string: the zone-file form must split it.
    expect(dkim.value.length).toBeGreaterThan(255);
    expect(dkim.strings.length).toBe(2);
    expect(dkim.strings.every((s) => s.length <= 255)).toBe(true);
    expect(dkim.strings.join('')).toBe(dkim.value);
    expect(dkim.zoneValue).toBe(`"${dkim.strings[0]}" "${dkim.strings[1]}"`);
  });

  it('marks an Ed25519 key with k=ed25519 and keeps its short value in one string', () => {
    const ed = createDomainKey('ed25519');
    const dkim = byPurpose(dnsRecordsFor('example.com', 'st202405', 'ed25519', ed.publicKey), 'DKIM');
    expect(dkim.value).toBe(`v=DKIM1; k=ed25519; p=${ed.publicKey}`);
    expect(dkim.strings).toEqual([dkim.value]);
    expect(dkim.zoneValue).toBe(`"${dkim.value}"`);
  });

  it('offers an SPF template on the domain and says the sending addresses must be filled in', () => {
    const spf = byPurpose(dnsRecordsFor('example.com', 's', 'rsa', rsa.publicKey), 'SPF');
    expect(spf.name).toBe('example.com');
    expect(spf.value).toMatch(/^v=spf1 .* ~all$/);
    expect(spf.purpose).toMatch(/template/);
    expect(spf.purpose).toMatch(/ip4:/);
  });

  it('puts SPF on the bounce domain when bounces use one, since SPF checks the envelope sender', () => {
    const records = dnsRecordsFor('example.com', 's', 'rsa', rsa.publicKey, 'bounces.example.com');
    expect(byPurpose(records, 'SPF').name).toBe('bounces.example.com');
    expect(byPurpose(records, 'DKIM').name).toBe('s._domainkey.example.com');
  });

  it('starts DMARC at p=none on _dmarc.<domain>, with reports to the domain', () => {
    const dmarc = byPurpose(dnsRecordsFor('example.com', 's', 'rsa', rsa.publicKey), 'DMARC');
    expect(dmarc.name).toBe('_dmarc.example.com');
    expect(dmarc.value).toBe('v=DMARC1; p=none; rua=mailto:dmarc-reports@example.com');
  });
});

describe('splitTxtValue', () => {
  it('cuts at exactly 255 characters and keeps an empty value as one empty string', () => {
    expect(splitTxtValue('a'.repeat(255))).toEqual(['a'.repeat(255)]);
    expect(splitTxtValue('a'.repeat(511)).map((s) => s.length)).toEqual([255, 255, 1]);
    expect(splitTxtValue('')).toEqual(['']);
  });
});
