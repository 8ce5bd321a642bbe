// The message as a recipient would see it, in a sandboxed frame: scripts off, nothing fetched
// from other hosts (remote images are counted, not loaded), links shown but not followed.
import { useEffect, useMemo, useRef } from 'react';
import { inertHtml, renderInto } from './render-preview.ts';

export function EmailPreview({ html, title }: { html: string; title: string }) {
  const frame = useRef<HTMLIFrameElement>(null);
  const inert = useMemo(() => inertHtml(html), [html]);
  useEffect(() => {
    const doc = frame.current?.contentDocument;
    if (doc) renderInto(doc, inert);
  }, [inert]);
  return (
    <div>
      {/* allow-same-origin without allow-scripts: the dashboard may write into the frame, nothing in it may run. */}
      <iframe ref={frame} sandbox="allow-same-origin" title={title} className="h-[28rem] w-full rounded-md border border-slate-300 bg-white dark:border-slate-600" />
      {inert.blockedImages > 0 && (
        <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">
          {inert.blockedImages === 1 ? '1 remote image is' : `${inert.blockedImages} remote images are`} not loaded in the preview.
        </p>
      )}
    </div>
  );
}
