// The app's routes: sign-in on its own, every other screen inside the shell, which needs a session.
// The period and time zone are search params of the shell, so every screen shares them; a screen
// names in its staticData the pickers of them that change what it shows, and only those appear.
import { createRootRouteWithContext, createRoute, createRouter, lazyRouteComponent, Outlet, redirect } from '@tanstack/react-router';
import type { QueryClient } from '@tanstack/react-query';
import { sessionQuery } from './session.ts';
import { validatePeriodSearch, type Picker } from './period.ts';
import { validateSettingsSearch } from './settings/settings.ts';
import { AppShell } from './shell/app-shell.tsx';
import { NotFound } from './shell/not-found.tsx';
import { validateLogSearch } from './email-logs/log-search.ts';
import { validateDetailSearch } from './email-logs/detail-search.ts';
import { validateKeysSearch } from './api-keys/api-keys.ts';
import { validateDomainsSearch } from './domains/domains.ts';
import { validateWebhooksSearch } from './webhooks/webhooks.ts';
import { validateAuditSearch } from './audit/audit.ts';

type RouterContext = { queryClient: QueryClient };

const rootRoute = createRootRouteWithContext<RouterContext>()({ component: Outlet });

export const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/sign-in',
  validateSearch: (raw: Record<string, unknown>): { next?: string } => (typeof raw.next === 'string' ? { next: raw.next } : {}),
  component: lazyRouteComponent(() => import('./sign-in/sign-in-screen.tsx'), 'SignInScreen'),
});

export const shellRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'shell',
  validateSearch: validatePeriodSearch,
  beforeLoad: async ({ context, location }) => {
    const session = await context.queryClient.ensureQueryData(sessionQuery);
    if (!session) throw redirect({ to: '/sign-in', search: { next: location.href } });
    return { user: session.user };
  },
  component: AppShell,
});

export const overviewRoute = createRoute({
  getParentRoute: () => shellRoute,
  staticData: { pickers: ['period', 'tz'] },
  path: '/',
  component: lazyRouteComponent(() => import('./overview/overview-screen.tsx'), 'OverviewScreen'),
});

export const systemRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: '/system',
  component: lazyRouteComponent(() => import('./system/system-screen.tsx'), 'SystemScreen'),
});

export const settingsRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: '/settings',
  validateSearch: validateSettingsSearch,
  component: lazyRouteComponent(() => import('./settings/settings-screen.tsx'), 'SettingsScreen'),
});

export const emailLogsRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: '/email-logs',
  validateSearch: validateLogSearch,
  component: lazyRouteComponent(() => import('./email-logs/email-logs-screen.tsx'), 'EmailLogsScreen'),
});

export const emailDetailRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: '/email-logs/$id',
  validateSearch: validateDetailSearch,
  component: lazyRouteComponent(() => import('./email-logs/email-detail-screen.tsx'), 'EmailDetailScreen'),
});

export const apiKeysRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: '/api-keys',
  validateSearch: validateKeysSearch,
  component: lazyRouteComponent(() => import('./api-keys/api-keys-screen.tsx'), 'ApiKeysScreen'),
});

export const domainsRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: '/domains',
  validateSearch: validateDomainsSearch,
  component: lazyRouteComponent(() => import('./domains/domains-screen.tsx'), 'DomainsScreen'),
});

export const passwordRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: '/account/password',
  component: lazyRouteComponent(() => import('./account/password-screen.tsx'), 'PasswordScreen'),
});

export const webhooksRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: '/webhooks',
  validateSearch: validateWebhooksSearch,
  component: lazyRouteComponent(() => import('./webhooks/webhooks-screen.tsx'), 'WebhooksScreen'),
});

export const alertsRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: '/alerts',
  component: lazyRouteComponent(() => import('./alerts/alerts-screen.tsx'), 'AlertsScreen'),
});

export const usersRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: '/users',
  component: lazyRouteComponent(() => import('./users/users-screen.tsx'), 'UsersScreen'),
});

export const auditRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: '/audit',
  validateSearch: validateAuditSearch,
  component: lazyRouteComponent(() => import('./audit/audit-screen.tsx'), 'AuditScreen'),
});

const cursorSearch = (raw: Record<string, unknown>): { cursor?: string } => (typeof raw.cursor === 'string' && raw.cursor.length <= 500 ? { cursor: raw.cursor } : {});

export const campaignsRoute = createRoute({
  getParentRoute: () => shellRoute,
  staticData: { pickers: ['tz'] },
  path: '/campaigns',
  validateSearch: cursorSearch,
  component: lazyRouteComponent(() => import('./campaigns/campaigns-screen.tsx'), 'CampaignsScreen'),
});

export const campaignNewRoute = createRoute({
  getParentRoute: () => shellRoute,
  staticData: { pickers: ['tz'] },
  path: '/campaigns/new',
  component: lazyRouteComponent(() => import('./campaigns/campaign-new-screen.tsx'), 'CampaignNewScreen'),
});

export const campaignRoute = createRoute({
  getParentRoute: () => shellRoute,
  staticData: { pickers: ['tz'] },
  path: '/campaigns/$id',
  component: lazyRouteComponent(() => import('./campaigns/campaign-detail-screen.tsx'), 'CampaignDetailScreen'),
});

export const suppressionsRoute = createRoute({
  getParentRoute: () => shellRoute,
  staticData: { pickers: ['tz'] },
  path: '/suppressions',
  validateSearch: (raw: Record<string, unknown>): { cursor?: string; email?: string } => ({
    ...cursorSearch(raw),
    ...(typeof raw.email === 'string' && raw.email.length <= 320 ? { email: raw.email } : {}),
  }),
  component: lazyRouteComponent(() => import('./suppressions/suppressions-screen.tsx'), 'SuppressionsScreen'),
});

export const inboundRoute = createRoute({
  getParentRoute: () => shellRoute,
  staticData: { pickers: ['tz'] },
  path: '/inbound',
  validateSearch: (raw: Record<string, unknown>): { cursor?: string; matched?: 'true' | 'all' } => ({
    ...cursorSearch(raw),
    ...(raw.matched === 'true' || raw.matched === 'all' ? { matched: raw.matched } : {}),
  }),
  component: lazyRouteComponent(() => import('./inbound/inbound-screen.tsx'), 'InboundScreen'),
});

export const inboundMessageRoute = createRoute({
  getParentRoute: () => shellRoute,
  staticData: { pickers: ['tz'] },
  path: '/inbound/$id',
  component: lazyRouteComponent(() => import('./inbound/inbound-message-screen.tsx'), 'InboundMessageScreen'),
});

const routeTree = rootRoute.addChildren([
  signInRoute,
  shellRoute.addChildren([
    overviewRoute, emailLogsRoute, emailDetailRoute, campaignsRoute, campaignNewRoute, campaignRoute, suppressionsRoute,
    inboundRoute, inboundMessageRoute, domainsRoute, apiKeysRoute, webhooksRoute, usersRoute, alertsRoute, settingsRoute, systemRoute, passwordRoute,
    auditRoute,
  ]),
]);

export function createAppRouter(queryClient: QueryClient) {
  return createRouter({
    routeTree,
    context: { queryClient },
    defaultPreload: 'intent',
    defaultNotFoundComponent: NotFound,
    scrollRestoration: true,
  });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
  interface StaticDataRouteOption {
    /** The pickers whose choice this screen reads; none: the top bar shows none. */
    pickers?: readonly Picker[];
  }
}
