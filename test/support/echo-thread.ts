// A thread served through serveThreadRpc, for the tests of the thread RPC itself: it echoes, fails,
// dies, waits or counts on request.
import { workerData } from 'node:worker_threads';
import { serveThreadRpc } from '../../src/shared/serve-thread-rpc.ts';

export type EchoRequest =
  | { op: 'echo'; value: string }
  | { op: 'fail'; message: string }
  | { op: 'die' }
  | { op: 'wait'; ms: number; value: string }
  | { op: 'setup'; value: string }
  | { op: 'setups' };

if ((workerData as { failToLoad?: boolean } | undefined)?.failToLoad) throw new Error('cannot load: no database');

const setups: string[] = [];
serveThreadRpc<EchoRequest, string>({
  inOrder: (workerData as { inOrder?: boolean } | undefined)?.inOrder,
  async handle(request) {
    switch (request.op) {
      case 'echo':
        return request.value;
      case 'fail':
        throw new Error(request.message);
      case 'die':
        process.exit(3);
      // falls through (never reached)
      case 'wait':
        await new Promise((resolve) => setTimeout(resolve, request.ms));
        return request.value;
      case 'setup':
        setups.push(request.value);
        return 'ok';
      case 'setups':
        return setups.join(',');
    }
  },
  async close() {
    // Closing takes a moment, as sessions saying QUIT do.
    await new Promise((resolve) => setTimeout(resolve, 20));
  },
});
