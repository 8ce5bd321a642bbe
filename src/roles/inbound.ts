// The inbound role: the SMTP server for the bounce and reply domains (DSNs, complaints, replies and
// mailto unsubscribes become events), and the background task that forwards human replies to
// REPLY_FORWARD_TO through the relay.
import { readFile } from 'node:fs/promises';
import { classifyReturnedMessage } from '../bounces/index.ts';
import { relayRetryPolicyOf } from '../delivery/index.ts';
import { createForwardTransport, ingestMessage, startInboundSmtpServer, startReplyForwarding, type IngestDeps } from '../inbound/index.ts';
import { trackingKeys, verifyToken } from '../tracking/index.ts';
import type { Role } from './role.ts';

export const inboundRole: Role = {
  name: 'inbound',
  async start({ config, store, secret, projectId, log, workerId }, parts) {
    if (!projectId) throw new Error('the inbound role needs the default project (the owner of mail that matches no email)');
    const domains = { bounceDomain: config.BOUNCE_DOMAIN, replyDomain: config.REPLY_DOMAIN };
    const tls = config.INBOUND_TLS_KEY_FILE
      ? { key: await readFile(config.INBOUND_TLS_KEY_FILE), cert: await readFile(config.INBOUND_TLS_CERT_FILE) }
      : undefined;
    const forwardTransport = config.REPLY_FORWARD_TO && config.SMTP_URL
      ? createForwardTransport(config.SMTP_URL, config.REPLY_FORWARD_TO, `postmaster@${config.REPLY_DOMAIN}`)
      : undefined;
    if (forwardTransport) parts.add('reply forward transport', () => forwardTransport.close());
    // Forwards are work stored with each reply: started before the server, it also sends what an
    // earlier process left pending.
    const forwarding = forwardTransport
      ? startReplyForwarding({ db: store.db, holder: workerId, send: forwardTransport.send, retry: relayRetryPolicyOf(config), log })
      : undefined;
    if (forwarding) parts.add('reply forwarding', () => forwarding.stop());

    const unsubscribeKeys = trackingKeys(config.TRACKING_KEYS, secret);
    const ingestDeps: IngestDeps = {
      db: store.db,
      classify: classifyReturnedMessage,
      secret,
      domains,
      fallbackProjectId: projectId,
      softBounceSuppressCount: config.SOFT_BOUNCE_SUPPRESS_COUNT,
      forwardReplies: forwardTransport !== undefined,
      // The mailto of List-Unsubscribe carries the same signed token as the one-click URL.
      verifyUnsubscribeToken: async (token: string) => {
        const payload = verifyToken(unsubscribeKeys, token);
        return payload?.kind === 'unsubscribe' ? payload.emailId : undefined;
      },
    };
    const server = await startInboundSmtpServer({
      host: config.INBOUND_HOST,
      port: config.INBOUND_SMTP_PORT,
      domains,
      maxMessageBytes: config.INBOUND_MAX_MESSAGE_BYTES,
      tls,
      log,
      async ingest(envelope, raw) {
        const result = await ingestMessage(ingestDeps, envelope, raw);
        if (result.forwardPending) forwarding?.wake();
        return result;
      },
    });
    parts.add('inbound SMTP server', () => server.close());
    return { smtpUrl: server.url };
  },
};
