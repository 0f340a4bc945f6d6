// The strip on top of every page: which provider, Junction's own address (copyable), the link as a dot with words,
// the paused state, and Pause all apps / Resume (confirmed first). Also says when this page lost Junction itself.
import { Pause, Play } from 'lucide-react'
import { useState } from 'react'
import { useStatus } from '../store/status'
import { ConfirmDialog } from './ConfirmDialog'
import { CopyButton } from './CopyButton'
import { providerLinkWords } from './provider-words'
import { StatusDot } from './StatusDot'
import { useNow } from './use-now'

export function StatusStrip() {
  const status = useStatus((s) => s.status)
  const connection = useStatus((s) => s.connection)
  const setPaused = useStatus((s) => s.setPaused)
  const [confirm, setConfirm] = useState<'pause' | 'resume' | null>(null)
  const now = useNow(1000)

  if (connection === 'unauthorized') {
    return (
      <div className="status-strip" role="region" aria-label="Status">
        <StatusDot tone="bad" label="Junction refused this page's token" />
        <span className="muted">Open the ui= link from Junction's ready line again (the token changes at each start).</span>
      </div>
    )
  }
  if (connection !== 'open' && !status) {
    return (
      <div className="status-strip" role="region" aria-label="Status">
        <StatusDot tone="busy" label={connection === 'connecting' ? 'Connecting to Junction…' : 'Junction is not reachable — retrying'} />
      </div>
    )
  }
  if (!status) {
    return (
      <div className="status-strip" role="region" aria-label="Status">
        <StatusDot tone="busy" label="Loading status…" />
      </div>
    )
  }
  const link = providerLinkWords(status.provider, now)
  return (
    <div className="status-strip" role="region" aria-label="Status">
      {connection !== 'open' && <StatusDot tone="bad" label="Lost Junction — retrying; figures may be stale" />}
      <span title={link.detail}>
        <StatusDot tone={link.tone} label={link.label} className="strip-link" />
      </span>
      {link.tone === 'warn' && link.detail && (
        <span className="muted strip-detail" title={link.detail}>
          {link.detail}
        </span>
      )}
      <span className="strip-address">
        {status.address ? (
          <>
            <span className="muted">Address</span> <code>{status.address}</code>
            <CopyButton text={status.address} label="Copy address" />
          </>
        ) : (
          <span className="muted">No address yet</span>
        )}
      </span>
      <span className="strip-spacer" />
      {status.paused && <StatusDot tone="warn" label="Paused — apps cannot pay" />}
      {status.paused ? (
        <button type="button" className="button primary" onClick={() => setConfirm('resume')}>
          <Play size={14} aria-hidden="true" /> Resume
        </button>
      ) : (
        <button type="button" className="button" onClick={() => setConfirm('pause')}>
          <Pause size={14} aria-hidden="true" /> Pause all apps
        </button>
      )}
      {confirm === 'pause' && (
        <ConfirmDialog
          title="Pause all apps?"
          confirmLabel="Pause all apps"
          danger
          onConfirm={() => setPaused(true)}
          onClose={() => setConfirm(null)}
          successMessage="Paused: every app's payments are refused until you resume."
        >
          <p>Every app's packets will be refused (T03, “Junction is paused”) until you resume. This lasts across restarts.</p>
        </ConfirmDialog>
      )}
      {confirm === 'resume' && (
        <ConfirmDialog
          title="Resume all apps?"
          confirmLabel="Resume"
          onConfirm={() => setPaused(false)}
          onClose={() => setConfirm(null)}
          successMessage="Resumed: apps can pay again."
        >
          <p>Approved apps can send and receive payments again, within their budgets.</p>
        </ConfirmDialog>
      )}
    </div>
  )
}
