// Where action outcomes appear (store/notices.ts): a polite live region, so screen readers hear them too.
import { X } from 'lucide-react'
import { useNotices } from '../store/notices'

export function Notices() {
  const notices = useNotices((s) => s.notices)
  const dismiss = useNotices((s) => s.dismiss)
  return (
    <div className="notices" aria-live="polite" aria-relevant="additions">
      {notices.map((n) => (
        <div key={n.id} className={`notice notice-${n.kind}`} role={n.kind === 'error' ? 'alert' : 'status'}>
          <span>{n.text}</span>
          <button type="button" className="button ghost icon" onClick={() => dismiss(n.id)} aria-label="Dismiss">
            <X aria-hidden="true" size={14} />
          </button>
        </div>
      ))}
    </div>
  )
}
