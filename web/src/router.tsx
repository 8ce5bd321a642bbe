// The app's routes: sign-in on its own, every other screen inside the shell, which needs a session.
// The period and time zone are search params of the shell, so every screen shares them.
import { createRootRouteWithContext, createRoute, createRouter, lazyRouteComponent, Outlet, redirect } from '@tanstack/react-router';
import type { QueryClient } from '@tanstack/react-query';
import { sessionQuery } from './session.ts';
import { validatePeriodSearch } from './period.ts';
import { validateSettingsSearch } from './settings/settings.ts';
import { AppShell } from './shell/app-shell.tsx';
import { NotFound } from './shell/not-found.tsx';
import { validateLogSearch } from './email-logs/log-search.ts';
import { validateDetailSearch } from './email-logs/detail-search.ts';
import { validateKeysSearch } from './api-keys/api-keys.ts';
import { validateDomainsSearch } from './domains/domains.ts';

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

export const usersRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: '/users',
  component: lazyRouteComponent(() => import('./users/users-screen.tsx'), 'UsersScreen'),
});

const routeTree = rootRoute.addChildren([
  signInRoute,
  shellRoute.addChildren([overviewRoute, emailLogsRoute, emailDetailRoute, domainsRoute, apiKeysRoute, usersRoute, settingsRoute, systemRoute]),
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
}
