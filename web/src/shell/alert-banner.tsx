// The banner on every screen while something needs a person: alerts triggered (how many, the
// worst one's message, the way to the Alerts page), and webhook endpoints Sendtrail disabled (a 410,
// or 5 days of failures), which send nothing until someone enables them again.
import { Link } from '@tanstack/react-router';
import { useQuery } from '@tanstack/react-query';
import { triggeredAlertsQuery } from '../alerts/alerts-api.ts';
import { webhooksQuery } from '../webhooks/webhooks.ts';

const RED = 'border-red-300 bg-red-50 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100';
const AMBER = 'border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100';
/** Reasons a person chose: not news to tell on every screen. */
const BY_A_USER = new Set(['disabled by a user', 'deleted']);

export function AlertBanner() {
  const alerts = useQuery(triggeredAlertsQuery).data ?? [];
  const offEndpoints = (useQuery(webhooksQuery).data ?? []).filter((e) => !e.enabled && e.disabled_reason && !BY_A_USER.has(e.disabled_reason));
  if (alerts.length === 0 && offEndpoints.length === 0) return null;
  const critical = alerts.filter((a) => a.level === 'critical');
  const worst = critical[0] ?? alerts[0];
  return (
    <>
      {worst && (
        <section aria-label="Alerts triggered" className={`flex flex-wrap items-center gap-x-3 gap-y-1 border-b px-4 py-2 text-sm ${critical.length > 0 ? RED : AMBER}`}>
          <strong>
            {alerts.length === 1 ? '1 alert' : `${alerts.length} alerts`} triggered{critical.length > 0 ? ` (${critical.length} critical)` : ''}:
          </strong>
          <span className="min-w-0 break-words">{worst.message}</span>
          <Link to="/alerts" search={(prev) => prev} className="ml-auto font-medium underline underline-offset-2">
            See the alerts
          </Link>
        </section>
      )}
      {offEndpoints.length > 0 && (
        <section aria-label="Webhook endpoints disabled" className={`flex flex-wrap items-center gap-x-3 gap-y-1 border-b px-4 py-2 text-sm ${AMBER}`}>
          <strong>Webhooks stopped:</strong>
          <span className="min-w-0 break-all">
            {offEndpoints[0]!.url} was disabled ({offEndpoints[0]!.disabled_reason}){offEndpoints.length > 1 ? `, and ${offEndpoints.length - 1} more` : ''}.
          </span>
          <Link to="/webhooks" search={(prev) => ({ ...prev, endpoint: offEndpoints[0]!.id })} className="ml-auto font-medium underline underline-offset-2">
            See the endpoints
          </Link>
        </section>
      )}
    </>
  );
}
