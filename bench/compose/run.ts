// `npm run bench:compose`: what composing and sending one message costs in CPU, piece by piece, for
// the benchmark campaign's messages (bench/send/campaign.ts) sent to the bench:send sink in its own
// process. Rows alternate over rounds; the median of each is reported. No target: it shows where the
// send path's CPU goes, and why Sendtrail composes and sends as it does (docs/benchmarks.md).
// Usage: npm run bench:compose -- [--n 20000] [--rounds 3]
import { parseArgs } from 'node:util';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import { composeMessage } from '../../src/delivery/mime/compose-message.ts';
import { openSmtpConnections } from '../../src/delivery/transports/smtp-connections.ts';
import { prebuiltMessages } from '../send/campaign.ts';
import { startSinkProcess, type SinkProcess } from '../send/sink-client.ts';
import { cpuSecondsOf } from '../send/cpu-usage.ts';

const { values } = parseArgs({ options: { n: { type: 'string', default: '20000' }, rounds: { type: 'string', default: '3' } } });
const N = Number(values.n);
const ROUNDS = Number(values.rounds);
const IN_FLIGHT = 128;
const POOL_SIZE = 5;

type Row = { name: string; run(label: string): Promise<{ ms: number; sinkMs?: number }> };

const cpuMsOf = (start: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};
const messages = (label: string) => prebuiltMessages(N, (i) => `${label}${i}@example.org`);

async function lanes(count: number, send: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
    while (next < count) await send(next++);
  }));
}

/** CPU of this process per message while `send` delivers N messages to the sink, and the sink's. */
async function timedSend(sink: SinkProcess, send: (i: number) => Promise<unknown>) {
  await sink.startPhase(N);
  const sinkBefore = cpuSecondsOf(sink.pid);
  const start = process.cpuUsage();
  await lanes(N, send);
  const ms = cpuMsOf(start) / N;
  const counts = await sink.counts();
  if (counts.distinct !== N) throw new Error(`the sink got ${counts.distinct} of ${N} messages`);
  return { ms, sinkMs: ((cpuSecondsOf(sink.pid) - sinkBefore) * 1000) / N };
}

function rows(sink: SinkProcess): Row[] {
  const viaPool = async (mails: SendMailOptions[]) => {
    const pool = nodemailer.createTransport({ pool: true, host: '127.0.0.1', port: sink.port, maxConnections: POOL_SIZE, maxMessages: Infinity, ignoreTLS: true });
    try {
      return await timedSend(sink, (i) => pool.sendMail(mails[i]!));
    } finally {
      pool.close();
    }
  };
  return [
    { name: 'nodemailer pool, sendMail(fields): the bench:send ceiling', run: (label) => viaPool(messages(label)) },
    {
      name: 'nodemailer pool, sendMail({envelope, raw}) with pre-composed bytes',
      run: async (label) => viaPool(await Promise.all(messages(label).map(async (m) => ({ envelope: m.envelope, raw: (await composeMessage(m)).raw })))),
    },
    {
      name: "composing alone, nodemailer's MailComposer#build() (streams)",
      async run(label) {
        const mails = messages(label);
        const start = process.cpuUsage();
        for (const mail of mails) await new MailComposer(mail).compile().build();
        return { ms: cpuMsOf(start) / N };
      },
    },
    {
      name: "composing alone, Sendtrail's composeMessage()",
      async run(label) {
        const mails = messages(label);
        const start = process.cpuUsage();
        for (const mail of mails) await composeMessage(mail);
        return { ms: cpuMsOf(start) / N };
      },
    },
    {
      name: "pre-composed bytes over Sendtrail's SMTP sessions (openSmtpConnections)",
      async run(label) {
        const composed = await Promise.all(messages(label).map((m) => composeMessage(m)));
        const connections = openSmtpConnections({ host: '127.0.0.1', port: sink.port, poolSize: POOL_SIZE, ignoreTLS: true });
        try {
          return await timedSend(sink, (i) => connections.send(composed[i]!.envelope, composed[i]!.raw));
        } finally {
          connections.close();
        }
      },
    },
  ];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const sink = await startSinkProcess();
try {
  const table = rows(sink);
  const results = table.map(() => ({ ms: [] as number[], sinkMs: [] as number[] }));
  // Unmeasured: lets V8 optimise nodemailer and our code before the first round counts.
  for (const [i, row] of table.entries()) await row.run(`warm${i}-`);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, row] of table.entries()) {
      const r = await row.run(`r${round}x${i}-`);
      results[i]!.ms.push(r.ms);
      if (r.sinkMs !== undefined) results[i]!.sinkMs.push(r.sinkMs);
    }
  }
  console.log(`bench:compose, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC: N = ${N.toLocaleString('en')} messages, ${ROUNDS} rounds, medians (range)\n`);
  console.log('| what | CPU ms per message | sink CPU ms per message |');
  console.log('| --- | --- | --- |');
  const fmt = (xs: number[]) => (xs.length ? `${median(xs).toFixed(3)} (${Math.min(...xs).toFixed(3)}–${Math.max(...xs).toFixed(3)})` : 'n/a');
  for (const [i, row] of table.entries()) console.log(`| ${row.name} | ${fmt(results[i]!.ms)} | ${fmt(results[i]!.sinkMs)} |`);
} finally {
  await sink.close();
}
