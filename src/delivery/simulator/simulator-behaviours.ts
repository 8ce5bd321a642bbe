// The scripted recipients of @simulator.test, as data: what the simulated MX answers to each.
// Add a row to add a behaviour; issues 3 and 4 add engagement and inbound ones (open@, complaint@ ...).

export const SIMULATOR_DOMAIN = 'simulator.test';

/** Addresses that are on every project's suppression list, so sending to them is `rejected`. */
export const SIMULATOR_SUPPRESSED = [`suppressed@${SIMULATOR_DOMAIN}`];

export type RcptAnswer = { code: number; message: string } | 'accept';

/** A message the simulated MX accepted for one recipient. */
export type AcceptedMessage = {
  /** The envelope sender: Sendtrail's VERP return path, where DSNs and complaints go. */
  mailFrom: string;
  recipient: string;
  /** The message as it arrived, headers and body (tracking links and pixel included). */
  raw: Buffer;
  acceptedAt: Date;
};

/** The outside world a simulated recipient acts on, as a real one would: over HTTP and SMTP. */
export type SimulatorWorld = {
  /** Base URL of the tracking endpoints (PUBLIC_URL): what a mail client would fetch. */
  publicUrl: string;
  /** The inbound SMTP server (smtp://host:port) that receives DSNs, complaints and replies. */
  inboundSmtpUrl?: string;
  log?: { warn(obj: unknown, msg?: string): void };
};

export type SimulatorBehaviour = {
  local: string;
  description: string;
  /** What RCPT TO gets; `seen` counts earlier attempts of the same email at this simulator. */
  onRecipient(seen: number): RcptAnswer;
  /**
   * What the simulated recipient does after its MX accepted the message: a person opening it, a
   * gateway scanning its links, a late DSN or complaint coming back. Runs in the background; a
   * failure is logged, never fatal. Absent for recipients who do nothing.
   */
  afterAccept?(message: AcceptedMessage, world: SimulatorWorld): Promise<void>;
};

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
  { local: 'suppressed', description: 'on the suppression list: rejected by Sendtrail, never sent', onRecipient: () => 'accept' },
];

const BY_LOCAL = new Map(SIMULATOR_BEHAVIOURS.map((b) => [b.local, b]));

/** Unknown local parts behave like delivered@, with any +tag ignored (delivered+42@ is delivered@). */
export function behaviourFor(address: string): SimulatorBehaviour {
  const local = address.slice(0, address.lastIndexOf('@')).toLowerCase().split('+')[0]!;
  return BY_LOCAL.get(local) ?? BY_LOCAL.get('delivered')!;
}
