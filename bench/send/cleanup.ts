// Leaves nothing behind when the benchmark is interrupted (Ctrl-C, SIGTERM): child processes,
// benchmark databases and temp dirs are removed by the cleanups registered while they exist.
const cleanups = new Set<() => Promise<unknown>>();

/** Registers a cleanup to run if the process is interrupted; call the result once it is done normally. */
export function onInterrupt(cleanup: () => Promise<unknown>): () => void {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

export function cleanUpOnSignals(): void {
  const handler = (signal: NodeJS.Signals) => {
    console.error(`\n${signal}: cleaning up the benchmark's processes, databases and temp dirs...`);
    // Newest first: a Sendtrail child stops before its database is dropped.
    const pending = [...cleanups].reverse();
    void (async () => {
      for (const cleanup of pending) await cleanup().catch((err) => console.error(`cleanup failed: ${(err as Error).message}`));
      process.exit(signal === 'SIGINT' ? 130 : 143);
    })();
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
}
