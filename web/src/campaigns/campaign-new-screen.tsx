// A new campaign: the message with template fields and a live preview, the recipients from a CSV
// (its columns and first rows shown before upload, every bad line named after), then send now,
// schedule or keep as a draft. The campaign is saved as a draft first, so a refused list loses nothing.
import { useId, useMemo, useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useQueryClient } from '@tanstack/react-query';
import { api } from '../api.ts';
import { browserTimeZone, zonedMidnight } from '../period.ts';
import { buttonClass, fieldClass, labelClass, quietButtonClass } from '../shell/controls.ts';
import { uploadRecipients, UploadError, type Campaign, type RecipientsAdded } from './campaigns-api.ts';
import { fillTemplate, templateFields } from './fill-template.ts';
import { readCsvHead, sampleOf, type CsvHead } from './read-csv-head.ts';
import { EmailPreview } from './email-preview.tsx';
import { BadLines, RecipientsPreview } from './recipients-preview.tsx';
import { Card, linkClass } from './parts.tsx';

const STARTER_HTML = `<style>a { color: #0f766e; }</style>
<h1 style="font-size:22px">Hello {{data.first_name}},</h1>
<p style="line-height:1.5">Our autumn collection is here.</p>
<p><a href="https://shop.example/autumn">See what is new</a></p>
<p style="font-size:12px;color:#64748b"><a href="{{unsubscribe_url}}">Unsubscribe</a></p>`;

type When = 'now' | 'schedule' | 'draft';
type Step = { kind: 'editing' } | { kind: 'working'; what: string } | { kind: 'bad-lines'; error: UploadError } | { kind: 'failed'; message: string };

