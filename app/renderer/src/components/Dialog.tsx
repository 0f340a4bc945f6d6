// A modal dialog: traps focus inside, closes on Escape, gives focus back to what opened it. Hand-rolled because the
// needs are small (one role="dialog" box over the page); every dialog of the UI is built on it.
import { X } from 'lucide-react'
import { useEffect, useId, useRef, type ReactNode } from 'react'
import { createPortal } from 'react-dom'

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])'

export interface DialogProps {
  title: string
  onClose: () => void
  children: ReactNode
  /** Buttons at the bottom. */
  footer?: ReactNode
  /** While true, Escape and the close button do nothing (a call is running). */
  busy?: boolean
  /** role="alertdialog" for confirmations. */
  alert?: boolean
  className?: string
}

export function Dialog({ title, onClose, children, footer, busy, alert, className }: DialogProps) {
  const titleId = useId()
  const box = useRef<HTMLDivElement>(null)
  const closeRef = useRef(onClose)
  closeRef.current = onClose
  const busyRef = useRef(busy)
  busyRef.current = busy

  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null
    const el = box.current!
    // First field, else the first button after the close button, else the box itself.
    const first = el.querySelector<HTMLElement>('input, select, textarea') ?? el.querySelector<HTMLElement>('.dialog-footer button') ?? el
    first.focus()
    return () => {
      if (opener && document.contains(opener)) opener.focus()
    }
  }, [])

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation()
      if (!busyRef.current) closeRef.current()
      return
    }
    if (e.key !== 'Tab') return
    const items = Array.from(box.current!.querySelectorAll<HTMLElement>(FOCUSABLE))
    if (items.length === 0) {
      e.preventDefault()
      return
    }
    const first = items[0]!
    const last = items[items.length - 1]!
    if (e.shiftKey && (document.activeElement === first || document.activeElement === box.current)) {
      e.preventDefault()
      last.focus()
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault()
      first.focus()
    }
  }

  return createPortal(
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && !busy && onClose()}>
      <div
        ref={box}
        className={['dialog', className].filter(Boolean).join(' ')}
        role={alert ? 'alertdialog' : 'dialog'}
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        <header className="dialog-header">
          <h2 id={titleId} className="dialog-title">
            {title}
          </h2>
          <button type="button" className="button ghost icon" onClick={onClose} disabled={busy} aria-label="Close">
            <X aria-hidden="true" size={16} />
          </button>
        </header>
        <div className="dialog-body">{children}</div>
        {footer && <footer className="dialog-footer">{footer}</footer>}
      </div>
    </div>,
    document.body,
  )
}
