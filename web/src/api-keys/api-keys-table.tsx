// The project's keys: name, the prefix that tells them apart, created, last used, and revoking one
// with a confirmation in the row itself (not a modal dialog: Radix's injects a <style>, which the CSP refuses).
import { useState } from 'react';
import { RelativeTime } from '../shell/relative-time.tsx';
import { quietButtonClass } from '../shell/controls.ts';
import type { ApiKey } from './api-keys.ts';
import { InlineConfirm } from '../shell/inline-confirm.tsx';


type Props = { keys: ApiKey[]; canRevoke: boolean; onRevoke: (key: ApiKey) => Promise<void> };

export function ApiKeysTable({ keys, canRevoke, onRevoke }: Props) {
  return (
    <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">API keys of the project</caption>
        <thead className="border-b border-slate-200 text-xs uppercase text-slate-600 dark:border-slate-800 dark:text-slate-400">
          <tr>
            <th scope="col" className="px-4 py-2">Name</th>
            <th scope="col" className="px-4 py-2">Key</th>
            <th scope="col" className="px-4 py-2">Created</th>
            <th scope="col" className="px-4 py-2">Last used</th>
            <th scope="col" className="px-4 py-2">Status</th>
            {canRevoke && <th scope="col" className="px-4 py-2"><span className="sr-only">Actions</span></th>}
          </tr>
        </thead>
        <tbody>
          {keys.map((k) => (
            <KeyRow key={k.id} apiKey={k} canRevoke={canRevoke} onRevoke={onRevoke} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function KeyRow({ apiKey: k, canRevoke, onRevoke }: { apiKey: ApiKey; canRevoke: boolean; onRevoke: (key: ApiKey) => Promise<void> }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const revoke = async () => {
    setBusy(true);
    try {
      await onRevoke(k);
      setConfirming(false);
    } finally {
      setBusy(false);
    }
  };
  return (
    <tr data-key-id={k.id} className={`border-b border-slate-100 last:border-0 dark:border-slate-800 ${k.revoked_at ? 'text-slate-500 dark:text-slate-400' : ''}`}>
      <th scope="row" className="px-4 py-2 font-medium">{k.name}</th>
      <td className="px-4 py-2 font-mono text-xs">{k.prefix}…</td>
      <td className="px-4 py-2"><RelativeTime iso={k.created_at} /></td>
      <td className="px-4 py-2" data-last-used>{k.last_used_at ? <RelativeTime iso={k.last_used_at} /> : 'Never'}</td>
      <td className="px-4 py-2" data-status>
        {k.revoked_at ? (
          <span>
            <span className="font-medium text-red-700 dark:text-red-400">Revoked</span> <RelativeTime iso={k.revoked_at} />
          </span>
        ) : (
          <span className="font-medium text-emerald-700 dark:text-emerald-400">Active</span>
        )}
      </td>
      {canRevoke && (
        <td className="px-4 py-2 text-right">
          {!k.revoked_at && !confirming && (
            <button type="button" className={quietButtonClass} aria-label={`Revoke ${k.name}`} onClick={() => setConfirming(true)}>
              Revoke
            </button>
          )}
          {!k.revoked_at && confirming && (
            <InlineConfirm
              label={`Confirm revoking ${k.name}`}
              warning={<span className="text-left text-xs">Requests with this key will fail at once.</span>}
              confirmText={`Revoke ${k.name}`}
              busy={busy}
              onConfirm={() => void revoke()}
              onCancel={() => setConfirming(false)}
            />
          )}
        </td>
      )}
    </tr>
  );
}
