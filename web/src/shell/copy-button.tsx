// A button that copies a value and says so, for keys, links and DNS records; where the page may not
// use the clipboard it says to select the value instead.
import { useEffect, useState } from 'react';
import { quietButtonClass } from './controls.ts';

const SAID_FOR_MS = 2500;

/** `label` names what is copied, for screen readers and the button's title ("Copy the key"). */
export function CopyButton({ value, label, compact = false }: { value: string; label: string; compact?: boolean }) {
  const [state, setState] = useState<'copied' | 'refused'>();
  useEffect(() => {
    if (!state) return;
    const timer = setTimeout(() => setState(undefined), SAID_FOR_MS);
    return () => clearTimeout(timer);
  }, [state]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setState('copied');
    } catch {
      setState('refused');
    }
  };
  return (
    <span className="inline-flex items-center gap-2">
      <button type="button" className={`${quietButtonClass} ${compact ? 'px-2 py-1 text-xs' : ''}`} aria-label={label} title={label} onClick={() => void copy()}>
        {state === 'copied' ? 'Copied' : 'Copy'}
      </button>
      <span role="status" className="text-xs text-slate-600 dark:text-slate-400">
        {state === 'refused' ? 'Copying is not allowed here: select the text and copy it.' : ''}
      </span>
    </span>
  );
}
