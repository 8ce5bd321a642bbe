// A secret just made (an endpoint created, or its secret rotated): shown this once, with a copy button.
import { useEffect, useRef } from 'react';
import { CopyButton } from '../shell/copy-button.tsx';
import { quietButtonClass } from '../shell/controls.ts';
import type { EndpointWithSecret } from './webhooks.ts';

export function NewSecretPanel({ endpoint, rotated, onDone }: { endpoint: EndpointWithSecret; rotated: boolean; onDone: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section aria-labelledby="new-secret-title" className="rounded-lg border border-amber-300 bg-amber-50 p-4 dark:border-amber-700 dark:bg-amber-950">
      <h2 id="new-secret-title" ref={heading} tabIndex={-1} className="text-lg font-semibold">
        {rotated ? 'The new signing secret' : 'The signing secret'} of {endpoint.url}
      </h2>
      <p className="mt-1 text-sm">
        <strong>Copy it now: you won’t see it again.</strong> Your receiver verifies each request’s <code>webhook-signature</code> with it (any Standard
        Webhooks library does).
        {rotated && ' For 24 hours every request is signed with this secret and the previous one, so switch your receiver within that time.'}
      </p>
      <div className="mt-3 flex flex-wrap items-center gap-2">
        <code data-new-secret className="break-all rounded-md bg-slate-900 px-3 py-2 font-mono text-sm text-slate-100">
          {endpoint.secret}
        </code>
        <CopyButton value={endpoint.secret} label="Copy the secret" />
      </div>
      <button type="button" className={`${quietButtonClass} mt-3`} onClick={onDone}>
        I have copied it
      </button>
    </section>
  );
}
