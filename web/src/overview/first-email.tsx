// A new install's Overview: how to send a first email to the mailbox simulator, ready to copy.
import { useState } from 'react';
import { Link } from '@tanstack/react-router';
import { quietButtonClass } from '../shell/controls.ts';

export function FirstEmail() {
  const command = `curl -s ${window.location.origin}/v1/emails \\
  -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \\
  -d '{"from":"you@example.com","to":["delivered@simulator.test","open@simulator.test"],
       "subject":"My first email","html":"<p>Hello from Sendtrail</p>","text":"Hello from Sendtrail"}'`;
  const [copied, setCopied] = useState<'yes' | 'no'>();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(command);
      setCopied('yes');
    } catch {
      setCopied('no');
    }
  };
  return (
    <section aria-labelledby="first-email-title" className="rounded-lg border border-teal-200 bg-teal-50 p-5 dark:border-teal-900 dark:bg-teal-950">
      <h2 id="first-email-title" className="text-lg font-semibold">
        Send your first email
      </h2>
      <p className="mt-1 max-w-3xl text-sm">
        Nothing has been sent yet. Addresses at <code>@simulator.test</code> are scripted recipients answered by Sendtrail itself:{' '}
        <code>delivered@</code> is delivered, <code>open@</code> is opened by a person some seconds later, <code>bounce@</code> bounces,{' '}
        <code>complaint@</code> reports spam. Set <code>KEY</code> to the API key <code>npm start</code> printed on its first start (or create one on the{' '}
        <Link to="/api-keys" search={(prev) => prev} className="text-teal-800 underline dark:text-teal-300">
          API keys
        </Link>{' '}
        screen), then run:
      </p>
      <pre tabIndex={0} aria-label="The command" className="mt-3 overflow-x-auto rounded-md bg-slate-900 p-3 text-xs text-slate-100">
        <code>{command}</code>
      </pre>
      <div className="mt-2 flex items-center gap-3">
        <button type="button" className={quietButtonClass} onClick={() => void copy()}>
          Copy the command
        </button>
        <span role="status" className="text-sm">
          {copied === 'yes' ? 'Copied.' : copied === 'no' ? 'Copying is not allowed here: select the command and copy it.' : ''}
        </span>
      </div>
      <p className="mt-2 text-sm">This page updates by itself as the emails are sent, delivered and opened.</p>
    </section>
  );
}
