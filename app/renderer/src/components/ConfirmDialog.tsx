// Confirms an action that changes money or access, runs it, and reports the outcome: on success it closes and posts a
// notice; on failure it stays open with the engine's message, so the person can fix the cause and try again.
import { useState, type ReactNode } from 'react'
import { errorMessage } from '../format/error-message'
import { notify } from '../store/notices'
import { Dialog } from './Dialog'

export interface ConfirmDialogProps {
  title: string
  /** What will happen, in words. */
  children: ReactNode
  confirmLabel: string
  /** Red confirm button for actions that take something away (block, forget). */
  danger?: boolean
  /** The action; a rejected promise keeps the dialog open and shows the error. */
  onConfirm: () => Promise<unknown> | unknown
  onClose: () => void
  /** Posted as a notice when the action succeeded. */
  successMessage?: string
  /** Called after success (before onClose), e.g. to navigate away from a forgotten app. */
  onDone?: () => void
}

export function ConfirmDialog({ title, children, confirmLabel, danger, onConfirm, onClose, successMessage, onDone }: ConfirmDialogProps) {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const run = async () => {
    setBusy(true)
    setError(null)
    try {
      await onConfirm()
    } catch (e) {
      setError(e)
      setBusy(false)
      return
    }
    setBusy(false)
    if (successMessage) notify('success', successMessage)
    onDone?.()
    onClose()
  }
  return (
    <Dialog
      title={title}
      onClose={onClose}
      busy={busy}
      alert
      footer={
        <>
          <button type="button" className="button" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="button" className={danger ? 'button danger' : 'button primary'} onClick={run} disabled={busy}>
            {busy ? 'Working…' : confirmLabel}
          </button>
        </>
      }
    >
      <div className="confirm-text">{children}</div>
      {error !== null && (
        <p className="form-error" role="alert">
          {errorMessage(error)}
        </p>
      )}
    </Dialog>
  )
}
