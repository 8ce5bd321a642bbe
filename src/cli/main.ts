// The `sendtrail` command: start, migrate, keys create, users, domains add, config, bounce classify, tracking replay|reclassify, retention run.
import { parseArgs } from 'node:util';
import { ConfigError, describeConfig, loadConfig } from '../config/load-config.ts';
import { formatConfig } from '../config/format-config.ts';
import { maskUrlCredentials } from '../config/mask-secrets.ts';
import { DirectoryLockedError } from '../shared/dir-lock.ts';
import { openConfiguredStore } from '../store/open-configured-store.ts';
import type { Config } from '../config/schema.ts';
import { TRACKING_USAGE, trackingCommand } from './tracking-command.ts';
import { USERS_USAGE, usersCommand } from './users-command.ts';

const USAGE = `Usage: sendtrail <command> [options]

Commands:
  start [--roles api,tracking,worker,inbound,scheduler]  Start Sendtrail (all roles by default)
  migrate                           Apply database migrations and exit
  keys create [--name NAME]         Create an API key for the default project (printed once)
${USERS_USAGE}
  domains add <domain> [--algorithm rsa|ed25519] [--bounce-domain D]
                                    Create a DKIM key for a sending domain and print its DNS records
  config                            Print every key by group: value (secrets masked), set or default, meaning
  bounce classify FILE...           Classify bounce, complaint and reply files (.eml or mbox): one JSON line each
${TRACKING_USAGE}
  retention run [--as-of ISO-DATE]  Remove now what is past each project's retention (the scheduler does it daily)

Configuration comes from environment variables; see \`sendtrail config\`.`;

