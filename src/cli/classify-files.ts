// Owns `sendtrail bounce classify FILE...`: one JSON line per file with the results of every message in it.
import { readFile } from 'node:fs/promises';
import { classifyReturnedMessage, splitMbox, type BounceResult } from '../bounces/index.ts';

/** The fields users debug a bounce with, in this order; diagnostics stay in the typed result. */
type PrintedResult = Pick<BounceResult, 'recipient' | 'action' | 'status' | 'reply_code' | 'reason' | 'hard' | 'feedback' | 'feedback_type' | 'vacation'>;

export type ClassifyOutput = { out: (line: string) => void; err: (line: string) => void };

/** Returns the exit status: 0, or 1 when a file could not be read (the others are still printed). */
export async function classifyFiles(files: readonly string[], output: ClassifyOutput): Promise<number> {
  let status = 0;
  for (const file of files) {
    let raw: Buffer;
    try {
      raw = await readFile(file);
    } catch (error) {
      output.err(`sendtrail: cannot read ${file}: ${(error as Error).message}`);
      status = 1;
      continue;
    }
    const results: PrintedResult[] = [];
    // An mbox file holds several messages (RFC 4155); a plain .eml is one.
    for (const message of splitMbox(raw)) {
      for (const r of (await classifyReturnedMessage(message)).results) {
        results.push({ recipient: r.recipient, action: r.action, status: r.status, reply_code: r.reply_code, reason: r.reason, hard: r.hard, feedback: r.feedback, feedback_type: r.feedback_type, vacation: r.vacation });
      }
    }
    output.out(JSON.stringify({ file, results }));
  }
  return status;
}
