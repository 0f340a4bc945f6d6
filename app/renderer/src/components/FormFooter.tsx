// The last row of a dialog's form: extra actions (if any), Cancel, and the submit button that says what it does and
// shows progress; everything disabled while the engine answers.
import type { ReactNode } from 'react'

export function FormFooter({ busy, onCancel, submitLabel, busyLabel = 'Saving…', children }: { busy: boolean; onCancel: () => void; submitLabel: string; busyLabel?: string; children?: ReactNode }) {
  return (
    <div className="dialog-footer flush">
      {children}
      <button type="button" className="button" onClick={onCancel} disabled={busy}>
        Cancel
      </button>
      <button type="submit" className="button primary" disabled={busy}>
        {busy ? busyLabel : submitLabel}
      </button>
    </div>
  )
}
