// Edit a stored peer in place (Peers card): its name, where Junction connects to it (a new URL, or stop connecting),
// and whether it may connect to Junction (a new token, or not any more). Its account, balance and routes stay. Empty
// fields keep what is stored — the URL's secret and the token are never shown again. Checked with the contract's own
// schema before it is sent; a new token is handed out once, like at Add.
import { useState, type FormEvent } from 'react'
import { type ApiInput, apiSchemas } from '../../../shared/api-schemas'
import type { PeerView } from '../../../shared/api-types'
import { Dialog } from '../components/Dialog'
import { FormFooter } from '../components/FormFooter'
import { generateToken } from '../components/generate-token'
import { type FieldProblem, refusalProblem, schemaProblem } from '../format/error-message'
import { notify } from '../store/notices'
import { usePeers } from '../store/peers'

const FIELD_LABELS: Record<string, string> = { name: 'Name', url: 'URL', incomingToken: 'Incoming token' }

export function EditPeerDialog({ peer, onClose, onNewToken }: { peer: PeerView; onClose: () => void; onNewToken: (updated: PeerView, token: string) => void }) {
  const [name, setName] = useState(peer.name)
  const [url, setUrl] = useState('')
  const [connects, setConnects] = useState(peer.url !== null)
  const [token, setToken] = useState('')
  const [letsConnect, setLetsConnect] = useState(peer.incoming)
  const [problem, setProblem] = useState<FieldProblem | null>(null)
  const [busy, setBusy] = useState(false)

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const change: ApiInput<'updatePeer'> = {
      id: peer.id,
      ...(name.trim() && name.trim() !== peer.name ? { name: name.trim() } : {}),
      ...(!connects ? (peer.url !== null ? { url: null } : {}) : url.trim() ? { url: url.trim() } : {}),
      ...(!letsConnect ? (peer.incoming ? { incomingToken: null } : {}) : token ? { incomingToken: token } : {}),
    }
    if (connects && peer.url === null && !url.trim()) return setProblem({ field: 'url', text: 'URL: give the URL Junction connects to' })
    if (letsConnect && !peer.incoming && !token) return setProblem({ field: 'incomingToken', text: 'Incoming token: give the peer a token (Generate makes one)' })
    if (!connects && !letsConnect) {
      return setProblem({ field: 'url', text: 'A peer needs a way to connect: Junction connects to it, it connects to Junction, or both' })
    }
    if (Object.keys(change).length === 1) return onClose()
    const invalidInput = schemaProblem(apiSchemas.updatePeer, change, FIELD_LABELS)
    if (invalidInput) return setProblem(invalidInput)
    setBusy(true)
    setProblem(null)
    try {
      const updated = await usePeers.getState().update(change)
      notify('success', `Saved ${updated.name}`)
      if (typeof change.incomingToken === 'string') onNewToken(updated, change.incomingToken)
      onClose()
    } catch (err) {
      setProblem(refusalProblem(err))
    } finally {
      setBusy(false)
    }
  }
  const invalid = (field: string) => (problem?.field === field ? true : undefined)

  return (
    <Dialog title={`Edit ${peer.name}`} onClose={onClose} busy={busy}>
      <form className="peer-edit" onSubmit={(e) => void submit(e)} noValidate aria-label={`Edit ${peer.name}`}>
        <p className="muted">
          Account <code>{peer.accountId}</code>: its balance and routes stay. Empty fields keep what is stored.
        </p>
        <div className="field">
          <label htmlFor="peer-edit-name">Name</label>
          <input id="peer-edit-name" className="input" value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" aria-invalid={invalid('name')} />
        </div>

        <fieldset className="peer-edit-way">
          <legend>
            <label>
              <input type="checkbox" checked={connects} onChange={(e) => setConnects(e.target.checked)} /> Junction connects to it
            </label>
          </legend>
          {connects && (
            <div className="field">
              <label htmlFor="peer-edit-url">{peer.url !== null ? 'New URL' : 'URL'}</label>
              <input
                id="peer-edit-url"
                className="input"
                value={url}
                onChange={(e) => setUrl(e.target.value)}
                placeholder={peer.url ?? 'btp+ws://user:secret@host:port or https://name:token@host/path'}
                autoComplete="off"
                spellCheck={false}
                aria-invalid={invalid('url')}
                aria-describedby="peer-edit-url-hint"
              />
              <small id="peer-edit-url-hint" className="muted">
                {peer.url !== null ? 'Empty keeps the current one. A new URL: Junction disconnects and connects there.' : 'Junction connects there at once.'}
                {peer.fromConfig && ' This peer comes from the configuration: its URL there is used again at the next start.'}
              </small>
            </div>
          )}
          {!connects && (
            <p className="muted">{peer.url !== null ? 'Junction disconnects from it and stops using its routes while it is not connected.' : 'Check to give the URL Junction connects to.'}</p>
          )}
        </fieldset>

        <fieldset className="peer-edit-way">
          <legend>
            <label>
              <input type="checkbox" checked={letsConnect} onChange={(e) => setLetsConnect(e.target.checked)} /> It connects to Junction
            </label>
          </legend>
          {letsConnect && (
            <div className="field">
              <label htmlFor="peer-edit-token">{peer.incoming ? 'New incoming token' : 'Incoming token'}</label>
              <div className="peer-token">
                <input
                  id="peer-edit-token"
                  className="input"
                  value={token}
                  onChange={(e) => setToken(e.target.value)}
                  placeholder={peer.incoming ? 'empty keeps the current one' : 'the token it connects with'}
                  autoComplete="off"
                  spellCheck={false}
                  aria-invalid={invalid('incomingToken')}
                />
                <button type="button" className="button small" onClick={() => setToken(generateToken())}>
                  Generate
                </button>
              </div>
              {peer.incoming && <small className="muted">A new token closes the peer's connection; it must connect again with the new one.</small>}
            </div>
          )}
          {!letsConnect && (
            <p className="muted">{peer.incoming ? 'Its connection closes and it can no longer connect.' : "Check to give it a token: it then connects to Junction's app port with its id as username."}</p>
          )}
        </fieldset>

        {problem && (
          <p className="form-error" role="alert">
            {problem.text}
          </p>
        )}
        <FormFooter busy={busy} onCancel={onClose} submitLabel="Save" />
      </form>
    </Dialog>
  )
}
