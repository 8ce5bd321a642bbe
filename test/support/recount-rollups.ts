// The rollups as they should be: every email's whole log folded from nothing, compared with what the
// scheduler's batches left in the tables. Tests of exactly-once folding (crashes, concurrent writers
// and schedulers, reclassifications) assert that the two are equal.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/store/database.ts';
import { loadEmailDimensions, loadEmailLogs } from '../../src/analytics/rollups/email-log.repository.ts';
import { domainOf, foldBatch, type EmailToFold } from '../../src/analytics/rollups/fold-batch.ts';
import { STATS_HOURLY_COUNTERS, type RollupDeps } from '../../src/analytics/rollups/index.ts';

type Rows = Record<string, number>;
/** projectHourly and projectMachine: the project-wide tables, summed over campaigns and sending domains. */
export type RollupSnapshot = { hourly: Rows; machine: Rows; projectHourly: Rows; projectMachine: Rows; clients: Rows; links: Rows };

const iso = (d: Date | string) => new Date(d).toISOString();
const ofProject = (projectId: string | undefined) => sql<boolean>`(${projectId ?? null}::uuid IS NULL OR project_id = ${projectId ?? null}::uuid)`;

/** What a fresh fold of the whole log gives, as `key -> n` (zeros left out). */
export async function recount(deps: Pick<RollupDeps, 'db' | 'providers' | 'clientOf'>, projectId?: string): Promise<RollupSnapshot> {
  const { db } = deps;
  let emails = db.selectFrom('emails').select('id');
  if (projectId) emails = emails.where('project_id', '=', projectId);
  const ids = (await emails.execute()).map((r) => r.id);
  const end = (await sql<{ txid: string; id: number }>`SELECT e.txid::text AS txid, e.id FROM events e ORDER BY e.txid DESC, e.id DESC LIMIT 1`.execute(db)).rows[0];
  const out: RollupSnapshot = { hourly: {}, machine: {}, projectHourly: {}, projectMachine: {}, clients: {}, links: {} };
  if (!end || ids.length === 0) return out;
  const logs = await loadEmailLogs(db, ids, { txid: end.txid, id: Number(end.id) });
  const dims = await loadEmailDimensions(db, ids);
  const providers = await deps.providers.providersOf([...new Set([...dims.values()].map((d) => domainOf(d.toAddress)))]);
  const folded: EmailToFold[] = [...dims].map(([id, d]) => ({
    projectId: d.projectId, campaignId: d.campaignId, tags: d.tags, sendingDomain: domainOf(d.fromAddress),
    provider: providers.get(domainOf(d.toAddress)) ?? 'other', log: logs.get(id) ?? [],
  }));
  const { deltas } = foldBatch(folded, { txid: '0', id: 0 }, deps.clientOf);
  const put = (rows: Rows, key: string, n: number) => { if (n !== 0) rows[key] = (rows[key] ?? 0) + n; };
  for (const d of deltas.hourly.values()) {
    for (const [c, n] of Object.entries(d.counters)) {
      put(out.hourly, `${d.project_id}|${d.campaign_id}|${d.tag}|${d.sending_domain}|${d.provider}|${iso(d.hour)}|${c}`, n!);
      put(out.projectHourly, `${d.project_id}|${d.tag}|${d.provider}|${iso(d.hour)}|${c}`, n!);
    }
  }
  for (const d of deltas.machine.values()) {
    put(out.machine, `${d.project_id}|${d.campaign_id}|${d.tag}|${d.sending_domain}|${d.provider}|${iso(d.hour)}|${d.kind}|${d.why}`, d.n);
    put(out.projectMachine, `${d.project_id}|${d.tag}|${d.provider}|${iso(d.hour)}|${d.kind}|${d.why}`, d.n);
  }
  for (const d of deltas.clients.values()) put(out.clients, `${d.project_id}|${d.campaign_id}|${d.day}|${d.kind}|${d.client}|${d.os}|${d.device}`, d.n);
  for (const d of deltas.links.values()) {
    put(out.links, `${d.campaign_id}|${d.link_index}|clicks`, d.clicks);
    put(out.links, `${d.campaign_id}|${d.link_index}|clickers`, d.clickers);
  }
  // Sums that came to zero are left out, as they are when read from the tables.
  for (const rows of Object.values(out)) for (const [key, n] of Object.entries(rows)) if (n === 0) delete rows[key];
  return out;
}

/** What the rollup tables hold, in recount's form (of one project, when given). */
export async function readRollups(db: Kysely<Database>, projectId?: string): Promise<RollupSnapshot> {
  const out: RollupSnapshot = { hourly: {}, machine: {}, projectHourly: {}, projectMachine: {}, clients: {}, links: {} };
  const put = (rows: Rows, key: string, n: number | string) => { if (Number(n) !== 0) rows[key] = Number(n); };
  for (const r of await db.selectFrom('stats_hourly').selectAll().where(ofProject(projectId)).execute()) {
    for (const c of STATS_HOURLY_COUNTERS) put(out.hourly, `${r.project_id}|${r.campaign_id}|${r.tag}|${r.sending_domain}|${r.provider}|${iso(r.hour)}|${c}`, r[c]);
  }
  for (const r of await db.selectFrom('stats_machine_hourly').selectAll().where(ofProject(projectId)).execute()) {
    put(out.machine, `${r.project_id}|${r.campaign_id}|${r.tag}|${r.sending_domain}|${r.provider}|${iso(r.hour)}|${r.kind}|${r.why}`, r.n);
  }
  for (const r of await db.selectFrom('stats_project_hourly').selectAll().where(ofProject(projectId)).execute()) {
    for (const c of STATS_HOURLY_COUNTERS) put(out.projectHourly, `${r.project_id}|${r.tag}|${r.provider}|${iso(r.hour)}|${c}`, r[c]);
  }
  for (const r of await db.selectFrom('stats_machine_project_hourly').selectAll().where(ofProject(projectId)).execute()) {
    put(out.projectMachine, `${r.project_id}|${r.tag}|${r.provider}|${iso(r.hour)}|${r.kind}|${r.why}`, r.n);
  }
  const clients = await sql<{ project_id: string; campaign_id: string; day: string; kind: string; client: string; os: string; device: string; n: string }>`
    SELECT project_id, campaign_id, to_char(day, 'YYYY-MM-DD') AS day, kind, client, os, device, n FROM stats_clients WHERE ${ofProject(projectId)}
  `.execute(db);
  for (const r of clients.rows) put(out.clients, `${r.project_id}|${r.campaign_id}|${r.day}|${r.kind}|${r.client}|${r.os}|${r.device}`, r.n);
  for (const r of await db.selectFrom('stats_links').selectAll().where(ofProject(projectId)).execute()) {
    put(out.links, `${r.campaign_id}|${r.link_index}|clicks`, r.clicks);
    put(out.links, `${r.campaign_id}|${r.link_index}|clickers`, r.clickers);
  }
  return out;
}
