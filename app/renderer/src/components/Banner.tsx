// A line across the page for something the person should know now (an app near its budget, the provider near its
// limit, Junction paused). The icon and the words carry the meaning; the colour only helps.
import { CircleAlert, Info, TriangleAlert } from 'lucide-react'
import type { ReactNode } from 'react'

export function Banner({ kind, children, action }: { kind: 'info' | 'warn' | 'error'; children: ReactNode; action?: ReactNode }) {
  const Icon = kind === 'error' ? CircleAlert : kind === 'warn' ? TriangleAlert : Info
  return (
    <div className={`banner banner-${kind}`} role={kind === 'info' ? 'status' : 'alert'}>
      <Icon aria-hidden="true" size={16} />
      <div className="banner-text">{children}</div>
      {action && <div className="banner-action">{action}</div>}
    </div>
  )
}
