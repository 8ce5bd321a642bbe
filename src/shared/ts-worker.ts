// Starts a worker thread running one of our TypeScript modules. The thread loads TypeScript through
// tsx whatever started this process (`npm start`, the bin script, vitest), so it inherits no
// --import; nor V8 flags (--max-semi-space-size), which a worker refuses (ERR_WORKER_INVALID_EXEC_ARGV):
// its heap is sized by resourceLimits instead.
import { Worker, type ResourceLimits } from 'node:worker_threads';

const TSX_API = import.meta.resolve('tsx/esm/api');

export function startTsWorker(moduleUrl: URL, options: { resourceLimits?: ResourceLimits; workerData?: unknown } = {}): Worker {
  const bootstrap = `import(${JSON.stringify(TSX_API)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(moduleUrl.href)}); })`;
  return new Worker(bootstrap, {
    eval: true,
    execArgv: threadExecArgv(process.execArgv),
    resourceLimits: options.resourceLimits,
    workerData: options.workerData,
  });
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
