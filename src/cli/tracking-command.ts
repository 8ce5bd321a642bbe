// `sendtrail tracking replay FILE.jsonl` and `sendtrail tracking reclassify`: auditing and re-deciding tracking counts.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { Config } from '../config/schema.ts';
import { createClassifier, loadSignatures, SignatureFileError, type ClassifyHit } from '../tracking/classify/index.ts';

export const TRACKING_USAGE = `  tracking replay FILE.jsonl        Run the classifier over recorded hits (no database) and print the counts as JSON
  tracking reclassify [--batch N]   Re-run the classifier over stored opens and clicks (after a signature update)`;

export async function trackingCommand(config: Config, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { batch: { type: 'string' } } });
  let classify: ClassifyHit;
  try {
    classify = createClassifier({ signatures: loadSignatures(config.TRACKING_SIGNATURES_DIR || undefined) });
  } catch (err) {
    if (err instanceof SignatureFileError || (err as NodeJS.ErrnoException).code) return fail(`tracking signatures: ${(err as Error).message}`, 1);
    throw err;
  }
  if (positionals[0] === 'replay') {
    const file = positionals[1];
    if (!file || positionals.length > 2) return fail('tracking replay: give one file of recorded hits (JSON lines)', 2);
    const { replayHits } = await import('../tracking/replay/replay-hits.ts');
    const input = createReadStream(file, 'utf8');
    const opened = new Promise<void>((resolve, reject) => input.once('open', () => resolve()).once('error', reject));
    try {
      await opened;
    } catch (err) {
      return fail(`tracking replay: cannot read ${file}: ${(err as Error).message}`, 1);
    }
    const { output, problems } = await replayHits(createInterface({ input, crlfDelay: Infinity }), classify);
    for (const p of problems) console.error(`${file}:${p.line}: skipped: ${p.problem}`);
    if (problems.length > 0) console.error(`sendtrail: ${problems.length} line(s) skipped; ${output.hits.length} hit(s) replayed`);
    process.stdout.write(`${JSON.stringify(output)}\n`);
    return 0;
  }
  if (positionals[0] === 'reclassify') {
    const batch = values.batch === undefined ? 500 : Number(values.batch);
    if (!Number.isInteger(batch) || batch < 1) return fail('tracking reclassify: --batch is a positive integer', 2);
    const { openConfiguredStore } = await import('../store/open-configured-store.ts');
    const { reclassifyStoredHits } = await import('../tracking/reclassify/reclassify-stored-hits.ts');
    const store = await openConfiguredStore(config);
    try {
      const r = await reclassifyStoredHits(store.db, classify, { emailsPerBatch: batch });
      console.log(`Reclassified ${r.hits} hit(s) of ${r.emails} email(s): ${r.changed} verdict(s) changed, ${r.backfillsAdded} back-filled open(s) added, ${r.backfillsRemoved} withdrawn.`);
    } finally {
      await store.close();
    }
    return 0;
  }
  return fail('tracking: the subcommand is "replay FILE.jsonl" or "reclassify"', 2);
}

function fail(message: string, code: number): number {
  console.error(`sendtrail: ${message}`);
  return code;
}
