// An email's detail: who, what and where it stands, then tabs for its Events timeline, its Content
// as sent, its Headers and its Raw message. The tab is in the URL (?tab=events), so a link can say
// which one to read.
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useParams, useSearch } from '@tanstack/react-router';
import { Tabs } from 'radix-ui';
import { emailEventsQuery, emailQuery, campaignNameQuery, type Email } from './emails-api.ts';
import { useLiveEmails } from './live-emails.ts';
import { StatusBadge } from './status-badge.tsx';
import { exactTime } from './times.tsx';
import { EventTimeline } from './event-timeline.tsx';
import { ContentTab } from './content-tab.tsx';
import { HeadersTab, RawTab } from './source-tabs.tsx';
import { LoadError } from './load-error.tsx';
import { TABS, type DetailTab } from './detail-search.ts';

const tabClass =
  'border-b-2 border-transparent px-3 py-2 text-sm font-medium text-slate-600 hover:text-slate-900 data-[state=active]:border-teal-700 data-[state=active]:text-teal-900 dark:text-slate-400 dark:hover:text-slate-100 dark:data-[state=active]:border-teal-400 dark:data-[state=active]:text-teal-100';

export function EmailDetailScreen() {
  const { id } = useParams({ strict: false }) as { id: string };
  const { tab = 'events' } = useSearch({ strict: false }) as { tab?: DetailTab };
  const navigate = useNavigate();
  const email = useQuery(emailQuery(id));
  const events = useQuery(emailEventsQuery(id));
  useLiveEmails(id);

  if (email.error) {
    return (
      <div className="mx-auto max-w-5xl space-y-4">
        <BackLink />
        <LoadError what="this email" error={email.error} />
      </div>
    );
  }
  if (!email.data) return <p className="text-slate-600 dark:text-slate-400">Reading the email…</p>;
  const e = email.data;
  return (
    <div className="mx-auto max-w-5xl space-y-5">
      <BackLink />
      <div className="flex flex-wrap items-start justify-between gap-3">
        <h1 className="min-w-0 break-words text-2xl font-semibold">{e.subject || '(no subject)'}</h1>
        <StatusBadge status={e.status} />
      </div>
      <Facts email={e} />
      <Tabs.Root value={tab} onValueChange={(value) => void navigate({ to: '.', search: (prev: Record<string, unknown>) => ({ ...prev, tab: value }) as never, replace: true })}>
        <Tabs.List aria-label="About this email" className="flex gap-1 overflow-x-auto border-b border-slate-200 dark:border-slate-800">
          {TABS.map((t) => (
            <Tabs.Trigger key={t.value} value={t.value} className={tabClass}>
              {t.label}
            </Tabs.Trigger>
          ))}
        </Tabs.List>
        <Tabs.Content value="events" className="pt-4 focus:outline-none">
          {events.error ? <LoadError what="the events" error={events.error} /> : events.data ? <EventTimeline events={events.data} /> : <p>Reading the events…</p>}
        </Tabs.Content>
        <Tabs.Content value="content" className="pt-4">
          {tab === 'content' && <ContentTab id={id} />}
        </Tabs.Content>
        <Tabs.Content value="headers" className="pt-4">
          {tab === 'headers' && <HeadersTab id={id} />}
        </Tabs.Content>
        <Tabs.Content value="raw" className="pt-4">
          {tab === 'raw' && <RawTab id={id} />}
        </Tabs.Content>
      </Tabs.Root>
    </div>
  );
}

function BackLink() {
  return (
    <Link to="/email-logs" className="text-sm text-teal-800 hover:underline dark:text-teal-300">
      ← Email Logs
    </Link>
  );
}

function Facts({ email: e }: { email: Email }) {
  const campaign = useQuery({ ...campaignNameQuery(e.campaign_id ?? ''), enabled: e.campaign_id !== null });
  const rows: Array<[string, React.ReactNode]> = [
    ['From', e.from],
    ['To', e.to],
    ...(e.cc.length > 0 ? [['Cc', e.cc.join(', ')] as [string, React.ReactNode]] : []),
    [
      'Campaign',
      e.campaign_id ? (
        <Link to="/campaigns/$id" params={{ id: e.campaign_id }} className="text-teal-800 hover:underline dark:text-teal-300">
          {campaign.data ?? e.campaign_id}
        </Link>
      ) : (
        'none (transactional)'
      ),
    ],
    ['Tags', e.tags.length > 0 ? e.tags.join(', ') : 'none'],
    ['Created', exactTime(e.created_at)],
    ['Email id', <code key="id" className="break-all text-xs">{e.id}</code>],
    ['Message-ID', <code key="mid" className="break-all text-xs">{e.message_id}</code>],
    ['Attempts', `${e.attempts}${e.transport ? ` (${e.transport})` : ''}`],
  ];
  return (
    <dl className="grid grid-cols-1 gap-x-6 gap-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm sm:grid-cols-2 dark:border-slate-800 dark:bg-slate-900">
      {rows.map(([label, value]) => (
        <div key={label} className="min-w-0">
          <dt className="text-xs font-medium text-slate-600 dark:text-slate-400">{label}</dt>
          <dd className="break-words">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
