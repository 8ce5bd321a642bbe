// Reading EXPLAIN (ANALYZE, FORMAT JSON) output in tests that bound how much a statement reads.
type PlanNode = { 'Actual Rows': number; 'Actual Loops': number; 'Rows Removed by Filter'?: number; Plans?: PlanNode[] };

/** The most rows any node of a plan read (produced, or read and filtered out), over all its loops. */
export function mostRowsReadByANode(explained: unknown): number {
  // PostgreSQL returns the JSON parsed; PGlite may hand it over as text.
  const doc = (typeof explained === 'string' ? JSON.parse(explained) : explained) as Array<{ Plan: PlanNode }>;
  const most = (node: PlanNode): number =>
    Math.max((node['Actual Rows'] + (node['Rows Removed by Filter'] ?? 0)) * node['Actual Loops'], ...(node.Plans ?? []).map(most));
  return most(doc[0]!.Plan);
}
