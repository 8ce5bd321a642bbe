// One inbound message: who sent it to which address, what Sendtrail made of it, the raw message
// to read (as text, never rendered) and to download.
import { useQuery } from '@tanstack/react-query';
import { Link, useParams, useSearch } from '@tanstack/react-router';
import { browserTimeZone } from '../period.ts';
import { quietButtonClass } from '../shell/controls.ts';
import { Card, LoadError, When, linkClass } from '../campaigns/parts.tsx';
import { inboundMessageQuery, inboundRawQuery, KIND_WORDS } from './inbound-api.ts';
import { formatBytes } from './inbound-screen.tsx';

export function InboundMessageScreen() {
  const { id } = useParams({ strict: false }) as { id: string };
  const search = useSearch({ strict: false }) as { tz?: string };
  const tz = search.tz ?? browserTimeZone();
  const message = useQuery(inboundMessageQuery(id));
  const raw = useQuery(inboundRawQuery(id));
  const m = message.data;
  const rows: Array<[string, React.ReactNode]> = m
    ? [
        ['Kind', KIND_WORDS[m.kind] ?? m.kind],
        ['From', m.from ?? '–'],
        ['Envelope sender', m.mail_from || '<> (a mail server\'s report)'],
        ['To', Array.isArray(m.rcpt_to) ? m.rcpt_to.join(', ') : (m.rcpt_to ?? '–')],
        ['Received', <When key="r" iso={m.received_at} tz={tz} />],
        ['Size', formatBytes(m.size_bytes)],
        [
          'Matched',
          m.email_id ? (
            <a key="m" href={`/email-logs/${m.email_id}`} className={linkClass}>
              the email it answers ({m.event_count} {m.event_count === 1 ? 'event' : 'events'} recorded)
            </a>
          ) : (
            'no email Sendtrail sent: nothing was recorded from it'
          ),
        ],
        ...(m.forward ? ([['Forwarded', `${m.forward.state} after ${m.forward.attempts} attempts${m.forward.error ? ` (${m.forward.error})` : ''}`]] as Array<[string, React.ReactNode]>) : []),
      ]
    : [];
  return (
    <div className="mx-auto max-w-5xl space-y-6">
      <div className="flex flex-wrap items-end gap-4">
        <div className="min-w-0">
          <p className="text-sm">
            <Link to="/inbound" search={{ tz: search.tz }} className={linkClass}>
              Inbound
            </Link>
          </p>
          <h1 className="break-words text-2xl font-semibold">{m ? m.subject || '(no subject)' : 'Inbound message'}</h1>
        </div>
        <a href={`/v1/inbound/${id}/raw`} download={`inbound-${id}.eml`} className={`${quietButtonClass} ml-auto`}>
          Download raw (.eml)
        </a>
      </div>
      {message.error && <LoadError what="read this message" error={message.error} />}
      {m && (
        <Card title="Message" id="message-title">
          <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-[12rem_1fr]">
            {rows.map(([k, v]) => (
              <div key={k} className="contents">
                <dt className="text-slate-600 dark:text-slate-400">{k}</dt>
                <dd className="break-words">{v}</dd>
              </div>
            ))}
          </dl>
        </Card>
      )}
      <Card title="Raw message" id="raw-title">
        {raw.error && <LoadError what="read the raw message" error={raw.error} />}
        {raw.data && (
          <>
            <pre tabIndex={0} aria-label="The raw message" className="max-h-[32rem] overflow-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-3 font-mono text-xs dark:bg-slate-950">
              {raw.data.text}
            </pre>
            {raw.data.cut && <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">The first 64 KB are shown; download the raw message for all of it.</p>}
          </>
        )}
      </Card>
    </div>
  );
}