type Command = (config: Config, args: string[]) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  async start(config, args) {
    const { values } = parseArgs({ args, options: { roles: { type: 'string' } } });
    const { startSendtrail } = await import('../main.ts');
    const { parseRoles } = await import('../roles/index.ts');
    const roles = parseRoles(values.roles);
    const app = await startSendtrail(config, roles);
    const where = config.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${config.SENDTRAIL_DATA_DIR}`;
    console.log(`Sendtrail started: roles ${roles.join(', ')}; database: ${where}`);
    // PGlite never fsyncs (README, "Running it for real"): say so where a new user looks.
    if (!config.DATABASE_URL) {
      console.log('The embedded database survives a crash of Sendtrail but not a power cut (PGlite never syncs to disk): set DATABASE_URL to run on PostgreSQL in production.');
    }
    if (app.url) console.log(`API:  ${app.url}  (OpenAPI: ${app.url}/docs, public URL: ${config.PUBLIC_URL})`);
    if (app.inboundSmtpUrl) console.log(`Inbound SMTP: ${app.inboundSmtpUrl} (bounces to @${config.BOUNCE_DOMAIN}, replies to @${config.REPLY_DOMAIN})`);
    if (roles.includes('worker')) {
      console.log(
        config.SMTP_URL
          ? `Mail relays through ${maskUrlCredentials(config.SMTP_URL)}`
          : 'SMTP_URL is not set: mail to real domains is CAPTURED locally and NOT delivered. @simulator.test addresses are simulated.',
      );
    }
    if (app.createdKey) console.log(`\nAPI key for the default project (shown once, keep it):\n  ${app.createdKey}\n`);
    if (app.firstAdmin?.signInLink) {
      console.log(`Dashboard admin ${app.firstAdmin.email}: sign in with this one-time link (valid 24 hours, shown once), then set a password:\n  ${app.firstAdmin.signInLink}\n`);
    } else if (app.firstAdmin) {
      console.log(`Dashboard admin ${app.firstAdmin.email} created with SENDTRAIL_ADMIN_PASSWORD.`);
    }
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    console.log('Stopping: finishing in-flight deliveries...');
    await app.stop();
    return 0;
  },

  async migrate(config) {
    const store = await openConfiguredStore(config);
    await store.close();
    console.log('Migrations applied.');
    return 0;
  },

  async keys(config, args) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { name: { type: 'string' } } });
    if (positionals[0] !== 'create') return usage('keys: the subcommand is "create"');
    const { createApiKey } = await import('../projects/api-keys.ts');
    const { ensureDefaultProject } = await import('../projects/default-project.ts');
    const store = await openConfiguredStore(config);
    try {
      const { projectId } = await ensureDefaultProject(store.db);
      const { key } = await createApiKey(store.db, projectId, values.name ?? 'cli');
      console.log(key);
    } finally {
      await store.close();
    }
    return 0;
  },

  async domains(config, args) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { algorithm: { type: 'string', default: 'rsa' }, 'bounce-domain': { type: 'string' } } });
    if (positionals[0] !== 'add' || !positionals[1]) return usage('domains: use "domains add <domain>"');
    if (values.algorithm !== 'rsa' && values.algorithm !== 'ed25519') return usage('--algorithm is rsa or ed25519');
    const { addDomain } = await import('../delivery/dkim/index.ts');
    const { ensureDefaultProject } = await import('../projects/default-project.ts');
    const store = await openConfiguredStore(config);
    try {
      const { projectId } = await ensureDefaultProject(store.db);
      const added = await addDomain(store.db, projectId, positionals[1], {
        algorithm: values.algorithm === 'ed25519' ? 'ed25519' : 'rsa',
        bounceDomain: values['bounce-domain'],
        defaultBounceDomain: config.BOUNCE_DOMAIN,
      });
      console.log(`${added.wasCreated ? 'Created' : 'Already had'} a ${added.algorithm} DKIM key for ${added.domain} (selector ${added.selector}).`);
      console.log('Publish these DNS records:\n');
      for (const r of added.records) console.log(`${r.name}  ${r.type}  "${r.value}"\n  (${r.purpose})\n`);
    } finally {
      await store.close();
    }
    return 0;
  },

  async bounce(_config, args) {
    const [subcommand, ...files] = args;
    if (subcommand !== 'classify' || files.length === 0) return usage('bounce: use "bounce classify FILE..."');
    const { classifyFiles } = await import('./classify-files.ts');
    return classifyFiles(files, { out: (line) => console.log(line), err: (line) => console.error(line) });
  },
  tracking: trackingCommand,

  async retention(config, args) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { 'as-of': { type: 'string' } } });
    if (positionals[0] !== 'run' || positionals.length > 1) return usage('retention: use "retention run"');
    const now = values['as-of'] === undefined ? new Date() : new Date(values['as-of']);
    if (Number.isNaN(now.getTime())) return usage('--as-of is an ISO 8601 date, e.g. 2027-01-31T00:00:00Z');
    const { runRetention } = await import('../retention/index.ts');
    const store = await openConfiguredStore(config);
    try {
      const r = await runRetention(store.db, { now });
      console.log(
        `Retention over ${r.projects} project(s) in ${r.duration_ms} ms: emails deleted ${r.emails} (events ${r.events}), ` +
          `bodies emptied ${r.bodies}, captured messages removed ${r.captured}, raw inbound messages emptied ${r.raw_inbound}.`,
      );
    } finally {
      await store.close();
    }
    return 0;
  },
  users: (config, args) => usersCommand(config, args, { out: (line) => console.log(line), err: (line) => console.error(line), readStdin }),

  async config(config) {
    console.log(formatConfig(describeConfig(config)));
    return 0;
  },
};

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function usage(problem?: string): number {
  if (problem) console.error(`sendtrail: ${problem}\n`);
  console.error(USAGE);
  return 2;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') return usage();
  const command = COMMANDS[name];
  if (!command) return usage(`unknown command "${name}"`);
  try {
    return await command(loadConfig(), args);
  } catch (err) {
    if (err instanceof ConfigError || err instanceof DirectoryLockedError) {
      console.error(`sendtrail: ${err.message}`);
      return 1;
    }
    if ((err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) return usage((err as Error).message);
    if ((err as { name?: string }).name === 'AppError') {
      console.error(`sendtrail: ${(err as Error).message}`);
      return 1;
    }
    throw err;
  }
}

process.exitCode = await main(process.argv.slice(2));
