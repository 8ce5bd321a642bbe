// The benchmark's SMTP sink, run in a child process of its own so that receiving mail never shares
// an event loop with the client being measured (the bare nodemailer pool or Sendtrail).
// Talks to the parent over IPC: see SinkRequest / SinkReport in sink-client.ts.
import { performance } from 'node:perf_hooks';
import { startSmtpSink } from '../../test/support/smtp-sink.ts';
import type { SinkReport, SinkRequest } from './sink-client.ts';

const now = () => performance.timeOrigin + performance.now();
const send = (report: SinkReport) => process.send!(report);

const bench = await startSmtpSink({ keepRaw: false });
// Mail for DKIM verification only: a handful of messages, kept whole.
const probe = await startSmtpSink({ keepRaw: true });

type Phase = { expect: number; firstAt?: number; completeAt?: number; distinct: Set<string>; bytes: number };
let phase: Phase = { expect: 0, distinct: new Set(), bytes: 0 };
let scanned = 0;

// Counts distinct recipients and bytes as messages arrive, incrementally: the parent polls every 100 ms
// while Sendtrail is being measured on the same cores. Each benchmark message has exactly one recipient,
// so "N distinct recipients and N messages" means nothing was lost and nothing duplicated.
function scan(): void {
  const messages = bench.messages;
  for (; scanned < messages.length; scanned++) {
    for (const to of messages[scanned]!.to) phase.distinct.add(to);
    phase.bytes += messages[scanned]!.bytes;
  }
}

function startPhase(expect: number): void {
  bench.messages.length = 0;
  scanned = 0;
  phase = { expect, distinct: new Set(), bytes: 0 };
  const current = phase;
  void bench.waitFor(1, 24 * 3600_000).then(() => {
    if (phase === current) current.firstAt = now();
  }, () => {});
  // waitFor resolves on the very message that reaches the count, so the time is exact; a duplicate
  // arriving earlier makes the count reach `expect` too soon, hence the distinct check afterwards.
  void bench.waitFor(expect, 24 * 3600_000).then(() => {
    if (phase !== current) return;
    scan();
    if (current.distinct.size >= expect) current.completeAt = now();
    else waitForDistinct(current);
  }, () => {});
}

function waitForDistinct(current: Phase): void {
  const timer = setInterval(() => {
    if (phase !== current) return clearInterval(timer);
    scan();
    if (current.distinct.size >= current.expect) {
      current.completeAt = now();
      clearInterval(timer);
    }
  }, 5);
}

function counts(): SinkReport {
  scan();
  return {
    type: 'counts',
    total: bench.messages.length,
    bytes: phase.bytes,
    distinct: phase.distinct.size,
    firstAt: phase.firstAt,
    completeAt: phase.completeAt,
  };
}

// Checks that the distinct recipients are exactly recipientOf(0..count-1): the template has one
// "{i}" placeholder.
function verify(recipientOf: string, count: number): SinkReport {
  scan();
  let missing = 0;
  const expected = new Set<string>();
  for (let i = 0; i < count; i++) expected.add(recipientOf.replace('{i}', String(i)));
  for (const r of expected) if (!phase.distinct.has(r)) missing++;
  const unexpected = [...phase.distinct].filter((r) => !expected.has(r));
  return { type: 'verified', missing, unexpected: unexpected.length, unexpectedSample: unexpected.slice(0, 5) };
}

process.on('message', (request: SinkRequest) => {
  switch (request.type) {
    case 'phase':
      startPhase(request.expect);
      send({ type: 'ok' });
      break;
    case 'counts':
      send(counts());
      break;
    case 'verify':
      send(verify(request.recipientOf, request.count));
      break;
    case 'probe':
      send({ type: 'probe', raws: probe.messages.map((m) => m.raw) });
      break;
    case 'close':
      void Promise.all([bench.close(), probe.close()]).then(() => process.exit(0));
      break;
  }
});
process.on('disconnect', () => process.exit(0));
send({ type: 'ready', port: bench.port, probePort: probe.port, pid: process.pid });
