// Holds a streamed recipient list until it has been read to the end and found valid: in memory
// while small, then in a temporary file, so an upload of any size costs one batch of memory.
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { RecipientBatch } from './campaign-emails.repository.ts';

/**
 * Why spool rather than insert while reading: the upload is all or nothing, and holding a database
 * transaction open while a slow client uploads would stall every query of the process on PGlite
 * (one connection). The transaction starts once the whole list is here and runs at database speed.
 */
export class RecipientSpool {
  private pending: RecipientBatch = { emails: [], data: [] };
  private file: { dir: string; path: string; out: WriteStream } | undefined;
  size = 0;

  constructor(private readonly batchRows: number) {}

  add(email: string, data: string | null): void {
    this.pending.emails.push(email);
    this.pending.data.push(data);
    this.size++;
  }

  /** Moves a full in-memory batch to the file; call after each add()ed chunk. */
  async spillIfFull(): Promise<void> {
    if (this.pending.emails.length >= this.batchRows) await this.spill();
  }

  /** The spooled recipients in batches of at most `batchRows`, in the order they were added. */
  async *batches(): AsyncGenerator<RecipientBatch> {
    if (!this.file) {
      for (let i = 0; i < this.pending.emails.length; i += this.batchRows) {
        yield { emails: this.pending.emails.slice(i, i + this.batchRows), data: this.pending.data.slice(i, i + this.batchRows) };
      }
      return;
    }
    await this.spill();
    this.file.out.end();
    await once(this.file.out, 'close');
    let batch: RecipientBatch = { emails: [], data: [] };
    for await (const line of createInterface({ input: createReadStream(this.file.path), crlfDelay: Infinity })) {
      const tab = line.indexOf('\t');
      batch.emails.push(line.slice(0, tab));
      batch.data.push(tab + 1 < line.length ? line.slice(tab + 1) : null);
      if (batch.emails.length === this.batchRows) {
        yield batch;
        batch = { emails: [], data: [] };
      }
    }
    if (batch.emails.length > 0) yield batch;
  }

  async dispose(): Promise<void> {
    if (!this.file) return;
    this.file.out.destroy();
    await rm(this.file.dir, { recursive: true, force: true });
    this.file = undefined;
  }

  // One line per recipient: address, tab, data JSON. Neither can hold a tab or a line break: the
  // address was validated and JSON.stringify escapes control characters.
  private async spill(): Promise<void> {
    if (!this.file) {
      const dir = await mkdtemp(join(tmpdir(), 'sendtrail-recipients-'));
      const path = join(dir, 'recipients.tsv');
      this.file = { dir, path, out: createWriteStream(path) };
    }
    const { emails, data } = this.pending;
    let text = '';
    for (let i = 0; i < emails.length; i++) text += `${emails[i]}\t${data[i] ?? ''}\n`;
    this.pending = { emails: [], data: [] };
    if (!this.file.out.write(text)) await once(this.file.out, 'drain');
  }
}
