// Cards: a titled panel for a section of a page, and the summary card of the Overview's top row (label, big value,
// a line of context).
import type { ReactNode } from 'react'

export function Card({ title, actions, children, className }: { title?: ReactNode; actions?: ReactNode; children: ReactNode; className?: string }) {
  return (
    <section className={['card', className].filter(Boolean).join(' ')}>
      {(title || actions) && (
        <header className="card-header">
          {title && <h2 className="card-title">{title}</h2>}
          {actions && <div className="card-actions">{actions}</div>}
        </header>
      )}
      <div className="card-body">{children}</div>
    </section>
  )
}

export function SummaryCard({
  label,
  value,
  hint,
  icon,
  tone,
}: {
  label: string
  value: ReactNode
  hint?: ReactNode
  icon?: ReactNode
  /** A warning tone adds a border; the hint must say why (never colour alone). */
  tone?: 'warn' | 'bad'
}) {
  return (
    <section className={['card summary-card', tone && `tone-${tone}`].filter(Boolean).join(' ')} aria-label={label}>
      <div className="summary-label">
        {icon && <span aria-hidden="true">{icon}</span>}
        {label}
      </div>
      <div className="summary-value">{value}</div>
      {hint && <div className="summary-hint">{hint}</div>}
    </section>
  )
}
