// A private Postfix instance for tests: its own config, queue and data directories under /tmp,
// started with `postfix -c <dir>/etc start`. It listens on 127.0.0.1:<free port>, relays all mail to
// `relayhost = [127.0.0.1]:<relayPort>` and, with a bounce domain, routes that domain to
// `smtp:[127.0.0.1]:<inboundPort>` (where the platform's inbound server gets DSNs and replies).
// The system Postfix (/etc/postfix) is never read, changed or started.
//
// Needs the Debian postfix package (scripts/install-system-deps.sh) and root: the master daemon
// starts as root and its children drop to `mail_owner = postfix` / `setgid_group = postdrop`.
// `postfix start` runs `post-install create-missing`, which creates the queue directories with
// the right owners, so no separate `set-permissions` is needed.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';

/** Postfix time values: a number is seconds, a string is Postfix syntax ('10s', '1m', '3h'). */
export type PostfixTime = number | string;

export type PostfixTimings = {
  queueRunDelay?: PostfixTime; // queue_run_delay (default 10s)
  minimalBackoffTime?: PostfixTime; // minimal_backoff_time (default 10s)
  maximalBackoffTime?: PostfixTime; // maximal_backoff_time (default 20s)
  delayWarningTime?: PostfixTime; // delay_warning_time (default 1m; 0 disables "Delayed Mail" DSNs)
  maximalQueueLifetime?: PostfixTime; // maximal_queue_lifetime (default 3m)
  bounceQueueLifetime?: PostfixTime; // bounce_queue_lifetime (default 3m)
};

export type PostfixOptions = {
  /** Port of the SMTP server every message is relayed to (relayhost = [127.0.0.1]:relayPort). */
  relayPort: number;
  /** Domain routed to the inbound port instead of the relayhost (default bounces.sendtrail.test). */
  bounceDomain?: string;
  /** Port of the inbound SMTP server that receives mail for the bounce domain (DSNs). */
  inboundPort?: number;
  timings?: PostfixTimings;
  /** Extra main.cf settings, applied last (e.g. { smtp_connect_timeout: '2s' }). */
  mainCf?: Record<string, string | number>;
};

export type PostfixQueueEntry = {
  queue_name: string;
  queue_id: string;
  sender: string;
  recipients: Array<{ address: string; delay_reason?: string }>;
  [key: string]: unknown;
};

export type PostfixInstance = {
  /** The SMTP port Postfix listens on (127.0.0.1). */
  port: number;
  /** Postfix's log (maillog_file). */
  logFile: string;
  /** The instance's temp directory (etc/, spool/, data/, maillog). Removed by stop(). */
  dir: string;
  /** `postqueue -f`: retry deferred mail now. Returns once the request is queued, not delivered. */
  flushQueue(): Promise<void>;
  /** `postqueue -j`: what is in the queue now. */
  queue(): Promise<PostfixQueueEntry[]>;
  /** Stops the instance, waits until its processes are gone and removes its directory. Idempotent. */
  stop(): Promise<void>;
  /** The log so far (still available after stop()). */
  readLog(): Promise<string>;
};

export const DEFAULT_BOUNCE_DOMAIN = 'bounces.sendtrail.test';
const DIR_PREFIX = 'sendtrail-postfix-';
// Not os.tmpdir(): the postfix user must be able to traverse every parent of the queue directory.
const BASE_DIR = '/tmp';
const POSTFIX = '/usr/sbin/postfix';
const POSTQUEUE = '/usr/sbin/postqueue';
const INSTALL_HINT = 'run `bash scripts/install-system-deps.sh` (as root) to install it';

const DEFAULT_TIMINGS: Required<PostfixTimings> = {
  queueRunDelay: '10s',
  minimalBackoffTime: '10s',
  maximalBackoffTime: '20s',
  delayWarningTime: '1m',
  maximalQueueLifetime: '3m',
  bounceQueueLifetime: '3m',
};

/** Instances started by this process and not yet stopped (stopped on process exit). */
const live = new Set<string>();
let exitHookInstalled = false;

