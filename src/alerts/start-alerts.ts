// The scheduler's alerts loop: every few seconds it offers each project an evaluation, which runs
// only when that project's last one is EVALUATION_INTERVAL_MS old (any scheduler process may hold
// the turn). What changed goes to `onChanges` after the commit (the admins' email).
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { startBackgroundTask, type BackgroundTask, type TaskLog } from '../shared/background-task.ts';
import { listProjectIds } from './alerts.repository.ts';
import { collectSignals, SIGNALS_BATCH } from './collect-signals.ts';
import { evaluateProject, EVALUATION_INTERVAL_MS, type AlertChange } from './evaluate-project.ts';

export type AlertsDeps = {
  db: Kysely<Database>;
  log?: TaskLog;
  /** How often projects are offered a turn (default 5 s). */
  tickMs?: number;
  intervalMs?: number;
  onChanges?: (projectId: string, changes: AlertChange[]) => Promise<void>;
};

export function startAlerts(deps: AlertsDeps): BackgroundTask {
  const tickMs = deps.tickMs ?? 5_000;
  return startBackgroundTask({
    name: 'evaluating alerts',
    intervalMs: tickMs,
    async run(isStopping) {
      // The signals first, so an evaluation sees the refusals and unsubscribes logged until now.
      while ((await collectSignals(deps.db)) === SIGNALS_BATCH && !isStopping());
      for (const projectId of await listProjectIds(deps.db)) {
        if (isStopping()) return;
        const { changes } = await evaluateProject(deps.db, projectId, { intervalMs: deps.intervalMs ?? EVALUATION_INTERVAL_MS });
        if (changes.length > 0) await deps.onChanges?.(projectId, changes).catch((err: unknown) => deps.log?.error({ err }, 'alert notification failed'));
      }
    },
  });
}
