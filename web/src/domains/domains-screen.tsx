// Domains: the project's sending domains, adding one (admins), and the DNS records each needs, with
// copy buttons. The chosen domain is in the address (?domain=), so a link shows its records.
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { LoadError } from '../shell/load-error.tsx';
import { RelativeTime } from '../shell/relative-time.tsx';
import { useIsAdmin } from '../users/use-is-admin.ts';
import { DOMAINS_KEY, domainsQuery, removeDomain, type Domain, type DomainWithRecords } from './domains.ts';
import { AddDomainForm } from './add-domain-form.tsx';
import { DomainRecords } from './domain-records.tsx';

export function DomainsScreen() {
  const isAdmin = useIsAdmin();
  const queryClient = useQueryClient();
  const domains = useQuery(domainsQuery);
  const { domain: chosen } = useSearch({ strict: false }) as { domain?: string };
  const navigate = useNavigate();
  const [error, setError] = useState<string>();
  const choose = (name: string | undefined) => void navigate({ to: '.', search: (prev: Record<string, unknown>) => ({ ...prev, domain: name }) as never });

  const onAdded = (added: DomainWithRecords) => {
    queryClient.setQueryData([...DOMAINS_KEY, added.domain], added);
    void queryClient.invalidateQueries({ queryKey: DOMAINS_KEY, exact: true });
    choose(added.domain);
  };
  const onRemove = async (d: Domain) => {
    setError(undefined);
    try {
      await removeDomain(d.id);
      choose(undefined);
    } catch (err) {
      setError(`Could not remove ${d.domain}: ${(err as Error).message}`);
    }
    await queryClient.invalidateQueries({ queryKey: DOMAINS_KEY, exact: true });
  };

  return (
    <div className="mx-auto max-w-6xl space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Domains</h1>
        <p className="max-w-3xl text-sm text-slate-600 dark:text-slate-400">
          Mail whose From address is at one of these domains, or a subdomain of one, is DKIM-signed with its key. Mail from other domains goes out unsigned, which
          Gmail and Yahoo hold against bulk senders.{!isAdmin && ' You are a viewer: admins add and remove domains.'}
        </p>
      </div>
      {isAdmin && <AddDomainForm onAdded={onAdded} />}
      {error && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      )}
      <section aria-labelledby="domains-title" className="space-y-3">
        <h2 id="domains-title" className="text-lg font-semibold">
          Sending domains
        </h2>
        {domains.error && <LoadError what="read the domains" error={domains.error} />}
        {domains.isPending && <p className="text-slate-600 dark:text-slate-400">Reading the domains…</p>}
        {domains.data?.length === 0 && (
          <p className="rounded-lg border border-dashed border-slate-300 p-4 text-sm text-slate-600 dark:border-slate-700 dark:text-slate-400">
            No sending domain yet. {isAdmin ? 'Add the domain of your From addresses above' : 'An admin adds the domain of your From addresses here'}: Sendtrail makes its
            DKIM key and shows the DNS records to publish (DKIM, SPF, DMARC and the bounce domain’s MX).
          </p>
        )}
        {domains.data && domains.data.length > 0 && <DomainList domains={domains.data} chosen={chosen} onChoose={choose} />}
      </section>
      {chosen && <DomainRecords key={chosen} name={chosen} canRemove={isAdmin} onRemove={onRemove} />}
    </div>
  );
}

function DomainList({ domains, chosen, onChoose }: { domains: Domain[]; chosen?: string; onChoose: (name: string) => void }) {
  return (
    <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Sending domains of the project</caption>
        <thead className="border-b border-slate-200 text-xs uppercase text-slate-600 dark:border-slate-800 dark:text-slate-400">
          <tr>
            <th scope="col" className="px-4 py-2">Domain</th>
            <th scope="col" className="px-4 py-2">DKIM</th>
            <th scope="col" className="px-4 py-2">Bounce domain</th>
            <th scope="col" className="px-4 py-2">Added</th>
          </tr>
        </thead>
        <tbody>
          {domains.map((d) => (
            <tr key={d.id} data-domain={d.domain} className={`border-b border-slate-100 last:border-0 dark:border-slate-800 ${d.domain === chosen ? 'bg-teal-50 dark:bg-teal-950' : ''}`}>
              <th scope="row" className="px-4 py-2 font-medium">
                <button
                  type="button"
                  className="text-teal-800 underline hover:text-teal-950 dark:text-teal-300 dark:hover:text-teal-100"
                  aria-pressed={d.domain === chosen}
                  aria-label={`Show the records of ${d.domain}`}
                  onClick={() => onChoose(d.domain)}
                >
                  {d.domain}
                </button>
              </th>
              <td className="px-4 py-2">
                <code className="text-xs">{d.selector}</code> · {d.algorithm === 'rsa' ? 'RSA' : 'Ed25519'}
              </td>
              <td className="px-4 py-2">{d.bounce_domain ?? '–'}</td>
              <td className="px-4 py-2">
                <RelativeTime iso={d.created_at} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