export async function startPostfix(options: PostfixOptions): Promise<PostfixInstance> {
  checkPrerequisites();
  if (options.bounceDomain !== undefined && options.inboundPort === undefined) {
    throw new Error('startPostfix: bounceDomain needs an inboundPort to route it to');
  }
  await stopStaleInstances();

  const dir = await mkdtemp(join(BASE_DIR, `${DIR_PREFIX}${process.pid}-`));
  await chmod(dir, 0o755);
  const etc = join(dir, 'etc');
  await mkdir(etc, { mode: 0o755 });
  // The queue directory must exist and be root-owned; `postfix start` runs `post-install
  // create-missing`, which creates its subdirectories and the data directory with the owners and
  // modes of Debian's postfix-files (what `postfix check` / `set-permissions` do).
  await mkdir(join(dir, 'spool'), { mode: 0o755 });
  const logFile = join(dir, 'maillog');
  live.add(dir);
  installExitHook();

  let lastError: unknown;
  // The free port can be taken between probing and binding: retry with another one.
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = await freePort();
    await writeConfig(dir, port, options);
    try {
      await run(POSTFIX, ['-c', etc, 'start']);
      return makeInstance(dir, port, logFile);
    } catch (err) {
      lastError = err;
      await stopInstance(dir);
      // A failed bind is not logged (the master dies before its postlogd is up): probe the port.
      if (await portIsFree(port)) break;
    }
  }
  const log = await readFile(logFile, 'utf8').catch(() => '(no log)');
  await stopInstance(dir);
  await rm(dir, { recursive: true, force: true });
  live.delete(dir);
  throw new Error(`startPostfix: postfix did not start: ${String(lastError)}\n--- ${logFile} ---\n${log}`);
}

function makeInstance(dir: string, port: number, logFile: string): PostfixInstance {
  const etc = join(dir, 'etc');
  let stopped: Promise<void> | undefined;
  let finalLog: string | undefined;
  return {
    port,
    logFile,
    dir,
    async flushQueue() {
      await run(POSTQUEUE, ['-c', etc, '-f']);
    },
    async queue() {
      const out = await run(POSTQUEUE, ['-c', etc, '-j']);
      return out
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as PostfixQueueEntry);
    },
    async readLog() {
      if (finalLog !== undefined) return finalLog;
      return readFile(logFile, 'utf8').catch(() => '');
    },
    stop() {
      stopped ??= (async () => {
        await stopInstance(dir);
        finalLog = await readFile(logFile, 'utf8').catch(() => '');
        if (!process.env.SENDTRAIL_KEEP_POSTFIX_DIR) await rm(dir, { recursive: true, force: true });
        live.delete(dir);
      })();
      return stopped;
    },
  };
}

function checkPrerequisites() {
  if (!existsSync(POSTFIX) || !existsSync(POSTQUEUE) || !existsSync('/usr/sbin/postconf')) {
    throw new Error(`Postfix is not installed (${POSTFIX} missing): ${INSTALL_HINT}`);
  }
  const user = /^postfix:[^:]*:(\d+):(\d+):/m.exec(readFileSync('/etc/passwd', 'utf8'));
  const postdrop = /^postdrop:[^:]*:(\d+):/m.exec(readFileSync('/etc/group', 'utf8'));
  if (!user || !postdrop) {
    throw new Error(`The postfix user or the postdrop group is missing: ${INSTALL_HINT}`);
  }
  if (process.getuid?.() !== 0) {
    throw new Error('startPostfix must run as root: the Postfix master daemon starts as root');
  }
}


const time = (v: PostfixTime) => (typeof v === 'number' ? `${v}s` : v);

async function writeConfig(dir: string, port: number, options: PostfixOptions) {
  const etc = join(dir, 'etc');
  const t = { ...DEFAULT_TIMINGS, ...options.timings };
  const main: Record<string, string | number> = {
    compatibility_level: '3.6',
    queue_directory: join(dir, 'spool'),
    data_directory: join(dir, 'data'),
    mail_owner: 'postfix',
    setgid_group: 'postdrop',
    maillog_file: join(dir, 'maillog'),
    maillog_file_prefixes: dir,
    myhostname: 'mta.sendtrail.test',
    mydomain: 'sendtrail.test',
    myorigin: '$myhostname',
    mydestination: '',
    inet_interfaces: '127.0.0.1',
    inet_protocols: 'ipv4',
    mynetworks: '127.0.0.0/8',
    relayhost: `[127.0.0.1]:${options.relayPort}`,
    smtpd_relay_restrictions: 'permit_mynetworks, reject_unauth_destination',
    // No DNS at all: next hops are IP literals; no reverse lookups of clients.
    smtp_dns_support_level: 'disabled',
    smtpd_peername_lookup: 'no',
    smtp_tls_security_level: 'none',
    smtpd_tls_security_level: 'none',
    smtputf8_enable: 'no',
    // DSN on: nothing removed from the EHLO reply (DSN is announced by default).
    smtpd_discard_ehlo_keywords: '',
    alias_maps: '',
    alias_database: '',
    local_recipient_maps: '',
    biff: 'no',
    append_dot_mydomain: 'no',
    in_flow_delay: '0s',
    smtp_connect_timeout: '5s',
    message_size_limit: 50 * 1024 * 1024,
    queue_run_delay: time(t.queueRunDelay),
    minimal_backoff_time: time(t.minimalBackoffTime),
    maximal_backoff_time: time(t.maximalBackoffTime),
    delay_warning_time: time(t.delayWarningTime),
    maximal_queue_lifetime: time(t.maximalQueueLifetime),
    bounce_queue_lifetime: time(t.bounceQueueLifetime),
  };
  if (options.inboundPort !== undefined) {
    const domain = options.bounceDomain ?? DEFAULT_BOUNCE_DOMAIN;
    const next = `smtp:[127.0.0.1]:${options.inboundPort}`;
    // texthash: a plain file, no postmap step.
    await writeFile(join(etc, 'transport'), `${domain} ${next}\n.${domain} ${next}\n`, { mode: 0o644 });
    main.transport_maps = `texthash:${join(etc, 'transport')}`;
  }
  Object.assign(main, options.mainCf);
  const mainCf = Object.entries(main)
    .map(([k, v]) => `${k} = ${v}`)
    .join('\n');
  await writeFile(join(etc, 'main.cf'), `# Generated by test/support/postfix.ts\n${mainCf}\n`, { mode: 0o644 });
  await writeFile(join(etc, 'master.cf'), masterCf(port), { mode: 0o644 });
  // Postfix's dict_load_file() dozes in 300 ms steps until a file's mtime is 2 s old ("let it
  // settle"), and every postfix/postconf/postqueue run reads main.cf that way: backdate the files.
  const past = new Date(Date.now() - 60_000);
  for (const name of await readdir(etc)) await utimes(join(etc, name), past, past);
}

