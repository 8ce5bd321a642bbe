// The Headers tab (the header section as sent, in order) and the Raw tab (the RFC 822 message, to
// read and to download).
import { useQuery } from '@tanstack/react-query';
import { ApiError } from '../api.ts';
import { buttonClass } from '../shell/controls.ts';
import { emailContentQuery } from './emails-api.ts';
import { LoadError } from './load-error.tsx';

const SOURCE_WORDS = {
  captured: 'This is the message captured here (no SMTP_URL), byte for byte.',
  rebuilt: 'Sendtrail keeps no copy of each sent message: this one is rebuilt from the stored email as the worker composed it; its MIME boundaries differ and it carries no DKIM signature.',
  not_sent: 'Not sent yet: these are the headers it will go with.',
} as const;

export function HeadersTab({ id }: { id: string }) {
  const content = useQuery(emailContentQuery(id));
  if (content.error) return <LoadError what="the headers" error={content.error} />;
  if (!content.data) return <p>Reading the headers…</p>;
  return (
    <div className="space-y-3">
      <p className="text-sm text-slate-600 dark:text-slate-400">{SOURCE_WORDS[content.data.raw_source]}</p>
      <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Headers, in the order sent</caption>
          <thead className="border-b border-slate-200 text-xs uppercase text-slate-600 dark:border-slate-800 dark:text-slate-400">
            <tr>
              <th scope="col" className="px-3 py-2 font-medium">Name</th>
              <th scope="col" className="px-3 py-2 font-medium">Value</th>
            </tr>
          </thead>
          <tbody>
            {content.data.headers.map((h, i) => (
              <tr key={`${h.name}-${i}`} className="border-b border-slate-100 align-top last:border-0 dark:border-slate-800">
                <th scope="row" className="whitespace-nowrap px-3 py-1.5 font-medium">{h.name}</th>
                <td className="break-all px-3 py-1.5 font-mono text-xs">{h.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

const rawQuery = (id: string) => ({
  queryKey: ['emails', 'raw', id],
  queryFn: async () => {
    const res = await fetch(`/v1/emails/${id}/raw`, { credentials: 'same-origin' });
    if (!res.ok) {
      const body = (await res.json().catch(() => undefined)) as { error?: { code: string; message: string } } | undefined;
      throw new ApiError(res.status, body?.error?.code ?? `http_${res.status}`, body?.error?.message ?? res.statusText);
    }
    return { text: await res.text(), source: res.headers.get('sendtrail-raw-source') as keyof typeof SOURCE_WORDS | null };
  },
  retry: false,
  staleTime: 60_000,
});

export function RawTab({ id }: { id: string }) {
  const raw = useQuery(rawQuery(id));
  if (raw.error instanceof ApiError && raw.error.code === 'raw_not_available') {
    return <p className="text-sm text-slate-700 dark:text-slate-300">{raw.error.message}.</p>;
  }
  if (raw.error) return <LoadError what="the raw message" error={raw.error} />;
  if (!raw.data) return <p>Reading the raw message…</p>;
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-3">
        <a href={`/v1/emails/${id}/raw`} download={`${id}.eml`} className={buttonClass}>
          Download .eml
        </a>
        {raw.data.source && <p className="text-sm text-slate-600 dark:text-slate-400">{SOURCE_WORDS[raw.data.source]}</p>}
      </div>
      <pre tabIndex={0} aria-label="The raw message" className="max-h-[32rem] overflow-auto whitespace-pre-wrap break-all rounded-lg border border-slate-200 bg-white p-3 font-mono text-xs dark:border-slate-800 dark:bg-slate-900">
        {raw.data.text}
      </pre>
    </div>
  );
}
