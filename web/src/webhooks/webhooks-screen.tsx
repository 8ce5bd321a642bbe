// Webhooks: the endpoints every event of the project's emails is pushed to. Admins add endpoints
// (the secret shown once), turn them on and off, rotate secrets, send a test event and replay
// deliveries; viewers see the endpoints and their delivery logs.
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useSearch } from '@tanstack/react-router';
import { LoadError } from '../shell/load-error.tsx';
import { useIsAdmin } from '../users/use-is-admin.ts';
import { CreateEndpointForm } from './create-endpoint-form.tsx';
import { DeliveryLog } from './delivery-log.tsx';
import { EndpointList, type EndpointActions } from './endpoint-list.tsx';
import { NewSecretPanel } from './new-secret-panel.tsx';
import { rotateSecret, sendTest, setEnabled, WEBHOOKS_KEY, webhooksQuery, type EndpointWithSecret } from './webhooks.ts';

export function WebhooksScreen() {
  const isAdmin = useIsAdmin();
  const queryClient = useQueryClient();
  const endpoints = useQuery(webhooksQuery);
  const { endpoint: selectedId } = useSearch({ strict: false }) as { endpoint?: string };
  const [secret, setSecret] = useState<{ endpoint: EndpointWithSecret; rotated: boolean }>();
  const [error, setError] = useState<string>();
  const refresh = () => queryClient.invalidateQueries({ queryKey: WEBHOOKS_KEY });

  const attempt = (what: string, action: () => Promise<unknown>) => async () => {
    setError(undefined);
    try {
      await action();
    } catch (err) {
      setError(`Could not ${what}: ${(err as Error).message}`);
    }
    await refresh();
  };
  const actions: EndpointActions = {
    setEnabled: (e, enabled) => attempt(enabled ? 'enable the endpoint' : 'disable the endpoint', () => setEnabled(e.id, enabled))(),
    rotate: (e) => attempt('rotate the secret', async () => setSecret({ endpoint: await rotateSecret(e.id), rotated: true }))(),
    test: (e) => attempt('send a test event', () => sendTest(e.id))(),
  };
  const selected = endpoints.data?.find((e) => e.id === selectedId) ?? endpoints.data?.[0];

  return (
    <div className="mx-auto max-w-6xl space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Webhooks</h1>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Every event of your emails is POSTed to these endpoints as it is logged, signed per Standard Webhooks and retried for about a day.
          {!isAdmin && ' You are a viewer: admins add and change endpoints.'}
        </p>
      </div>
      {secret && <NewSecretPanel endpoint={secret.endpoint} rotated={secret.rotated} onDone={() => setSecret(undefined)} />}
      {isAdmin && (
        <CreateEndpointForm
          onCreated={(endpoint) => {
            setSecret({ endpoint, rotated: false });
            void refresh();
          }}
        />
      )}
      {error && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      )}
      <section aria-labelledby="endpoints-title" className="space-y-3">
        <h2 id="endpoints-title" className="text-lg font-semibold">
          Endpoints
        </h2>
        {endpoints.error && <LoadError what="read the webhook endpoints" error={endpoints.error} />}
        {endpoints.isPending && <p className="text-slate-600 dark:text-slate-400">Reading the endpoints…</p>}
        {endpoints.data?.length === 0 && (
          <p className="rounded-lg border border-dashed border-slate-300 p-4 text-sm text-slate-600 dark:border-slate-700 dark:text-slate-400">
            {isAdmin ? 'No endpoint yet. Add one above to receive every event of your emails.' : 'No endpoint yet. An admin adds them here.'}
          </p>
        )}
        {endpoints.data && endpoints.data.length > 0 && <EndpointList endpoints={endpoints.data} selected={selected?.id} canChange={isAdmin} actions={actions} />}
      </section>
      {selected && <DeliveryLog endpoint={selected} canReplay={isAdmin} />}
    </div>
  );
}
