// The project's endpoints, each with its state (enabled, or off and why; failing since when), and
// for admins: enable or disable, rotate the secret (confirmed in place), send a test event.
import { useState } from 'react';
import { Link } from '@tanstack/react-router';
import { InlineConfirm } from '../shell/inline-confirm.tsx';
import { quietButtonClass } from '../shell/controls.ts';
import { RelativeTime } from '../shell/relative-time.tsx';
import type { Endpoint } from './webhooks.ts';

export type EndpointActions = {
  setEnabled(endpoint: Endpoint, enabled: boolean): Promise<void>;
  rotate(endpoint: Endpoint): Promise<void>;
  test(endpoint: Endpoint): Promise<void>;
};

export function EndpointList({ endpoints, selected, canChange, actions }: { endpoints: Endpoint[]; selected?: string; canChange: boolean; actions: EndpointActions }) {
  return (
    <ul className="space-y-3">
      {endpoints.map((e) => (
        <EndpointItem key={e.id} endpoint={e} isSelected={e.id === selected} canChange={canChange} actions={actions} />
      ))}
    </ul>
  );
}

function EndpointItem({ endpoint: e, isSelected, canChange, actions }: { endpoint: Endpoint; isSelected: boolean; canChange: boolean; actions: EndpointActions }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    try {
      await action();
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };
  return (
    <li
      aria-label={`Endpoint ${e.url}`}
      className={`rounded-lg border bg-white p-4 dark:bg-slate-900 ${isSelected ? 'border-teal-600 dark:border-teal-500' : 'border-slate-200 dark:border-slate-800'}`}
    >
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <p className="break-all font-mono text-sm">{e.url}</p>
          {e.description && <p className="text-sm text-slate-600 dark:text-slate-400">{e.description}</p>}
          <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">
            {e.event_types.length === 0 ? 'Every event' : e.event_types.join(', ')}
            {e.counted_only && ' · counted opens and clicks only'} · added <RelativeTime iso={e.created_at} />
          </p>
        </div>
        <span
          data-endpoint-state
          className={`rounded-full px-2 py-0.5 text-xs font-medium ${e.enabled ? 'bg-emerald-100 text-emerald-900 dark:bg-emerald-900 dark:text-emerald-100' : 'bg-slate-200 text-slate-800 dark:bg-slate-700 dark:text-slate-100'}`}
        >
          {e.enabled ? 'Enabled' : 'Disabled'}
        </span>
      </div>
      {!e.enabled && e.disabled_reason && <p className="mt-2 text-sm text-amber-800 dark:text-amber-300">Off: {e.disabled_reason}.</p>}
      {e.enabled && e.failing_since && (
        <p role="status" className="mt-2 text-sm text-red-700 dark:text-red-400">
          Every attempt has failed since <RelativeTime iso={e.failing_since} />; after 5 days the endpoint is disabled.
        </p>
      )}
      <div className="mt-3 flex flex-wrap items-center gap-2">
        <Link to="/webhooks" search={(prev: Record<string, unknown>) => ({ ...prev, endpoint: e.id }) as never} className={quietButtonClass}>
          Delivery log
        </Link>
        {canChange && !confirming && (
          <>
            <button type="button" className={quietButtonClass} disabled={busy} onClick={() => void run(() => actions.setEnabled(e, !e.enabled))}>
              {e.enabled ? 'Disable' : 'Enable'}
            </button>
            <button type="button" className={quietButtonClass} disabled={busy} onClick={() => void run(() => actions.test(e))}>
              Send test event
            </button>
            <button type="button" className={quietButtonClass} disabled={busy} onClick={() => setConfirming(true)}>
              Rotate secret
            </button>
          </>
        )}
        {confirming && (
          <InlineConfirm
            label={`Confirm rotating the secret of ${e.url}`}
            className="flex flex-wrap items-center gap-2"
            warning={<span className="text-sm">A new secret signs from now on; the current one also signs for 24 hours.</span>}
            confirmText="Rotate secret"
            busy={busy}
            onConfirm={() => void run(() => actions.rotate(e))}
            onCancel={() => setConfirming(false)}
          />
        )}
      </div>
    </li>
  );
}
