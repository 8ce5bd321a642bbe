// The Content tab: the message as sent, in a sandboxed frame with scripts off, served by the API
// under a policy of its own (GET /v1/emails/:id/preview): no tracking pixel, remote images off until
// asked for, links shown but never followed from the frame, so looking records no open and no click.
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { quietButtonClass } from '../shell/controls.ts';
import { emailContentQuery } from './emails-api.ts';
import { LoadError } from './load-error.tsx';
import { ApiError } from '../api.ts';

export function ContentTab({ id }: { id: string }) {
  const content = useQuery(emailContentQuery(id));
  const [remoteImages, setRemoteImages] = useState(false);
  if (content.error instanceof ApiError && content.error.code === 'content_unavailable') {
    // Past the project's retention (or no longer renderable): a state of the email, not a failure of this screen.
    return (
      <p role="status" data-content-unavailable className="rounded-md border border-slate-200 bg-slate-50 p-3 text-sm text-slate-800 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-200">
        {content.error.message}
      </p>
    );
  }
  if (content.error) return <LoadError what="the content" error={content.error} />;
  if (!content.data) return <p>Reading the content…</p>;
  const c = content.data;
  const links = c.links.filter((l) => !l.hidden);
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-3 text-sm">
        <p className="text-slate-700 dark:text-slate-300">
          {c.tracking_pixel_removed ? 'The tracking pixel is removed here, so viewing records no open. ' : ''}
          {remoteImages ? 'Remote images are loaded.' : 'Remote images are off.'}
          {c.raw_source === 'not_sent' && ' Not sent yet: this is how it will go.'}
        </p>
        {c.html !== null && !remoteImages && (
          <button type="button" className={quietButtonClass} onClick={() => setRemoteImages(true)}>
            Load remote images
          </button>
        )}
      </div>
      {c.html !== null ? (
        <iframe
          title={`The email as sent: ${c.subject}`}
          src={`/v1/emails/${id}/preview${remoteImages ? '?remote_images=true' : ''}`}
          sandbox=""
          referrerPolicy="no-referrer"
          className="h-[32rem] w-full resize-y rounded-lg border border-slate-200 bg-white dark:border-slate-700"
        />
      ) : (
        <p className="text-sm text-slate-600 dark:text-slate-400">This email has no html part.</p>
      )}
      {links.length > 0 && (
        <section aria-labelledby="links-title">
          <h2 id="links-title" className="mb-2 font-semibold">Links, as rewritten for click tracking</h2>
          <ul className="space-y-2 text-sm">
            {links.map((l) => (
              <li key={l.index} className="min-w-0">
                <div className="break-all">{l.url}</div>
                <div className="break-all font-mono text-xs text-slate-600 dark:text-slate-400">via {l.tracked_url}</div>
              </li>
            ))}
          </ul>
        </section>
      )}
      {c.text !== null && (
        <section aria-labelledby="text-title">
          <h2 id="text-title" className="mb-2 font-semibold">Plain text</h2>
          <pre tabIndex={0} aria-label="The plain text part" className="max-h-96 overflow-auto whitespace-pre-wrap break-words rounded-lg border border-slate-200 bg-white p-3 text-xs dark:border-slate-700 dark:bg-slate-900">
            {c.text}
          </pre>
        </section>
      )}
    </div>
  );
}
