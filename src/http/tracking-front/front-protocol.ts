// The messages between the main thread and the tracking front thread (front-thread.ts).
import type { Spooling } from '../../tracking/index.ts';

export type FrontData = {
  /** TRACKING_KEYS: the first signs, all verify. */
  keys: string[];
  spooling: Omit<Spooling, 'log'>;
};

export type ToFront =
  /** Open the public port; connections that are not tracking ones go on to `backend` (a Unix socket). */
  | { op: 'listen'; host: string; port: number; backend: string; trustProxy: string[] }
  /** The main thread committed (or failed to commit) the batch `id`. */
  | { op: 'committed'; id: number; error?: string }
  /** A hit the main thread's own handler took (a keep-alive connection that began with another request). */
  | { op: 'record'; id: number; line: string }
  | { op: 'close' };

export type FromFront =
  | { op: 'ready' }
  | { op: 'failed'; message: string }
  | { op: 'listening'; port: number }
  /** A batch of spooled hits to classify and store: spool lines joined by newlines. */
  | { op: 'commit'; id: number; text: string }
  | { op: 'recorded'; id: number; error?: string }
  | { op: 'warn'; message: string }
  | { op: 'closed' };
