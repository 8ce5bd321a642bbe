// `sendtrail audit verify`: walks the audit log's hash chain from its first row and names the first
// row that was changed, removed or inserted behind the application's back (exit 1), else says how
// many rows are intact (exit 0).
import type { Config } from '../config/schema.ts';
import { openConfiguredStore } from '../store/open-configured-store.ts';

export const AUDIT_USAGE = `  audit verify                      Check the audit log's hash chain; name the first broken row`;

export type AuditIo = { out(line: string): void; err(line: string): void };

export async function auditCommand(config: Config, args: string[], io: AuditIo): Promise<number> {
  if (args[0] !== 'verify' || args.length > 1) {
    io.err('sendtrail: audit: use "audit verify"');
    return 2;
  }
  const { verifyAuditChain } = await import('../audit/index.ts');
  const store = await openConfiguredStore(config);
  try {
    const verdict = await verifyAuditChain(store.db);
    if (verdict.ok) {
      io.out(`Audit log intact: ${verdict.rows} rows, each hash chained to the one before.`);
      return 0;
    }
    io.err(`Audit log broken at row ${verdict.seq}: ${verdict.problem} (${verdict.rows} rows before it are intact).`);
    return 1;
  } finally {
    await store.close();
  }
}
