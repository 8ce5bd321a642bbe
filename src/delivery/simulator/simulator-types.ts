// The shapes of the mailbox simulator: what a scripted recipient answers and does, and the world it acts on.

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
  /** REPLY_DOMAIN: where a simulated person's reply goes when the message names no reply address there. */
  replyDomain?: string;
  log?: { warn(obj: unknown, msg?: string): void };
  /** How long after delivery a simulated person opens the message; default HUMAN_OPEN_DELAY_MS. */
  humanDelayMs?: number;
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
