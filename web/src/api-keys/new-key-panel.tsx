// A key just created: shown this once, with a copy button, and said plainly that it will not be again.
import { useEffect, useRef } from 'react';
import { CopyButton } from '../shell/copy-button.tsx';
import { quietButtonClass } from '../shell/controls.ts';
import type { CreatedApiKey } from './api-keys.ts';

export function NewKeyPanel({ created, onDone }: { created: CreatedApiKey; onDone: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section aria-labelledby="new-key-title" className="rounded-lg border border-amber-300 bg-amber-50 p-4 dark:border-amber-700 dark:bg-amber-950">
      <h2 id="new-key-title" ref={heading} tabIndex={-1} className="text-lg font-semibold">
        Your new key “{created.name}”
      </h2>
      <p className="mt-1 text-sm">
        <strong>Copy it now: you won’t see it again.</strong> Sendtrail keeps only a hash of it, so nobody can show it to you later; if it is lost, create
        another and revoke this one.
      </p>
      <div className="mt-3 flex flex-wrap items-center gap-2">
        <code data-new-key className="break-all rounded-md bg-slate-900 px-3 py-2 font-mono text-sm text-slate-100">
          {created.key}
        </code>
        <CopyButton value={created.key} label="Copy the new key" />
      </div>
      <p className="mt-3 text-sm">
        Send it as <code>Authorization: Bearer {created.prefix}…</code> with every request to <code>/v1</code>.
      </p>
      <button type="button" className={`${quietButtonClass} mt-3`} onClick={onDone}>
        I have copied it
      </button>
    </section>
  );
}
