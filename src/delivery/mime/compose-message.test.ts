// composeMessage against nodemailer: the bytes its MIME tree streams for the same fields, and what its own
// pipeline sends (Bcc, list and priority headers, data: images, DKIM) for the same fields.
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import { simpleParser } from 'mailparser';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import { composeMessage } from './compose-message.ts';

const DATE = new Date('2024-05-06T07:08:09.000Z');
const PROPERTY_TIMEOUT = 120_000;

// ---- generated mails -------------------------------------------------------------------------

const localPart = fc.stringMatching(/^[a-z0-9]{1,8}([._+-][a-z0-9]{1,8}){0,2}$/);
const domain = fc.constantFrom('example.com', 'mail.example.org', 'bücher.example', 'münchen.example.de', 'xn--bcher-kva.example', 'post.例え.jp');
const addrSpec = fc.tuple(localPart, domain).map(([local, host]) => `${local}@${host}`);
const nameChar = fc.constantFrom('a', 'Z', 'q', ' ', ' ', '"', ',', "'", '.', ';', ':', '(', ')', '<', '>', '@', '\\', 'é', 'ü', 'Ω', '中', '😀', '\t');
const displayName = fc.oneof(
  fc.constantFrom('Ann Lee', 'Lee, Ann', 'Ann "The Boss" Lee', 'Zoë Ærøskøbing', '山田 太郎', '📨 Sendtrail', '"quoted"', ' spaced ', 'a\\b'),
  fc.string({ unit: nameChar, minLength: 1, maxLength: 30 }),
);
/** A mailbox as Sendtrail passes them: a bare address, a {name, address} object, or "Name" <address>. */
const mailbox = fc.oneof(
  addrSpec,
  fc.record({ name: displayName, address: addrSpec }),
  fc.tuple(displayName, addrSpec).map(([name, address]) => `"${name.replace(/["\\]/g, '\\$&')}" <${address}>`),
);

const subject = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  fc.string({ unit: 'grapheme-ascii', maxLength: 80 }),
  fc.constantFrom('Grüße 🎉 aus Köln', '  leading and trailing  ', '=?utf-8?Q?looks_encoded?=', 'Tab\tinside', 'Über 50 % Rabatt — nur heute!'),
  // very long: folded (ASCII) or split into encoded words (unicode)
  fc.tuple(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 }), fc.integer({ min: 8, max: 40 })).map(([s, n]) => s.repeat(n)),
  fc.tuple(fc.constantFrom(' ', '   ', '\t '), fc.string({ unit: 'grapheme', maxLength: 40 }), fc.constantFrom(' ', '  ', ' \t')).map((p) => p.join('')),
);

const bodyPiece = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  {
    weight: 4,
    arbitrary: fc.constantFrom('\r\n', '\n', '\r', ' ', '  ', '\t', '.', '\r\n.', '\n.', '..', '=', '=3D', '=\r\n', '= ', 'Grüße', '😀', ' \r\n', '\t\n', 'é', '\u00a0', 'From ', '--', '<p>', '</p>'),
  },
  // lines longer than 76 (no 7bit) and longer than 998 (RFC 5322 limit)
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 70, max: 1300 }), fc.constantFrom('x', 'ab ', 'é', 'ab.', '=', 'z\t', '中文'))
      .map(([n, unit]) => unit.repeat(Math.ceil(n / unit.length))),
  },
);
// Some bodies end in whitespace on purpose: quoted-printable encodes the last one as =20 or =09.
const body = fc
  .tuple(fc.array(bodyPiece, { maxLength: 30 }), fc.constantFrom('', '', '', ' ', '   ', '\t', ' \t'))
  .map(([pieces, end]) => pieces.join('') + end);
const html = fc.oneof(body, body.map((b) => `<!doctype html><html><body><p>${b}</p></body></html>`));

