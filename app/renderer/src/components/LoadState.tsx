// The three states of anything loaded from the engine: loading, failed (what happened, and a retry), or the content.
import { CircleAlert, LoaderCircle, RefreshCw } from 'lucide-react'
import type { ReactNode } from 'react'
import { errorMessage } from '../format/error-message'

export interface LoadStateProps {
  loading: boolean
  error: unknown
  /** Offered with the error. */
  onRetry?: () => void
  /** What is loading, for the messages: "the apps" → "Loading the apps…", "Could not load the apps". */
  what: string
  /** Whether there is content to show; content already shown stays while a reload runs. */
  ready?: boolean
  children?: ReactNode
}

export function LoadState({ loading, error, onRetry, what, ready, children }: LoadStateProps) {
  const hasContent = ready ?? (!loading && !error)
  if (hasContent) return <>{children}</>
  if (error && !loading) {
    return (
      <div className="load-error" role="alert">
        <CircleAlert aria-hidden="true" size={18} />
        <div>
          <p className="load-error-title">Could not load {what}</p>
          <p className="load-error-message">{errorMessage(error)}</p>
        </div>
        {onRetry && (
          <button type="button" className="button" onClick={onRetry}>
            <RefreshCw aria-hidden="true" size={14} /> Retry
          </button>
        )}
      </div>
    )
  }
  return (
    <div className="loading" role="status" aria-live="polite">
      <LoaderCircle aria-hidden="true" size={18} className="spin" />
      <span>Loading {what}…</span>
    </div>
  )
}