export function CampaignNewScreen() {
  const search = useSearch({ strict: false }) as { tz?: string };
  const tz = search.tz ?? browserTimeZone();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const ids = useId();
  const [name, setName] = useState('');
  const [from, setFrom] = useState('');
  const [subject, setSubject] = useState('Hello {{data.first_name}}');
  const [html, setHtml] = useState(STARTER_HTML);
  const [text, setText] = useState('');
  const [file, setFile] = useState<File>();
  const [head, setHead] = useState<CsvHead>();
  const [when, setWhen] = useState<When>('now');
  const [at, setAt] = useState('');
  const [step, setStep] = useState<Step>({ kind: 'editing' });
  const [draftId, setDraftId] = useState<string>();
  const [added, setAdded] = useState<RecipientsAdded>();

  const fields = useMemo(() => templateFields(subject, html, text), [subject, html, text]);
  const sample = sampleOf(head) ?? { email: 'recipient@example.com', data: {} };
  const previewHtml = useMemo(() => fillTemplate(html, sample, 'html'), [html, sample.email, JSON.stringify(sample.data)]);

  const chooseFile = async (f: File | undefined) => {
    setFile(f);
    setHead(f ? await readCsvHead(f) : undefined);
    setAdded(undefined);
    setStep({ kind: 'editing' });
  };

  const scheduledAt = () => {
    if (when !== 'schedule' || !at) return undefined;
    const [day, time] = at.split('T') as [string, string];
    const [h, m] = time.split(':').map(Number) as [number, number];
    return new Date(zonedMidnight(day, tz).getTime() + (h * 60 + m) * 60_000).toISOString();
  };

  const run = async (skipInvalid: boolean) => {
    if (!file) return setStep({ kind: 'failed', message: 'Choose a CSV file of recipients first.' });
    try {
      let id = draftId;
      if (!id) {
        setStep({ kind: 'working', what: 'Saving the campaign…' });
        const created = await api<Campaign>('/v1/campaigns', {
          method: 'POST',
          body: { name, from, subject, html, ...(text ? { text } : {}), draft: true, ...(scheduledAt() ? { scheduled_at: scheduledAt() } : {}) },
        });
        id = created.id;
        setDraftId(id);
      }
      if (!added) {
        setStep({ kind: 'working', what: 'Uploading the recipients…' });
        setAdded(await uploadRecipients(id, file, skipInvalid));
      }
      if (when !== 'draft') {
        setStep({ kind: 'working', what: when === 'now' ? 'Sending…' : 'Scheduling…' });
        await api(`/v1/campaigns/${id}/send`, { method: 'POST' });
      }
      await queryClient.invalidateQueries({ queryKey: ['stats', 'campaigns'] });
      await navigate({ to: '/campaigns/$id', params: { id }, search: { tz: search.tz } });
    } catch (err) {
      if (err instanceof UploadError && err.lines.length > 0) return setStep({ kind: 'bad-lines', error: err });
      setStep({ kind: 'failed', message: (err as Error).message });
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(false);
  };
  const busy = step.kind === 'working';
  const submitLabel = when === 'now' ? 'Send campaign' : when === 'schedule' ? 'Schedule campaign' : 'Save draft';

  return (
    <div className="mx-auto max-w-7xl space-y-6">
      <div>
        <p className="text-sm">
          <Link to="/campaigns" search={{ tz: search.tz }} className={linkClass}>
            Campaigns
          </Link>
        </p>
        <h1 className="text-2xl font-semibold">New campaign</h1>
      </div>
      <form onSubmit={submit} className="grid gap-6 lg:grid-cols-2">
        <div className="space-y-6">
          <Card title="Message" id={`${ids}-message`}>
            <div className="space-y-3">
              <Field label="Name (only you see it)" id={`${ids}-name`}>
                <input id={`${ids}-name`} className={`${fieldClass} w-full`} required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
              </Field>
              <Field label="From" id={`${ids}-from`} hint='An address of a sending domain, e.g. "Shop <news@shop.example>".'>
                <input id={`${ids}-from`} className={`${fieldClass} w-full`} required maxLength={320} value={from} onChange={(e) => setFrom(e.target.value)} />
              </Field>
              <Field label="Subject" id={`${ids}-subject`}>
                <input id={`${ids}-subject`} className={`${fieldClass} w-full`} required maxLength={998} value={subject} onChange={(e) => setSubject(e.target.value)} />
              </Field>
              <Field label="HTML" id={`${ids}-html`} hint="Fields: {{email}}, {{data.column}} for any CSV column, {{unsubscribe_url}}.">
                <textarea id={`${ids}-html`} className={`${fieldClass} h-48 w-full font-mono text-xs`} required value={html} onChange={(e) => setHtml(e.target.value)} />
              </Field>
              <Field label="Plain text (optional)" id={`${ids}-text`}>
                <textarea id={`${ids}-text`} className={`${fieldClass} h-20 w-full font-mono text-xs`} value={text} onChange={(e) => setText(e.target.value)} />
              </Field>
            </div>
          </Card>
          <Card title="Recipients" id={`${ids}-recipients`}>
            <div className="space-y-3">
              <Field label="CSV file" id={`${ids}-file`} hint="A header line with an email column; other columns become fields.">
                <input id={`${ids}-file`} type="file" accept=".csv,text/csv" className="block text-sm" onChange={(e) => void chooseFile(e.target.files?.[0])} />
              </Field>
              {head && <RecipientsPreview head={head} fields={fields} />}
              {added && (
                <p role="status" className="text-sm text-emerald-800 dark:text-emerald-300">
                  {added.added} recipients added{added.duplicates ? `, ${added.duplicates} repeated addresses once` : ''}
                  {added.invalid ? `, ${added.invalid} bad lines skipped` : ''}.
                </p>
              )}
              {added && added.invalid_lines.length > 0 && <BadLines lines={added.invalid_lines} total={added.invalid} title="Skipped lines" />}
            </div>
          </Card>
          <Card title="When" id={`${ids}-when`}>
            <fieldset className="space-y-2">
              <legend className="sr-only">When to send</legend>
              {(
                [
                  ['now', 'Send now'],
                  ['schedule', 'Schedule'],
                  ['draft', 'Keep as a draft'],
                ] as const
              ).map(([value, label]) => (
                <label key={value} className="flex items-center gap-2 text-sm">
                  <input type="radio" name="when" value={value} checked={when === value} onChange={() => setWhen(value)} disabled={draftId !== undefined} />
                  {label}
                </label>
              ))}
              {when === 'schedule' && (
                <Field label={`Send at (${tz})`} id={`${ids}-at`}>
                  <input id={`${ids}-at`} type="datetime-local" className={fieldClass} required value={at} onChange={(e) => setAt(e.target.value)} />
                </Field>
              )}
            </fieldset>
          </Card>
          <div className="flex flex-wrap items-center gap-3">
            <button type="submit" className={buttonClass} disabled={busy || !file}>
              {submitLabel}
            </button>
            {step.kind === 'working' && <span role="status">{step.what}</span>}
          </div>
          {step.kind === 'failed' && (
            <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200">
              {step.message}
              {draftId && ' The campaign is saved as a draft.'}
            </p>
          )}
          {step.kind === 'bad-lines' && (
            <div className="space-y-3">
              <BadLines lines={step.error.lines} total={step.error.invalidCount} title={`The list was refused: ${step.error.invalidCount} bad ${step.error.invalidCount === 1 ? 'line' : 'lines'}, nothing added`} />
              <p className="text-sm">Fix the file and choose it again, or go on without these lines.</p>
              <button type="button" className={quietButtonClass} onClick={() => void run(true)}>
                Skip the bad lines and {when === 'draft' ? 'save' : when === 'now' ? 'send' : 'schedule'}
              </button>
            </div>
          )}
        </div>
        <div className="space-y-2 lg:sticky lg:top-4 lg:self-start">
          <Card title="Preview" id={`${ids}-preview`}>
            <p className="mb-2 text-sm">
              <span className="text-slate-600 dark:text-slate-400">To </span>
              {sample.email}
              <br />
              <span className="text-slate-600 dark:text-slate-400">Subject </span>
              <strong data-preview="subject">{fillTemplate(subject, sample, 'text')}</strong>
            </p>
            <EmailPreview html={previewHtml} title="Preview of the email" />
            <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">{head ? 'Filled with the first recipient of the file.' : 'Choose a CSV file to see its first recipient here.'}</p>
          </Card>
        </div>
      </form>
    </div>
  );
}

function Field({ label, id, hint, children }: { label: string; id: string; hint?: string; children: React.ReactNode }) {
  return (
    <div>
      <label htmlFor={id} className={labelClass}>
        {label}
      </label>
      <div className="mt-1">{children}</div>
      {hint && <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">{hint}</p>}
    </div>
  );
}
