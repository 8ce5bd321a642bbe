// Starts a worker thread running one of our modules, named without its extension: the thread runs
// the file of the same kind as its caller's. What ships is compiled JavaScript (dist/), which a
// thread loads as is; the tests run the TypeScript sources (src/), which a thread loads through
// tsx, as the thread inherits no --import. Nor V8 flags (--max-semi-space-size), which a worker
// refuses (ERR_WORKER_INVALID_EXEC_ARGV): its heap is sized by resourceLimits instead.
import { extname } from 'node:path';
import { Worker, type ResourceLimits } from 'node:worker_threads';

/** `moduleBeside(import.meta.url, './smtp-thread')`: the sibling module, with the caller's extension. */
export function moduleBeside(callerUrl: string, relativeName: string): URL {
  return new URL(`${relativeName}${extname(new URL(callerUrl).pathname)}`, callerUrl);
}

export function startModuleWorker(moduleUrl: URL, options: { resourceLimits?: ResourceLimits; workerData?: unknown } = {}): Worker {
  const settings = { execArgv: threadExecArgv(process.execArgv), resourceLimits: options.resourceLimits, workerData: options.workerData };
  if (!moduleUrl.pathname.endsWith('.ts')) return new Worker(moduleUrl, settings);
  // Resolved only here: a production install may leave tsx out.
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(moduleUrl.href)}); })`;
  return new Worker(bootstrap, { ...settings, eval: true });
}

/** Only the flags a worker accepts and that matter to it: CPU profiling, as `--cpu-prof` asks for. */
function threadExecArgv(execArgv: string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i]!;
    if (!arg.startsWith('--cpu-prof')) continue;
    kept.push(arg);
    // --cpu-prof-dir <dir> and --cpu-prof-name <name> take their value as the next argument.
    if (/^--cpu-prof-(dir|name|interval)$/.test(arg) && execArgv[i + 1] !== undefined) kept.push(execArgv[++i]!);
  }
  return kept;
}
