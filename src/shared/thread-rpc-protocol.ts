// The messages between a thread-rpc client (thread-rpc.ts) and the thread serving it (serve-thread-rpc.ts).

export type ToThread<Req> =
  | { op: 'calls'; calls: Array<[seq: number, request: Req]> }
  | { op: 'close' };

/** A reply: [seq, true, value] or [seq, false, error message]. */
export type Reply<Res> = [seq: number, ok: boolean, value: Res | string];

export type FromThread<Res> =
  | { op: 'ready' }
  | { op: 'replies'; replies: Array<Reply<Res>> }
  | { op: 'closed' };
