// Turns a message's fields into the bytes sent after DATA. nodemailer does all of it (its Mailer,
// its MIME tree, every header and encoding), except the last step: a tree of string parts is written
// out in one synchronous pass instead of through nodemailer's chain of streams, which cost twice as
// much CPU as the rest of a send (npm run bench:compose).
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import DKIM from 'nodemailer/lib/dkim';
import * as base64 from 'nodemailer/lib/base64';
import * as qp from 'nodemailer/lib/qp';

/** The SMTP envelope as nodemailer derives and normalizes it (IDN domains in punycode, Bcc included). */
export type Envelope = { from: string | false; to: string[] };
export type ComposedMessage = { raw: Buffer; envelope: Envelope };

/** The part of nodemailer's MimeNode that is read here (its typings leave most of it out). */
type TreeNode = {
  buildHeaders(): string;
  getEnvelope(): Envelope;
  getTransferEncoding(): string | false;
  createReadStream(): Readable;
  content?: unknown;
  multipart?: string | false;
  boundary?: string;
  childNodes: TreeNode[];
};

// nodemailer's Mailer in front of a transport that only writes the message down: plugins, data:
// images (attachDataUrls), list, priority and X-Mailer headers and the envelope are nodemailer's, as
// for its SMTP transport (which, unlike its stream transport, leaves Bcc out of the headers).
const composer = nodemailer.createTransport({
  name: 'sendtrail-composer',
  version: '1',
  send(mail: { message: TreeNode; data: SendMailOptions }, callback: (err: Error | null, info?: ComposedMessage) => void) {
    // A prebuilt message (`raw`) is nodemailer's to pass on as it is.
    const atOnce = mail.data.raw === undefined && canWriteAtOnce(mail.message);
    writeMessage(mail.message, atOnce).then((raw) => callback(null, { raw, envelope: mail.message.getEnvelope() }), callback);
  },
} as unknown as Parameters<typeof nodemailer.createTransport>[0]);

/**
 * The message as it goes on the wire (before SMTP dot-stuffing), DKIM-signed when `mail.dkim` is
 * set, and its envelope: byte for byte what nodemailer's SMTP transport sends for the same fields.
 */
export async function composeMessage(mail: SendMailOptions): Promise<ComposedMessage> {
  const { dkim, ...fields } = mail;
  // nodemailer draws the random part of MIME boundaries from the system per part; see randomHex.
  fields.baseBoundary ??= randomHex();
  const composed = (await composer.sendMail(fields)) as unknown as ComposedMessage;
  return dkim ? { ...composed, raw: await signWithDkim(composed.raw, dkim) } : composed;
}

async function writeMessage(root: TreeNode, atOnce: boolean): Promise<Buffer> {
  if (atOnce) return writeTree(root);
  const chunks: Buffer[] = [];
  for await (const chunk of root.createReadStream()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

// nodemailer's quoted-printable stream holds back the whitespace its input ends with and encodes its
// input in 64 KiB slices; within these bounds its output is qp.wrap(qp.encode(text)), beyond them
// its soft line breaks fall elsewhere, so such a part goes through the streams.
const QP_AT_ONCE_MAX_BYTES = 60_000;

/** True when every part is a string or Buffer that writeTree writes as nodemailer's streams would. */
function canWriteAtOnce(node: TreeNode): boolean {
  const { content } = node;
  if (content !== undefined && content !== false && content !== null && content !== '') {
    if (typeof content !== 'string' && !Buffer.isBuffer(content)) return false;
    if (node.getTransferEncoding() === 'quoted-printable') {
      const last = typeof content === 'string' ? content.charCodeAt(content.length - 1) : content[content.length - 1];
      if (last === 0x20 || last === 0x09 || last === 0x0d || Buffer.byteLength(content) > QP_AT_ONCE_MAX_BYTES) return false;
    }
  }
  return node.childNodes.every(canWriteAtOnce);
}

/** MimeNode.stream() for string parts, without streams: the same bytes (compose-message.test.ts). */
function writeTree(root: TreeNode): Buffer {
  const out: string[] = [];
  writeNode(root, out);
  let message = out.join('');
  // nodemailer's LastNewline: the message ends with a line break.
  if (!message.endsWith('\n')) message += message.endsWith('\r') ? '\n' : '\r\n';
  return Buffer.from(message, 'utf8');
}

function writeNode(node: TreeNode, out: string[]): void {
  out.push(`${node.buildHeaders()}\r\n\r\n`);
  if (node.content) out.push(encodeContent(node.content as string | Buffer, node.getTransferEncoding()));
  if (!node.multipart) return;
  node.childNodes.forEach((child, i) => {
    out.push(`${i > 0 ? '\r\n' : ''}--${node.boundary}\r\n`);
    writeNode(child, out);
  });
  out.push(`\r\n--${node.boundary}--\r\n`);
}

function encodeContent(content: string | Buffer, transferEncoding: string | false): string {
  if (transferEncoding === 'quoted-printable') return qp.wrap(qp.encode(content), 76);
  if (transferEncoding === 'base64') return base64.wrap(base64.encode(content), 76);
  return content.toString();
}

// The random part of MIME boundaries: nodemailer draws 8 bytes from the system for every MIME part,
// a call that showed in the SMTP thread's profile; here they are drawn 4 KiB at a time.
let randomPool = Buffer.alloc(0);
let randomOffset = 0;
function randomHex(): string {
  if (randomOffset + 8 > randomPool.length) {
    randomPool = randomBytes(4096);
    randomOffset = 0;
  }
  randomOffset += 8;
  return randomPool.toString('hex', randomOffset - 8, randomOffset);
}

/** nodemailer's DKIM signer (RSA), which takes a parsed KeyObject. */
async function signWithDkim(raw: Buffer, options: NonNullable<SendMailOptions['dkim']>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of new DKIM(options).sign(raw)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