const headerName = fc.stringMatching(/^X-[A-Za-z][A-Za-z0-9-]{0,15}$/);
const headerValue = fc.oneof(
  fc.string({ unit: 'grapheme-ascii', maxLength: 100 }),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.constantFrom('ü', ' spaced ', 'a'.repeat(200), 'one, two; three', 'Grüße aus Köln '.repeat(8)),
);
const messageId = fc.tuple(localPart, domain).map(([local, host]) => `<${local}@${host}>`);

const mailArb: fc.Arbitrary<SendMailOptions> = fc
  .record({
    from: mailbox,
    to: fc.array(mailbox, { minLength: 1, maxLength: 3 }),
    cc: fc.option(fc.array(mailbox, { minLength: 1, maxLength: 2 }), { nil: undefined }),
    replyTo: fc.option(mailbox, { nil: undefined }),
    subject,
    shape: fc.constantFrom('text', 'html', 'text+html'),
    text: body,
    html,
    headers: fc.option(fc.dictionary(headerName, headerValue, { maxKeys: 4 }), { nil: undefined }),
    messageId: fc.option(messageId, { nil: undefined }),
  })
  .map(({ shape, text, html: htmlBody, cc, replyTo, headers, messageId: id, ...rest }) => {
    const mail: SendMailOptions = { ...rest, date: DATE };
    if (shape !== 'html') mail.text = text;
    if (shape !== 'text') mail.html = htmlBody;
    if (cc) mail.cc = cc;
    if (replyTo) mail.replyTo = replyTo;
    if (headers) mail.headers = headers;
    if (id) mail.messageId = id;
    return mail;
  });

// ---- helpers ---------------------------------------------------------------------------------

const pipeline = nodemailer.createTransport({ streamTransport: true, buffer: true });

/** What nodemailer's own pipeline makes of the fields. */
async function viaNodemailer(mail: SendMailOptions): Promise<{ raw: Buffer; envelope: unknown }> {
  const info = await pipeline.sendMail(mail);
  return { raw: info.message as Buffer, envelope: info.envelope };
}

