// A confirmation in place of a modal dialog (Radix's modal injects a <style> the CSP refuses): what
// will happen, the dangerous button named for what it does, and Cancel, which takes the focus and
// answers Escape, so the safe choice is the easy one.
import type { ReactNode } from 'react';
import { dangerButtonClass, quietButtonClass } from './controls.ts';

export function InlineConfirm(props: {
  /** Names the group for screen readers, e.g. "Confirm revoking shop backend". */
  label: string;
  warning: ReactNode;
  confirmText: string;
  busy: boolean;
  onConfirm(): void;
  onCancel(): void;
  className?: string;
}) {
  return (
    <div
      role="group"
      aria-label={props.label}
      className={props.className ?? 'flex flex-wrap items-center justify-end gap-2'}
      onKeyDown={(e) => e.key === 'Escape' && props.onCancel()}
    >
      {props.warning}
      <button type="button" className={dangerButtonClass} disabled={props.busy} onClick={props.onConfirm}>
        {props.confirmText}
      </button>
      <button type="button" className={quietButtonClass} autoFocus onClick={props.onCancel}>
        Cancel
      </button>
    </div>
  );
}
