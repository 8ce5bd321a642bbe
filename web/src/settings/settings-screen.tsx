// Settings: the project's retention (read by all, changed by admins), then the configuration in force, grouped as the schema groups it, each key with its value
// (secrets masked by the server), where it came from and what it does.
import { useQuery } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { ApiError } from '../api.ts';
import { filterSettings, settingsQuery, type Setting, type SettingsSearch } from './settings.ts';
import { RetentionPanel } from './retention-panel.tsx';

export function SettingsScreen() {
  const settings = useQuery(settingsQuery);
  const search = useSearch({ strict: false }) as SettingsSearch;
  const navigate = useNavigate();
  const update = (change: Partial<SettingsSearch>) => {
    const next: Record<string, unknown> = { ...search, ...change };
    for (const key of Object.keys(next)) if (next[key] === undefined || next[key] === '') delete next[key];
    void navigate({ to: '.', search: next as never, replace: true });
  };
  const groups = settings.data ? filterSettings(settings.data.groups, search) : [];

  return (
    <div className="mx-auto max-w-7xl space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Settings</h1>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          This project's retention, then the configuration this server runs with, from its environment variables; secrets are never shown. To change one, set the variable and restart
          Sendtrail (<code className="rounded bg-slate-100 px-1 dark:bg-slate-800">npx sendtrail config</code> prints the same).
        </p>
      </div>
      <RetentionPanel />
      <div className="flex flex-wrap items-end gap-4">
        <label className="flex flex-col text-sm">
          <span className="text-slate-600 dark:text-slate-400">Search settings</span>
          <input
            type="search"
            value={search.q ?? ''}
            onChange={(e) => update({ q: e.target.value || undefined })}
            placeholder="Key or description"
            className="mt-1 w-72 rounded-md border border-slate-300 bg-white px-2 py-1.5 dark:border-slate-700 dark:bg-slate-900"
          />
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={search.source === 'env'} onChange={(e) => update({ source: e.target.checked ? 'env' : undefined })} className="size-4" />
          Only those set in the environment
        </label>
      </div>
      {settings.error && <SettingsError error={settings.error} />}
      {!settings.data && !settings.error && <p className="text-slate-600 dark:text-slate-400">Reading the settings…</p>}
      {settings.data && groups.length === 0 && (
        <p className="text-sm">
          No setting matches{search.q ? ` “${search.q}”` : ''}
          {search.source ? ' among those set in the environment' : ''}.{' '}
          <button type="button" className="text-teal-800 underline dark:text-teal-300" onClick={() => update({ q: undefined, source: undefined })}>
            Show every setting
          </button>
        </p>
      )}
      {groups.map((g) => (
        <section key={g.id} aria-labelledby={`group-${g.id}`} data-group={g.id} className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
          <h2 id={`group-${g.id}`} className="mb-3 text-lg font-semibold">
            {g.title}
          </h2>
          <dl className="divide-y divide-slate-100 dark:divide-slate-800">
            {g.settings.map((s) => (
              <SettingRow key={s.key} setting={s} />
            ))}
          </dl>
        </section>
      ))}
    </div>
  );
}

function SettingRow({ setting: s }: { setting: Setting }) {
  const isSetSecret = s.secret && s.value !== '';
  return (
    <div className="grid gap-1 py-3 md:grid-cols-[minmax(14rem,1fr)_2fr]" data-setting={s.key}>
      <dt>
        <code className="font-mono text-sm font-semibold break-all">{s.key}</code>
        <div className="mt-1 flex flex-wrap gap-1">
          <span
            className={`rounded px-1.5 text-xs font-medium ${s.source === 'env' ? 'bg-teal-50 text-teal-900 dark:bg-teal-950 dark:text-teal-100' : 'bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-200'}`}
            data-source={s.source}
          >
            {s.source === 'env' ? 'from the environment' : 'default'}
          </span>
          {s.secret && <span className="rounded bg-amber-50 px-1.5 text-xs font-medium text-amber-900 dark:bg-amber-950 dark:text-amber-100">secret</span>}
        </div>
      </dt>
      <dd className="min-w-0">
        <div className="font-mono text-sm break-all" data-value>
          {isSetSecret ? <span title="Set; secrets are never shown">{s.value} (set, hidden)</span> : s.value === '' ? <span className="text-slate-600 dark:text-slate-400">(empty)</span> : s.value}
        </div>
        {s.source === 'env' && !s.secret && (
          <div className="text-xs text-slate-600 dark:text-slate-400">
            default: <span className="font-mono">{s.default_value === '' ? '(empty)' : s.default_value}</span>
          </div>
        )}
        <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">{s.description}</p>
      </dd>
    </div>
  );
}

function SettingsError({ error }: { error: Error }) {
  const forbidden = error instanceof ApiError && error.status === 403;
  return (
    <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200">
      {forbidden ? 'Only admins can read the settings: they name the servers and accounts Sendtrail uses. Ask an admin.' : `Could not read the settings: ${error.message}`}
    </p>
  );
}
