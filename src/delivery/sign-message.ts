// DKIM-signs an outgoing message when its sender domain has a key: RSA through nodemailer's
// signer, Ed25519 by building the message and signing it with mailauth (nodemailer cannot).
import { domainOf } from '../sending/index.ts';
import { needsRawSigning, nodemailerDkimOptions, signRawMessage, type DkimSigner } from './dkim/index.ts';
import { composeMessage } from './mime/compose-message.ts';
import type { OutgoingMessage } from './transports/transport.ts';

export function createMessageSigner(signer: DkimSigner) {
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
