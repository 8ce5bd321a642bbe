// The ceiling: a bare nodemailer pool sending pre-built messages to the sink, no database, no API.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { prebuiltMessages } from './campaign.ts';
import { composeMessage } from '../../src/delivery/mime/compose-message.ts';
import type { SinkProcess } from './sink-client.ts';
import { cpuSecondsOf, cpuWindow, type CpuReport } from './cpu-usage.ts';

export type CeilingOptions = {
  count: number;
  /** Pooled connections: Sendtrail's default SMTP_POOL_SIZE. */
  poolSize: number;
  /** sendMail calls kept outstanding; the pool queues what its connections cannot take yet. */
  inFlight: number;
  dkim?: boolean;
  /**
   * Hands the pool each message already composed (Sendtrail's composeMessage, the bytes Sendtrail
   * sends) as `raw`, instead of the fields for nodemailer to compose: a second reference, since
   * Sendtrail composes without nodemailer's streams and writes bytes to its SMTP sessions.
   */
  raw?: boolean;
  /** Distinguishes the recipients of successive ceiling runs. */
  label: string;
};

export type CeilingResult = { count: number; seconds: number; rate: number; cpu: CpuReport; bytesPerMessage: number };

const now = () => performance.timeOrigin + performance.now();

export async function measureCeiling(sink: SinkProcess, options: CeilingOptions): Promise<CeilingResult> {
  const recipientOf = (i: number) => `${options.label}${i}@example.org`;
  const fields = prebuiltMessages(options.count, recipientOf);
  const messages: SendMailOptions[] = options.raw ? await Promise.all(fields.map(async (m) => ({ envelope: m.envelope, raw: (await composeMessage(m)).raw }))) : fields;
  // A parsed KeyObject, not a PEM: the fastest way nodemailer signs (~820 vs ~480 msg/s to a sink with a pool of 5).
  const dkim = options.dkim
    ? { domainName: 'example.com', keySelector: 'bench', privateKey: rsaKey() as unknown as string }
    : undefined;
  const pool = nodemailer.createTransport({
    pool: true,
    host: '127.0.0.1',
    port: sink.port,
    maxConnections: options.poolSize,
    maxMessages: Infinity,
    ignoreTLS: true,
    dkim,
  });
  await sink.startPhase(options.count);
  let next = 0;
  let errors = 0;
  const cpu = cpuWindow({ bench: () => cpuSecondsOf(process.pid), sink: () => cpuSecondsOf(sink.pid) });
  const started = now();
  const lane = async () => {
    while (next < messages.length) {
      const message = messages[next]!;
      messages[next++] = undefined as never; // let sent messages be collected
      await pool.sendMail(message).catch(() => errors++);
    }
  };
  await Promise.all(Array.from({ length: options.inFlight }, lane));
  const cpuUsed = cpu.end();
  pool.close();
  const counts = await sink.counts();
  if (counts.completeAt === undefined || errors > 0) {
    throw new Error(`ceiling run lost mail: ${errors} send errors, sink has ${counts.distinct} of ${options.count}`);
  }
  const verified = await sink.verify(`${options.label}{i}@example.org`, options.count);
  if (verified.missing > 0 || verified.unexpected > 0 || counts.total !== options.count) {
    throw new Error(`ceiling run: sink got ${counts.total} messages, ${verified.missing} missing, ${verified.unexpected} unexpected`);
  }
  const seconds = (counts.completeAt - started) / 1000;
  return { count: options.count, seconds, rate: options.count / seconds, cpu: cpuUsed, bytesPerMessage: counts.bytes / counts.total };
}

let key: KeyObject | undefined;
function rsaKey(): KeyObject {
  key ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  return key;
}
