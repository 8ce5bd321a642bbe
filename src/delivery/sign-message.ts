// DKIM-signs an outgoing message when its sender domain has a key: RSA through nodemailer's
// signer, Ed25519 by building the message and signing it with mailauth (nodemailer cannot).
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { domainOf } from '../sending/index.ts';
import { createDkimSigner, needsRawSigning, nodemailerDkimOptions, signRawMessage } from './dkim/index.ts';
import { composeMessage } from './mime/compose-message.ts';
import type { OutgoingMessage } from './transports/transport.ts';

export function createMessageSigner(db: Kysely<Database>) {
  const signer = createDkimSigner(db);
  return async (projectId: string, message: OutgoingMessage): Promise<OutgoingMessage> => {
    const fromAddress = /<([^>]+)>\s*$/.exec(String(message.mail.from))?.[1] ?? String(message.mail.from);
    const key = await signer.keyFor(projectId, domainOf(fromAddress));
    if (!key) return message;
    if (!needsRawSigning(key)) return { ...message, mail: { ...message.mail, dkim: nodemailerDkimOptions(key) } };
    const { raw } = await composeMessage({ ...message.mail, envelope: message.envelope });
    const signed = await signRawMessage(raw, key);
    return { ...message, mail: { raw: signed } };
  };
}
