// The scripted recipients of @simulator.test, as data: what the simulated MX answers to each.
// Add a row to add a behaviour; issues 3 and 4 add engagement and inbound ones (open@, complaint@ ...).
import { buildAutoReply, buildComplaint, buildDsn, buildHumanReply, replyAddressOf, sendToInbound } from './returned-mail.ts';

import { ENGAGEMENT_BEHAVIOURS } from './engagement-behaviours.ts';
import type { SimulatorBehaviour } from './simulator-types.ts';

export const SIMULATOR_DOMAIN = 'simulator.test';

/** Addresses that are on every project's suppression list, so sending to them is `rejected`. */
export const SIMULATOR_SUPPRESSED = [`suppressed@${SIMULATOR_DOMAIN}`];

export type { RcptAnswer, AcceptedMessage, SimulatorWorld, SimulatorBehaviour } from './simulator-types.ts';

export const SIMULATOR_BEHAVIOURS: SimulatorBehaviour[] = [
  { local: 'delivered', description: 'accepted: 250', onRecipient: () => 'accept' },
  {
    local: 'bounce',
    description: 'hard bounce: 550 5.1.1 user unknown',
    onRecipient: () => ({ code: 550, message: '5.1.1 <bounce@simulator.test>: Recipient address rejected: User unknown in virtual mailbox table' }),
  },
  {
    local: 'softbounce',
    description: 'mailbox full on every attempt (452 4.2.2) until retries expire: soft bounce',
    onRecipient: () => ({ code: 452, message: '4.2.2 <softbounce@simulator.test>: Mailbox full, try again later' }),
  },
  {
    local: 'deferred',
    description: 'greylisted once (451 4.7.1), then accepted',
    onRecipient: (seen) => (seen === 0 ? { code: 451, message: '4.7.1 Greylisted, please try again later' } : 'accept'),
  },
  {
    local: 'authfail',
    description: 'refused for failed authentication: 550 5.7.26 (DMARC), a hard bounce an alert reports',
    onRecipient: () => ({ code: 550, message: '5.7.26 Unauthenticated email from this domain is not accepted due to its DMARC policy' }),
  },
  { local: 'suppressed', description: 'on the suppression list: rejected by Sendtrail, never sent', onRecipient: () => 'accept' },
  // Issue 4: recipients whose mail comes back later, over SMTP to the inbound server, like real mail.
  {
    local: 'complaint',
    description: 'delivered, then the mailbox provider sends an ARF spam complaint (RFC 5965)',
    onRecipient: () => 'accept',
    afterAccept: (m, world) => sendToInbound(world.inboundSmtpUrl, { from: `fbl@mx.${SIMULATOR_DOMAIN}`, to: m.mailFrom }, buildComplaint(m)),
  },
  {
    local: 'ooto',
    description: 'delivered, then an out-of-office auto-reply (RFC 3834) comes back',
    onRecipient: () => 'accept',
    // RFC 3834 section 3.3: automatic responses go out with a null return path.
    afterAccept: (m, world) => sendToInbound(world.inboundSmtpUrl, { from: '', to: m.mailFrom }, buildAutoReply(m)),
  },
  {
    local: 'reply',
    description: 'delivered, then the recipient replies, quoting the original',
    onRecipient: () => 'accept',
    afterAccept: (m, world) => {
      // The reply goes to Reply-To or From; when that is not at REPLY_DOMAIN (so would not reach
      // Sendtrail), to reply@REPLY_DOMAIN, as if the sender's mailbox forwarded it there.
      const to = replyAddressOf(m);
      const rcpt = world.replyDomain && !to.toLowerCase().endsWith(`@${world.replyDomain.toLowerCase()}`) ? `reply@${world.replyDomain}` : to;
      return sendToInbound(world.inboundSmtpUrl, { from: m.recipient, to: rcpt }, buildHumanReply(m, to, 'Thanks, this is exactly what I needed. Can you send the invoice too?'));
    },
  },
  {
    local: 'asyncbounce',
    description: 'accepted (250), then a DSN says the mailbox does not exist (5.1.1): a hard bounce after delivery',
    onRecipient: () => 'accept',
    afterAccept: (m, world) =>
      sendToInbound(world.inboundSmtpUrl, { from: '', to: m.mailFrom }, buildDsn(m, { action: 'failed', status: '5.1.1', diagnostic: '550 5.1.1 <' + m.recipient + '>: Recipient address rejected: User unknown' })),
  },
  ...ENGAGEMENT_BEHAVIOURS,
];

const BY_LOCAL = new Map(SIMULATOR_BEHAVIOURS.map((b) => [b.local, b]));

/** Unknown local parts behave like delivered@, with any +tag ignored (delivered+42@ is delivered@). */
export function behaviourFor(address: string): SimulatorBehaviour {
  const local = address.slice(0, address.lastIndexOf('@')).toLowerCase().split('+')[0]!;
  return BY_LOCAL.get(local) ?? BY_LOCAL.get('delivered')!;
}
