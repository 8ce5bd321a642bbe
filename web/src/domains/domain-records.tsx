// One domain, chosen in the list: its records, and removing it (admins) after a confirmation in place.
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { LoadError } from '../shell/load-error.tsx';
import { quietButtonClass } from '../shell/controls.ts';
import { domainQuery, type Domain } from './domains.ts';
import { DnsRecordsTable } from './dns-records-table.tsx';
import { InlineConfirm } from '../shell/inline-confirm.tsx';


type Props = { name: string; canRemove: boolean; onRemove: (domain: Domain) => Promise<void> };

export function DomainRecords({ name, canRemove, onRemove }: Props) {
  const domain = useQuery(domainQuery(name));
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  if (domain.error) return <LoadError what={`read ${name}`} error={domain.error} />;
  if (!domain.data) return <p className="text-slate-600 dark:text-slate-400">Reading the records of {name}…</p>;
  const d = domain.data;
  const remove = async () => {
    setBusy(true);
    try {
      await onRemove(d);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="records-title" className="space-y-3">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h2 id="records-title" className="text-lg font-semibold">
            Records for {d.domain}
          </h2>
          <p className="max-w-3xl text-sm text-slate-600 dark:text-slate-400">
            Publish these at your DNS host. Mail from {d.domain} is signed already (selector <code>{d.selector}</code>, {d.algorithm === 'rsa' ? 'RSA' : 'Ed25519'});
            receivers can check the signature once the DKIM record is published.
          </p>
        </div>
        {canRemove && !confirming && (
          <button type="button" className={quietButtonClass} onClick={() => setConfirming(true)}>
            Remove {d.domain}
          </button>
        )}
      </div>
      {canRemove && confirming && (
        <InlineConfirm
          label={`Confirm removing ${d.domain}`}
          className="flex flex-wrap items-center gap-3 rounded-md border border-red-300 bg-red-50 p-3 text-sm dark:border-red-800 dark:bg-red-950"
          warning={<span>Its key is deleted and its mail goes out unsigned from the next message; adding it again makes a new key to publish.</span>}
          confirmText={`Remove ${d.domain} and its key`}
          busy={busy}
          onConfirm={() => void remove()}
          onCancel={() => setConfirming(false)}
        />
      )}
      <DnsRecordsTable domain={d.domain} records={d.records} />
    </section>
  );
}
