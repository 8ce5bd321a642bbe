// API keys: what the project's scripts and apps authenticate with. Admins create (the key shown
// once) and revoke; viewers see the list. Last use follows without a reload.
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { LoadError } from '../shell/load-error.tsx';
import { fieldClass, labelClass } from '../shell/controls.ts';
import { useIsAdmin } from '../users/use-is-admin.ts';
import { API_KEYS_KEY, apiKeysQuery, KEYS_SHOWN, revokeApiKey, type ApiKey, type CreatedApiKey, type KeysShown } from './api-keys.ts';
import { useRefetchOnStats } from './use-refetch-on-stats.ts';
import { CreateKeyForm } from './create-key-form.tsx';
import { NewKeyPanel } from './new-key-panel.tsx';
import { ApiKeysTable } from './api-keys-table.tsx';

const SHOWN_LABELS: Record<KeysShown, string> = { all: 'All keys', active: 'Active keys', revoked: 'Revoked keys' };

export function ApiKeysScreen() {
  const isAdmin = useIsAdmin();
  const queryClient = useQueryClient();
  const keys = useQuery(apiKeysQuery);
  useRefetchOnStats(API_KEYS_KEY);
  const search = useSearch({ strict: false }) as { keys?: KeysShown };
  const navigate = useNavigate();
  const shown = search.keys ?? 'all';
  const [created, setCreated] = useState<CreatedApiKey>();
  const [revokeError, setRevokeError] = useState<string>();

  const onCreated = (key: CreatedApiKey) => {
    setCreated(key);
    void queryClient.invalidateQueries({ queryKey: API_KEYS_KEY });
  };
  const onRevoke = async (key: ApiKey) => {
    setRevokeError(undefined);
    try {
      await revokeApiKey(key.id);
    } catch (err) {
      setRevokeError(`Could not revoke ${key.name}: ${(err as Error).message}`);
    }
    await queryClient.invalidateQueries({ queryKey: API_KEYS_KEY });
  };
  const rows = (keys.data ?? []).filter((k) => shown === 'all' || (shown === 'active') === (k.revoked_at === null));

  return (
    <div className="mx-auto max-w-6xl space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">API keys</h1>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Scripts and apps send <code>Authorization: Bearer &lt;key&gt;</code> with every request to <code>/v1</code>. A revoked key is refused from its next
          request on.{!isAdmin && ' You are a viewer: admins create and revoke keys.'}
        </p>
      </div>

      {created && <NewKeyPanel created={created} onDone={() => setCreated(undefined)} />}
      {isAdmin && <CreateKeyForm onCreated={onCreated} />}

      <section aria-labelledby="keys-title" className="space-y-3">
        <div className="flex flex-wrap items-end justify-between gap-3">
          <h2 id="keys-title" className="text-lg font-semibold">
            Keys
          </h2>
          <div>
            <label htmlFor="keys-shown" className={labelClass}>
              Show
            </label>
            <select
              id="keys-shown"
              className={`${fieldClass} mt-1`}
              value={shown}
              onChange={(e) => void navigate({ to: '.', search: (prev: Record<string, unknown>) => ({ ...prev, keys: e.target.value === 'all' ? undefined : e.target.value }) as never })}
            >
              {KEYS_SHOWN.map((s) => (
                <option key={s} value={s}>
                  {SHOWN_LABELS[s]}
                </option>
              ))}
            </select>
          </div>
        </div>
        {revokeError && (
          <p role="alert" className="text-sm text-red-700 dark:text-red-400">
            {revokeError}
          </p>
        )}
        {keys.error && <LoadError what="read the API keys" error={keys.error} />}
        {keys.isPending && <p className="text-slate-600 dark:text-slate-400">Reading the keys…</p>}
        {keys.data && rows.length === 0 && (
          <p className="rounded-lg border border-dashed border-slate-300 p-4 text-sm text-slate-600 dark:border-slate-700 dark:text-slate-400">
            {keys.data.length === 0
              ? isAdmin
                ? 'No API key yet. Create one above, then send your first email with it (the Overview shows the command).'
                : 'No API key yet. An admin creates them here.'
              : `No ${shown} keys. Choose “All keys” to see every key.`}
          </p>
        )}
        {rows.length > 0 && <ApiKeysTable keys={rows} canRevoke={isAdmin} onRevoke={onRevoke} />}
      </section>
    </div>
  );
}
