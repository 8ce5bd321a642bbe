// The frame of every signed-in screen: the screens in a sidebar, the user and the pickers the
// screen reads (period, time zone) in a top bar, the screen in the middle.
import { Link, Outlet, useMatches } from '@tanstack/react-router';
import { useQuery } from '@tanstack/react-query';
import type { Picker } from '../period.ts';
import { sessionQuery } from '../session.ts';
import { PeriodPicker } from './period-picker.tsx';
import { TimeZonePicker } from './time-zone-picker.tsx';
import { UserMenu } from './user-menu.tsx';
import { AlertBanner } from './alert-banner.tsx';

/** Only screens that exist: each joins the list when it is built. */
const SCREENS = [
  { to: '/', label: 'Overview' },
  { to: '/email-logs', label: 'Email Logs' },
  { to: '/campaigns', label: 'Campaigns' },
  { to: '/suppressions', label: 'Suppressions' },
  { to: '/inbound', label: 'Inbound' },
  { to: '/domains', label: 'Domains' },
  { to: '/api-keys', label: 'API keys' },
  { to: '/webhooks', label: 'Webhooks' },
  { to: '/alerts', label: 'Alerts' },
  { to: '/users', label: 'Users', adminOnly: true },
  { to: '/settings', label: 'Settings' },
  { to: '/system', label: 'System' },
  { to: '/audit', label: 'Audit log', adminOnly: true },
] as const;

const NO_PICKERS: readonly Picker[] = [];

export function AppShell() {
  const user = useQuery(sessionQuery).data?.user;
  // A picker that changes nothing on the screen would only mislead: the screen's route names its own.
  const pickers = useMatches({ select: (matches) => matches.at(-1)?.staticData.pickers ?? NO_PICKERS });
  return (
    <div className="flex min-h-screen flex-col md:flex-row">
      <a href="#main" className="sr-only rounded bg-teal-700 px-3 py-2 text-white focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50">
        Skip to the screen
      </a>
      <nav aria-label="Screens" className="border-b border-slate-200 bg-white md:w-52 md:shrink-0 md:border-b-0 md:border-r dark:border-slate-800 dark:bg-slate-900">
        <div className="flex items-center gap-2 px-4 py-4 text-lg font-semibold">
          <img src="/favicon.svg" alt="" width={24} height={24} />
          Sendtrail
        </div>
        <ul className="flex flex-wrap gap-1 px-2 pb-2 md:flex-col md:flex-nowrap">
          {SCREENS.filter((s) => !('adminOnly' in s) || user?.role === 'admin').map((s) => (
            <li key={s.to}>
              <Link
                to={s.to}
                search={(prev) => prev}
                className="block rounded-md px-3 py-2 text-sm text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"
                activeProps={{ className: 'bg-teal-50 font-semibold text-teal-900 dark:bg-teal-950 dark:text-teal-100', 'aria-current': 'page' }}
                activeOptions={{ includeSearch: false, exact: s.to === '/' }}
              >
                {s.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex flex-wrap items-end gap-4 border-b border-slate-200 bg-white px-4 py-3 dark:border-slate-800 dark:bg-slate-900">
          {pickers.includes('period') && <PeriodPicker />}
          {pickers.includes('tz') && <TimeZonePicker />}
          <div className="ml-auto">{user && <UserMenu user={user} />}</div>
        </header>
        <AlertBanner />
        <main id="main" tabIndex={-1} className="flex-1 px-4 py-6 md:px-8">
          <Outlet />
        </main>
      </div>
    </div>
  );
}
