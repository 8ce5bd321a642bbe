// The installation's users: role (changed in place), status, and disabling or enabling one; an
// admin disabling someone confirms it in the row (it ends their sessions at once).
import { useState } from 'react';
import { RelativeTime } from '../shell/relative-time.tsx';
import { fieldClass, quietButtonClass } from '../shell/controls.ts';
import type { ListedUser, Role } from './users.ts';
import { InlineConfirm } from '../shell/inline-confirm.tsx';


type Change = (user: ListedUser, change: { role?: Role; disabled?: boolean }) => Promise<void>;

export function UsersTable({ users, selfId, onChange }: { users: ListedUser[]; selfId?: string; onChange: Change }) {
  return (
    <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Users of this installation</caption>
        <thead className="border-b border-slate-200 text-xs uppercase text-slate-600 dark:border-slate-800 dark:text-slate-400">
          <tr>
            <th scope="col" className="px-4 py-2">Email</th>
            <th scope="col" className="px-4 py-2">Role</th>
            <th scope="col" className="px-4 py-2">Status</th>
            <th scope="col" className="px-4 py-2">Added</th>
            <th scope="col" className="px-4 py-2"><span className="sr-only">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <UserRow key={u.id} user={u} isSelf={u.id === selfId} onChange={onChange} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function UserRow({ user: u, isSelf, onChange }: { user: ListedUser; isSelf: boolean; onChange: Change }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const change = async (c: { role?: Role; disabled?: boolean }) => {
    setBusy(true);
    try {
      await onChange(u, c);
      setConfirming(false);
    } finally {
      setBusy(false);
    }
  };
  return (
    <tr data-user={u.email} className={`border-b border-slate-100 last:border-0 dark:border-slate-800 ${u.disabled ? 'text-slate-500 dark:text-slate-400' : ''}`}>
      <th scope="row" className="px-4 py-2 font-medium">
        {u.email}
        {isSelf && <span className="ml-2 text-xs font-normal text-slate-600 dark:text-slate-400">(you)</span>}
      </th>
      <td className="px-4 py-2">
        <select aria-label={`Role of ${u.email}`} className={fieldClass} value={u.role} disabled={busy} onChange={(e) => void change({ role: e.target.value as Role })}>
          <option value="admin">Admin</option>
          <option value="viewer">Viewer</option>
        </select>
      </td>
      <td className="px-4 py-2" data-status>
        {u.disabled ? (
          <span className="font-medium text-red-700 dark:text-red-400">Disabled</span>
        ) : u.has_password ? (
          <span className="font-medium text-emerald-700 dark:text-emerald-400">Enabled</span>
        ) : (
          <span title="Has not set a password yet: signs in by link">
            <span className="font-medium text-emerald-700 dark:text-emerald-400">Enabled</span>, no password yet
          </span>
        )}
      </td>
      <td className="px-4 py-2"><RelativeTime iso={u.created_at} /></td>
      <td className="px-4 py-2 text-right">
        {u.disabled && (
          <button type="button" className={quietButtonClass} disabled={busy} aria-label={`Enable ${u.email}`} onClick={() => void change({ disabled: false })}>
            Enable
          </button>
        )}
        {!u.disabled && !confirming && (
          <button type="button" className={quietButtonClass} aria-label={`Disable ${u.email}`} onClick={() => setConfirming(true)}>
            Disable
          </button>
        )}
        {!u.disabled && confirming && (
          <InlineConfirm
            label={`Confirm disabling ${u.email}`}
            warning={<span className="text-left text-xs">{isSelf ? 'This signs you out.' : 'Their sessions end at once.'}</span>}
            confirmText={`Disable ${u.email}`}
            busy={busy}
            onConfirm={() => void change({ disabled: true })}
            onCancel={() => setConfirming(false)}
          />
        )}
      </td>
    </tr>
  );
}