/** Boundaries are random per compile: each distinct one becomes BOUNDARY-<n>, in order of appearance. */
function withPlaceholders(raw: Buffer): string {
  let text = raw.toString('latin1');
  const boundaries = [...new Set([...text.matchAll(/boundary="?([^";\s]+)"?/g)].map((m) => m[1]!))];
  boundaries.forEach((boundary, i) => {
    text = text.split(boundary).join(`BOUNDARY-${i}`);
  });
  // Content-IDs of images taken out of data: URIs are random too
  return text.replace(/[0-9a-f]{20}@localhost/g, 'CID@localhost');
}

/** Fresh copies, so neither side sees what the other may have done to the object. */
const copy = (mail: SendMailOptions): SendMailOptions => structuredClone(mail);

/** composeMessage() and nodemailer's pipeline for the mail, their bytes checked equal (boundaries aside). */
async function sameAsNodemailer(mail: SendMailOptions) {
  const ours = await composeMessage(copy(mail));
  const theirs = await viaNodemailer(copy(mail));
  expect(withPlaceholders(ours.raw)).toBe(withPlaceholders(theirs.raw));
  return { ours, theirs };
}

const lines = (raw: Buffer) => raw.toString('latin1').split(/\r\n|\r|\n/);

const PNG_1PX = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

function dkimFixture() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const p = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  // Fake DNS: this machine cannot resolve real domains; the record is the one we would publish.
  const resolver = async (name: string) => {
    if (name === 'st1._domainkey.example.com') return [[`v=DKIM1; k=rsa; p=${p}`]];
    throw Object.assign(new Error(`ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
  };
  const dkim = { domainName: 'example.com', keySelector: 'st1', privateKey: privateKey as unknown as string };
  return { dkim, resolver };
}

// ---- tests -----------------------------------------------------------------------------------

describe('composeMessage, byte for byte', () => {
  // A fixed baseBoundary and Message-ID (both random otherwise) make whole messages comparable.
  const fixed = (mail: SendMailOptions): SendMailOptions => ({ messageId: '<fixed@example.com>', ...copy(mail), baseBoundary: 'b0undary' });

  it(
    'writes the bytes nodemailer\'s MIME tree streams for the same fields, for 300 generated mails',
    async () => {
      await fc.assert(
        fc.asyncProperty(mailArb, async (mail) => {
          const { written, built } = await composedAndBuilt(mail);
          expect(written).toBe(built);
        }),
        { numRuns: 300 },
      );
    },
    PROPERTY_TIMEOUT,
  );

  it('writes text-only, html-only and text+html (multipart/alternative) mails as nodemailer does', async () => {
    const base = { from: 'Zoë <zoe@bücher.example>', to: 'ann@example.org', subject: 'Grüße', date: DATE, messageId: '<shapes@example.com>' };
    for (const mail of [
      { ...base, text: 'Hallo Ann,\r\nschöne Grüße.\r\n' },
      { ...base, html: '<p>Hallo <b>Ann</b></p>' },
      { ...base, text: 'Hi '.repeat(40), html: `<p>${'é'.repeat(300)}</p>` },
    ]) {
      const { written, built } = await composedAndBuilt(mail);
      expect(written).toBe(built);
    }
    const { written } = await composedAndBuilt({ ...base, text: 't', html: '<p>h</p>' });
    expect(written).toMatch(/^Content-Type: multipart\/alternative;/m);
  });

  // nodemailer's quoted-printable stream holds back the whitespace its input ends with and wraps it on
  // its own, so its soft line breaks differ from encoding the whole body at once.
  it('writes a quoted-printable body ending in whitespace after a wrapped line as nodemailer does', async () => {
    const mail = { from: 'a@example.com', to: 'b@example.com', date: DATE, messageId: '<m@x>', text: `${'a'.repeat(51)} ${'b'.repeat(51)} c  ` };
    const { written, built } = await composedAndBuilt(mail);
    expect(written).toContain('Content-Transfer-Encoding: quoted-printable');
    expect(written).toBe(built);
  });

  // The stream also encodes in 64 KiB slices, each slice's last line wrapped on its own.
  it('writes a quoted-printable body over 64 KiB as nodemailer does', async () => {
    const mail = { from: 'a@example.com', to: 'b@example.com', date: DATE, messageId: '<m@x>', text: `${'x'.repeat(102)}${'ab cdé fg. '.repeat(7000)}z` };
    const { written, built } = await composedAndBuilt(mail);
    expect(written).toContain('Content-Transfer-Encoding: quoted-printable');
    expect(written).toBe(built);
  });

  /** composeMessage() and MimeNode#build() for the same fields, as latin1 strings (one char per byte). */
  async function composedAndBuilt(mail: SendMailOptions): Promise<{ written: string; built: string }> {
    const written = (await composeMessage(fixed(mail))).raw.toString('latin1');
    const built = (await new MailComposer(fixed(mail)).compile().build()).toString('latin1');
    return { written, built };
  }
});

describe('composeMessage', () => {
  it('sends the bytes and the envelope of nodemailer’s own pipeline for text-only, html-only and text+html mails', async () => {
    const base: SendMailOptions = {
      from: { name: 'Zoë "Z" Ærø, Sendtrail', address: 'zoe@example.com' },
      to: ['Kunde <kunde@bücher.example>', 'ann@example.org'],
      cc: '"Lee, Ann" <lee@münchen.example.de>',
      replyTo: 'support@example.com',
      subject: '  Grüße 🎉 aus Köln — '.repeat(6),
      headers: { 'X-Sendtrail-ID': 'em_123', 'X-Campaign-Name': 'Frühjahr ✿ 2024' },
      date: DATE,
      messageId: '<fixed-1@example.com>',
    };
    const text = `Hallo,\r\n.leading dot\nlone LF\rlone CR\r\ntrailing  \r\n${'x'.repeat(1200)}\r\na=b\tc\r\n`;
    const htmlBody = `<p>Grüße ${'<span>é</span> '.repeat(100)}</p>\n.${'y'.repeat(1500)}`;
    for (const mail of [{ ...base, text }, { ...base, html: htmlBody }, { ...base, text, html: htmlBody }]) {
      const { ours, theirs } = await sameAsNodemailer(mail);
      expect(ours.envelope).toEqual(theirs.envelope);
    }
  });

  it('sends a prebuilt raw message as it is, with the envelope given', async () => {
    const raw = Buffer.from('From: a@example.com\r\nTo: b@example.com\r\nSubject: prebuilt\r\n\r\nBody \u00e9\r\n');
    const ours = await composeMessage({ raw, envelope: { from: 'bounce@example.com', to: ['b@example.com'] } });
    expect(ours.raw.equals(raw)).toBe(true);
    expect(ours.envelope).toEqual({ from: 'bounce@example.com', to: ['b@example.com'] });
  });

  it('gives the envelope nodemailer gives, with an IDN recipient domain in punycode', async () => {
    const mail: SendMailOptions = {
      from: 'News <news@example.com>',
      to: 'Kunde <kunde@bücher.example>',
      cc: ['yamada@post.例え.jp', 'kunde@bücher.example'],
      subject: 'IDN',
      text: 'hi',
      date: DATE,
      messageId: '<idn@example.com>',
    };
    const ours = await composeMessage(copy(mail));
    const theirs = await viaNodemailer(copy(mail));
    expect(ours.envelope).toEqual(theirs.envelope);
    expect(ours.envelope.from).toBe('news@example.com');
    expect(ours.envelope.to).toContain('kunde@xn--bcher-kva.example');
    expect(ours.envelope.to.every((address) => /^[\x21-\x7e]+$/.test(address))).toBe(true);
    expect(ours.raw.toString('latin1')).toMatch(/^To: Kunde <kunde@xn--bcher-kva\.example>\r$/m);
  });

  it('keeps an envelope given with the fields, as nodemailer does', async () => {
    const mail: SendMailOptions = {
      from: 'news@example.com',
      to: 'ann@example.org',
      subject: 'Envelope',
      text: 'hi',
      date: DATE,
      messageId: '<env@example.com>',
      envelope: { from: 'b+em_1@bounces.example.com', to: ['ann@example.org', 'hidden@bücher.example'] },
    };
    const ours = await composeMessage(copy(mail));
    const theirs = await viaNodemailer(copy(mail));
    expect(ours.envelope).toEqual(theirs.envelope);
    expect(ours.envelope).toEqual({ from: 'b+em_1@bounces.example.com', to: ['ann@example.org', 'hidden@xn--bcher-kva.example'] });
    expect(withPlaceholders(ours.raw)).toBe(withPlaceholders(theirs.raw));
  });

  it(
    'sends the bytes and the envelope of nodemailer’s own pipeline for 300 generated mails (boundaries aside)',
    async () => {
      await fc.assert(
        fc.asyncProperty(mailArb, async (generated) => {
          const mail = { ...generated, messageId: generated.messageId ?? '<generated@example.com>' };
          const { ours, theirs } = await sameAsNodemailer(mail);
          expect(ours.envelope).toEqual(theirs.envelope);
        }),
        { numRuns: 300 },
      );
    },
    PROPERTY_TIMEOUT,
  );

  it('sends HTML with a data: image as nodemailer does: with attachDataUrls, an inline image with a Content-ID the HTML points to', async () => {
    const mail: SendMailOptions = {
      from: 'news@example.com',
      to: 'ann@example.org',
      subject: 'Inline image',
      text: 'See the picture',
      html: `<p>Logo:</p><img alt="logo" src="data:image/png;base64,${PNG_1PX}">`,
      attachDataUrls: true,
      date: DATE,
      messageId: '<img@example.com>',
    };
    const { ours } = await sameAsNodemailer(mail);

    const parsed = await simpleParser(ours.raw, { keepCidLinks: true });
    expect(parsed.attachments).toHaveLength(1);
    const image = parsed.attachments[0]!;
    expect(image.contentType).toBe('image/png');
    expect(image.contentDisposition).toBe('inline');
    expect(image.content.equals(Buffer.from(PNG_1PX, 'base64'))).toBe(true);
    const cid = image.contentId!.replace(/^<|>$/g, '');
    expect(cid).toMatch(/@/);
    expect(parsed.html).toContain(`src="cid:${cid}"`);
    expect(parsed.html).not.toContain('data:');
    expect(parsed.text?.trim()).toBe('See the picture');
  });

  it('leaves a data: image in the HTML as nodemailer does when attachDataUrls is not set', async () => {
    const mail: SendMailOptions = {
      from: 'news@example.com',
      to: 'ann@example.org',
      html: `<img src="data:image/png;base64,${PNG_1PX}">`,
      date: DATE,
      messageId: '<img2@example.com>',
    };
    const { ours } = await sameAsNodemailer(mail);
    const parsed = await simpleParser(ours.raw, { keepCidLinks: true });
    expect(parsed.attachments).toHaveLength(0);
    expect(parsed.html).toContain(`data:image/png;base64,${PNG_1PX}`);
  });

  // nodemailer's stream transport sets keepBcc (its output is for inspection), its SMTP transport
  // does not: a message sent over SMTP must not carry its Bcc recipients in the headers.
  it('keeps Bcc recipients out of the headers and in the envelope, on the fast path and on the full pipeline', async () => {
    const base = { from: 'news@example.com', to: 'ann@example.org', bcc: 'secret@example.net', subject: 'Bcc', date: DATE, messageId: '<bcc@example.com>' };
    for (const mail of [
      { ...base, html: '<p>plain html</p>' },
      { ...base, html: `<img src="data:image/png;base64,${PNG_1PX}">`, attachDataUrls: true },
      { ...base, text: 'with attachment', attachments: [{ filename: 'a.txt', content: 'attached' }] },
    ]) {
      const { raw, envelope } = await composeMessage(copy(mail));
      expect(envelope.to).toContain('secret@example.net');
      expect(raw.toString('latin1')).not.toMatch(/^Bcc:/im);
      expect(raw.toString('latin1')).not.toContain('secret@example.net');
    }
  });

  // Mailer (not MailComposer) turns these fields into headers: setListHeaders, setPriorityHeaders, setMailerHeader.
  it('adds the List-*, priority and X-Mailer headers nodemailer’s pipeline adds for list, priority and xMailer', async () => {
    const mail: SendMailOptions = {
      from: 'news@example.com',
      to: 'ann@example.org',
      subject: 'List',
      text: 'hi',
      list: { unsubscribe: { url: 'https://example.com/u/1', comment: 'Unsubscribe' }, id: { url: 'news.example.com', comment: 'News' } },
      priority: 'high',
      xMailer: 'Sendtrail',
      date: DATE,
      messageId: '<list@example.com>',
    };
    const ours = await composeMessage(copy(mail));
    const theirs = await viaNodemailer(copy(mail));
    expect(theirs.raw.toString('latin1')).toMatch(/^List-Unsubscribe: <https:\/\/example\.com\/u\/1> \(Unsubscribe\)\r$/m);
    expect(withPlaceholders(ours.raw)).toBe(withPlaceholders(theirs.raw));
  });

  it('signs with DKIM so that the signature verifies, and leaves the message below the signature unchanged', async () => {
    const { dkim, resolver } = dkimFixture();
    const mails: SendMailOptions[] = [
      {
        from: 'News <news@example.com>',
        to: ['ann@example.org', 'kunde@bücher.example'],
        subject: 'Grüße 🎉',
        text: `Hallo,\r\n.dot\r\ntrailing \t\r\n${'é'.repeat(600)}\r\n`,
        html: `<p>${'Grüße '.repeat(50)}</p>`,
        headers: { 'X-Sendtrail-ID': 'em_dkim' },
        date: DATE,
        messageId: '<dkim@example.com>',
      },
      // the full pipeline: the image becomes an attachment before signing
      { from: 'news@example.com', to: 'ann@example.org', subject: 'img', html: `<img src="data:image/png;base64,${PNG_1PX}">`, attachDataUrls: true, date: DATE, messageId: '<dkim2@example.com>' },
    ];
    for (const mail of mails) {
      const unsigned = await composeMessage(copy(mail));
      const signed = await composeMessage({ ...copy(mail), dkim });
      const { results } = await dkimVerify(signed.raw, { resolver });
      expect(results.map((r) => r.status.result)).toEqual(['pass']);
      expect(results[0]!.signingDomain).toBe('example.com');

      const text = signed.raw.toString('latin1');
      const header = /^DKIM-Signature:[^\r\n]*\r\n(?:[ \t][^\r\n]*\r\n)*/.exec(text);
      expect(header).not.toBeNull();
      expect(withPlaceholders(Buffer.from(text.slice(header![0].length), 'latin1'))).toBe(withPlaceholders(unsigned.raw));
      expect(signed.envelope).toEqual(unsigned.envelope);
    }
  });

  it(
    'ends every message with CRLF and writes no line over 998 octets, for 200 generated mails whose body does not end in a bare LF',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          mailArb.filter((mail) => [mail.text, mail.html].every((b) => !/(^|[^\r])\n$/.test(String(b ?? '')))),
          async (mail) => {
            const { raw } = await composeMessage(mail);
            expect(raw.subarray(-2).toString('latin1')).toBe('\r\n');
            const longest = Math.max(...lines(raw).map((line) => Buffer.byteLength(line, 'latin1')));
            expect(longest).toBeLessThanOrEqual(998);
          },
        ),
        { numRuns: 200 },
      );
    },
    PROPERTY_TIMEOUT,
  );

  it('wraps a body line longer than 998 characters, in text and in HTML', async () => {
    const long = `${'x'.repeat(2500)} ${'ab '.repeat(600)}`;
    const mail: SendMailOptions = { from: 'news@example.com', to: 'ann@example.org', subject: 'Long', text: long, html: `<p>${'é'.repeat(1500)}</p>`, date: DATE, messageId: '<long@example.com>' };
    const { raw } = await composeMessage(mail);
    expect(Math.max(...lines(raw).map((line) => line.length))).toBeLessThanOrEqual(998);
    const parsed = await simpleParser(raw);
    expect(parsed.text).toBe(long);
    expect(parsed.html).toBe(`<p>${'é'.repeat(1500)}</p>`);
    expect(raw.subarray(-2).toString('latin1')).toBe('\r\n');
  });

  it('ends a message with CRLF after a body ending without a line break or in a bare CR', async () => {
    for (const text of ['no line break', 'bare CR\r', 'Grüße ohne Zeilenende', 'CRLF\r\n']) {
      const { raw } = await composeMessage({ from: 'a@example.com', to: 'b@example.com', text, date: DATE, messageId: '<end@example.com>' });
      expect(raw.subarray(-2).toString('latin1')).toBe('\r\n');
      expect(raw.subarray(-4).toString('latin1')).not.toBe('\r\n\r\n');
    }
  });

  // nodemailer's LastNewline only ensures that some line break ends the message: a 7bit body that ends in
  // a bare LF is sent as it is (the SMTP DATA stream turns the bare LF into CRLF on the wire).
  it('ends a 7bit body that ends in a bare LF with that LF, as nodemailer’s pipeline does', async () => {
    const mail: SendMailOptions = { from: 'a@example.com', to: 'b@example.com', text: 'hi\n', date: DATE, messageId: '<lf@example.com>' };
    const ours = await composeMessage(copy(mail));
    const theirs = await viaNodemailer(copy(mail));
    expect(ours.raw.equals(theirs.raw)).toBe(true);
    expect(ours.raw.subarray(-3).toString('latin1')).toBe('hi\n');
  });
});
