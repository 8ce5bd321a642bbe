// Starts the dashboard: one query cache for the API's answers, the router, and a session that
// ends sends the viewer back to sign in from wherever they were.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { isUnauthorized } from './api.ts';
import { signedOut } from './session.ts';
import { createAppRouter } from './router.tsx';
import './styles.css';

const onError = (err: unknown) => {
  if (!isUnauthorized(err) || router.state.location.pathname === '/sign-in') return;
  signedOut(queryClient);
  void router.navigate({ to: '/sign-in', search: { next: router.state.location.href } });
};

const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError }),
  mutationCache: new MutationCache({ onError }),
  defaultOptions: {
    queries: { staleTime: 10_000, retry: (failures, err) => !isUnauthorized(err) && failures < 2, refetchOnWindowFocus: true },
  },
});
const router = createAppRouter(queryClient);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  </StrictMode>,
);