// Every service with chroot = n; only the services a relay needs (no TLS manager, no pipes).
function masterCf(port: number) {
  return `# Generated by test/support/postfix.ts
# service type  private unpriv  chroot  wakeup  maxproc command + args
127.0.0.1:${port} inet n - n - - smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
  -o syslog_name=postfix/$service_name
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
local     unix  -       n       n       -       -       local
virtual   unix  -       n       n       -       -       virtual
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
`;
}

/** Stops an instance by its directory: `postfix stop`, then SIGKILL whatever of it is left. */
async function stopInstance(dir: string) {
  const etc = join(dir, 'etc');
  const seen = instancePids(etc);
  if (existsSync(join(etc, 'main.cf')) && existsSync(join(dir, 'spool', 'pid', 'master.pid'))) {
    // Fails harmlessly ("not running") when the master is already gone.
    await run(POSTFIX, ['-c', etc, 'stop']).catch(() => {});
  }
  for (let i = 0; i < 50; i++) {
    const pids = instancePids(etc);
    if (pids.length === 0) return waitForReaping(seen);
    // Children exit on their own once the master is gone; give them a moment, then force.
    if (i >= 10) {
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
    }
    await sleep(100);
  }
  throw new Error(`postfix instance in ${dir} did not stop: pids ${instancePids(etc).join(', ')}`);
}

/**
 * The master's children outlive it by a moment and are then reparented to PID 1, which reaps
 * them when it gets to it (about 1.5 s on this kind of machine): wait for that, best effort, so
 * nothing of the instance shows in `ps` after stop(). Zombies are not running, so no error.
 */
async function waitForReaping(pids: number[], timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (pids.some((pid) => existsSync(`/proc/${pid}`)) && Date.now() < deadline) await sleep(100);
}

/** Processes of one instance: Postfix passes MAIL_CONFIG=<config dir> to the master and every daemon. */
function instancePids(etc: string): number[] {
  const needle = `MAIL_CONFIG=${etc}\0`;
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/environ`, 'latin1').includes(needle)) pids.push(Number(name));
    } catch {
      /* exited, or a zombie */
    }
  }
  return pids;
}

/** Instances left by a killed run: directories whose owning process is gone. */
async function stopStaleInstances() {
  const entries = await readdir(BASE_DIR).catch(() => [] as string[]);
  for (const name of entries) {
    const m = new RegExp(`^${DIR_PREFIX}(\\d+)-`).exec(name);
    if (!m) continue;
    const owner = Number(m[1]);
    if (owner === process.pid || isAlive(owner)) continue;
    const dir = join(BASE_DIR, name);
    await stopInstance(dir).catch(() => {});
    await rm(dir, { recursive: true, force: true }).catch(() => {});
  }
}

function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last resort when a test forgot stop(): the next run would clean up anyway (stopStaleInstances).
  process.on('exit', () => {
    for (const dir of live) {
      spawnSync(POSTFIX, ['-c', join(dir, 'etc'), 'stop'], { stdio: 'ignore', timeout: 10_000 });
    }
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function run(file: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: 30_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${file} ${args.join(' ')} failed: ${err.message}\n${stderr}`.trim()));
      else resolve(stdout);
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
