// DKIM-signs an outgoing message when its sender domain has a key: RSA through nodemailer's
// signer, Ed25519 by building the message and signing it with mailauth (nodemailer cannot).
import nodemailer from 'nodemailer';
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { domainOf } from '../sending/index.ts';
import { createDkimSigner, needsRawSigning, nodemailerDkimOptions, signRawMessage } from './dkim/index.ts';
import type { OutgoingMessage } from './transports/transport.ts';

const composer = nodemailer.createTransport({ streamTransport: true, buffer: true });

export function createMessageSigner(db: Kysely<Database>) {
  const signer = createDkimSigner(db);
  return async (projectId: string, message: OutgoingMessage): Promise<OutgoingMessage> => {
    const fromAddress = /<([^>]+)>\s*$/.exec(String(message.mail.from))?.[1] ?? String(message.mail.from);
    const key = await signer.keyFor(projectId, domainOf(fromAddress));
    if (!key) return message;
    if (!needsRawSigning(key)) return { ...message, mail: { ...message.mail, dkim: nodemailerDkimOptions(key) } };
    const built = await composer.sendMail({ ...message.mail, envelope: message.envelope });
    const signed = await signRawMessage(built.message as Buffer, key);
    return { ...message, mail: { raw: signed } };
  };
}
