// The Peers card of Peers & Routes: every stored peer (another connector: a friend's Junction, a lab's ilp-connector)
// with its link, whether it may connect to Junction, its asset, Junction's balance with it and how many routes it
// gives; Add (id, name, URL and/or an incoming token with Generate, asset; checked with the contract's own schema
// before it is sent), Edit (EditPeerDialog) and Remove (confirmed). After adding a peer that may connect, the URL to give it is shown once;
// for an ILP-over-HTTP peer, where it must POST its packets (the app port's /ilp) with its token and ILP-Peer-Name.
import { Plus, Users } from 'lucide-react'
import { useEffect, useState, type FormEvent } from 'react'
import { apiSchemas } from '../../../shared/api-schemas'
import type { PeerView } from '../../../shared/api-types'
import { Amount } from '../components/Amount'
import { Card } from '../components/Card'
import { ConfirmDialog } from '../components/ConfirmDialog'
import { CopyButton } from '../components/CopyButton'
import { EmptyState } from '../components/EmptyState'
import { generateToken } from '../components/generate-token'
import { LoadState } from '../components/LoadState'
import { StatusDot } from '../components/StatusDot'
import { type FieldProblem, refusalProblem, schemaProblem } from '../format/error-message'
import { notify } from '../store/notices'
import { usePeers } from '../store/peers'
import { useStatus } from '../store/status'
import { EditPeerDialog } from './EditPeerDialog'
import './providers.css'
import './peer-list.css'

export function PeerList() {
  const { status, error, items } = usePeers()
  const [adding, setAdding] = useState(false)
  const [removing, setRemoving] = useState<PeerView | null>(null)
  const [editing, setEditing] = useState<PeerView | null>(null)
  const [handout, setHandout] = useState<HandoutInfo | null>(null)
  const appPort = useStatus((s) => s.status?.appPort ?? null)
  useEffect(() => usePeers.getState().start(), [])

  return (
    <Card
      title="Peers"
      actions={
        <button type="button" className="button small" onClick={() => setAdding((a) => !a)} aria-expanded={adding}>
          <Plus aria-hidden="true" size={14} /> Add peer
        </button>
      }
    >
      {adding && (
        <AddPeerForm
          onDone={(added) => {
            setAdding(false)
            if (added) setHandout(added)
          }}
        />
      )}
      {handout && <Handout {...handout} onDismiss={() => setHandout(null)} />}
      <LoadState what="the peers" loading={status === 'idle' || status === 'loading'} error={error} onRetry={() => void usePeers.getState().reload()} ready={status === 'ready'}>
        {items.length === 0 ? (
          <EmptyState icon={<Users size={28} />} title="No peers yet">
            A peer is another connector — a friend's Junction, a lab's ilp-connector — linked on equal terms: each side learns the
            other's routes and packets go both ways. Add one with its BTP or ILP-over-HTTP URL (Junction connects to it), or with a
            token that lets it connect to Junction.
          </EmptyState>
        ) : (
          <table className="provider-table peer-table" aria-label="Peers">
            <thead>
              <tr>
                <th scope="col">Peer</th>
                <th scope="col">Link</th>
                <th scope="col">Connects to Junction</th>
                <th scope="col">Asset</th>
                <th scope="col" className="num">
                  Balance
                </th>
                <th scope="col" className="num">
                  Routes
                </th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {items.map((p) => (
                <tr key={p.id} data-peer={p.id}>
                  <td>
                    <strong>{p.name}</strong>
                    <div>
                      <code className="account-id">{p.accountId}</code>
                    </div>
                    {p.url && <div className="muted provider-url">{p.url}</div>}
                    {p.fromConfig && (
                      <span className="provider-badge muted" title="Set in the config file or by a --peer flag: stored again at each start">
                        from config
                      </span>
                    )}
                  </td>
                  <td>
                    <PeerLink peer={p} />
                  </td>
                  <td>
                    {p.incoming ? 'Yes' : 'No'}
                    {p.incoming && p.transport === 'http' && (
                      <div className="muted">
                        POSTs to <code>{ilpHttpUrl(appPort)}</code> as <code>{p.id}</code>
                      </div>
                    )}
                  </td>
                  <td>
                    {p.assetCode} <span className="muted">(scale {p.assetScale})</span>
                  </td>
                  <td className="num">
                    <Amount units={p.balance} asset={{ assetCode: p.assetCode, assetScale: p.assetScale }} signed />
                  </td>
                  <td className="num figure">{p.routes.toLocaleString()}</td>
                  <td className="provider-actions">
                    <button type="button" className="button small" onClick={() => setEditing(p)} aria-label={`Edit ${p.name}`}>
                      Edit
                    </button>
                    <button type="button" className="button small danger" onClick={() => setRemoving(p)} aria-label={`Remove ${p.name}`}>
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {items.length > 0 && (
          <p className="table-note">
            Balances are Junction's view: positive means the peer owes Junction. Routes: how many address prefixes the peer offers now.
          </p>
        )}
      </LoadState>
      {editing && <EditPeerDialog peer={editing} onClose={() => setEditing(null)} onNewToken={(peer, token) => setHandout(handoutFor(peer, token, appPort))} />}
      {removing && (
        <ConfirmDialog
          title={`Remove ${removing.name}?`}
          confirmLabel="Remove peer"
          danger
          onConfirm={() => usePeers.getState().remove(removing.id)}
          onClose={() => setRemoving(null)}
          successMessage={`Removed ${removing.name}`}
        >
          <p>
            Junction disconnects from {removing.name}
            {removing.incoming ? ' and no longer lets it connect' : ''}, forgets its URL and token, and stops using the{' '}
            {removing.routes === 1 ? 'route' : `${removing.routes} routes`} it gives. Its balance with Junction stays in the ledger.
          </p>
          {removing.fromConfig && (
            <p className="muted" role="note">
              {removing.name} comes from Junction's configuration (the config file's <code>peers</code> or a <code>--peer</code> flag): it is
              back at the next start unless you remove it there too.
            </p>
          )}
        </ConfirmDialog>
      )}
    </Card>
  )
}

function PeerLink({ peer }: { peer: PeerView }) {
  const state = peer.state
  if (state === null) return <StatusDot tone="off" label={peer.incoming ? 'Waiting for it to connect' : 'Not connected'} />
  if (state.state === 'connected') return <StatusDot tone="ok" label="Connected" />
  if (state.state === 'connecting') return <StatusDot tone="busy" label="Connecting" />
  if (state.state === 'waiting') return <StatusDot tone="bad" label={`Unreachable: ${state.lastError}`} />
  return <StatusDot tone="off" label="Stopped" />
}

/** Where an HTTP peer POSTs its packets: the app port, loopback only. */
function ilpHttpUrl(appPort: number | null): string {
  return `http://127.0.0.1:${appPort ?? 7768}/ilp`
}

/** What to give a peer that may send to Junction: a BTP URL, or (HTTP peers) where to POST and with which headers. */
type HandoutInfo = { id: string; url: string } | { id: string; http: { url: string; token: string } }

function handoutFor(peer: PeerView, token: string, appPort: number | null): HandoutInfo {
  if (peer.transport === 'http') return { id: peer.id, http: { url: ilpHttpUrl(appPort), token } }
  return { id: peer.id, url: `btp+ws://${encodeURIComponent(peer.id)}:${encodeURIComponent(token)}@localhost:${appPort ?? 7768}` }
}

/** The URL an incoming peer connects with; the token is shown this once (Junction keeps only its hash). */
function Handout(props: HandoutInfo & { onDismiss: () => void }) {
  const { id, onDismiss } = props
  if ('http' in props) {
    const { url, token } = props.http
    return (
      <div className="peer-handout" role="status">
        <p>
          <strong>{id}</strong> sends its packets to Junction over ILP-over-HTTP: give it these settings. The token is shown only
          now: Junction keeps a hash of it, not the token.
        </p>
        <dl className="peer-http-settings">
          <dt>POST to</dt>
          <dd>
            <code className="provider-url">{url}</code> <CopyButton text={url} label="Copy URL" />
          </dd>
          <dt>Authorization</dt>
          <dd>
            <code className="provider-url">Bearer {token}</code> <CopyButton text={token} label="Copy token" />
          </dd>
          <dt>ILP-Peer-Name</dt>
          <dd>
            <code>{id}</code>
          </dd>
        </dl>
        <p className="muted">
          With ilp-plugin-http: outgoing url, staticToken and name. The app port listens on this computer only: the peer must run
          here, or reach it through a tunnel.
        </p>
        <button type="button" className="button small" onClick={onDismiss}>
          Done
        </button>
      </div>
    )
  }
  const { url } = props
  return (
    <div className="peer-handout" role="status">
      <p>
        Give <strong>{id}</strong> this URL to connect to Junction as a peer. It is shown only now: Junction keeps a hash of the token,
        not the token.
      </p>
      <p>
        <code className="provider-url">{url}</code> <CopyButton text={url} label="Copy peer URL" />
      </p>
      <p className="muted">The app port listens on this computer only: the peer must run here, or reach it through a tunnel.</p>
      <button type="button" className="button small" onClick={onDismiss}>
        Done
      </button>
    </div>
  )
}

const FIELD_LABELS: Record<string, string> = { id: 'ID', name: 'Name', url: 'URL', incomingToken: 'Incoming token', assetCode: 'Asset code', assetScale: 'Asset scale' }

function AddPeerForm({ onDone }: { onDone: (handout?: HandoutInfo) => void }) {
  const appPort = useStatus((s) => s.status?.appPort ?? null)
  const [fields, setFields] = useState({ id: '', name: '', url: '', incomingToken: '', assetCode: '', assetScale: '' })
  const [problem, setProblem] = useState<FieldProblem | null>(null)
  const [busy, setBusy] = useState(false)
  const set = (key: keyof typeof fields) => (e: { target: { value: string } }) => setFields((f) => ({ ...f, [key]: e.target.value }))

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const input = {
      id: fields.id.trim(),
      ...(fields.name.trim() ? { name: fields.name.trim() } : {}),
      ...(fields.url.trim() ? { url: fields.url.trim() } : {}),
      ...(fields.incomingToken ? { incomingToken: fields.incomingToken } : {}),
      ...(fields.assetCode.trim() ? { assetCode: fields.assetCode.trim() } : {}),
      ...(fields.assetScale.trim() ? { assetScale: Number(fields.assetScale.trim()) } : {}),
    }
    const invalidInput = schemaProblem(apiSchemas.addPeer, input, FIELD_LABELS)
    if (invalidInput) return setProblem(invalidInput)
    setBusy(true)
    setProblem(null)
    try {
      const added = await usePeers.getState().add(input)
      notify('success', `Added ${added.name}`)
      onDone(input.incomingToken ? handoutFor(added, input.incomingToken, appPort) : undefined)
    } catch (err) {
      setProblem(refusalProblem(err))
    } finally {
      setBusy(false)
    }
  }
  const invalid = (field: string) => (problem?.field === field ? true : undefined)
  return (
    <form className="provider-add peer-add" onSubmit={(e) => void submit(e)} noValidate aria-label="Add a peer">
      <div className="field">
        <label htmlFor="peer-id">ID</label>
        <input id="peer-id" className="input" value={fields.id} onChange={set('id')} placeholder="e.g. lab" autoComplete="off" spellCheck={false} aria-invalid={invalid('id')} aria-describedby="peer-id-hint" />
        <small id="peer-id-hint" className="muted">
          Its account is peer:ID; a peer that connects to Junction uses the ID as its username (over HTTP: its ILP-Peer-Name).
        </small>
      </div>
      <div className="field">
        <label htmlFor="peer-name">Name</label>
        <input id="peer-name" className="input" value={fields.name} onChange={set('name')} placeholder="e.g. The lab's connector" autoComplete="off" aria-invalid={invalid('name')} />
      </div>
      <div className="field peer-add-wide">
        <label htmlFor="peer-url">URL (Junction connects to it)</label>
        <input id="peer-url" className="input" value={fields.url} onChange={set('url')} placeholder="btp+ws://user:secret@host:port or https://name:token@host/path — empty if only the peer connects" autoComplete="off" spellCheck={false} aria-invalid={invalid('url')} />
      </div>
      <div className="field peer-add-wide">
        <label htmlFor="peer-token">Incoming token (it connects to Junction)</label>
        <div className="peer-token">
          <input id="peer-token" className="input" value={fields.incomingToken} onChange={set('incomingToken')} placeholder="leave empty if the peer never connects to Junction" autoComplete="off" spellCheck={false} aria-invalid={invalid('incomingToken')} />
          <button type="button" className="button small" onClick={() => setFields((f) => ({ ...f, incomingToken: generateToken() }))}>
            Generate
          </button>
        </div>
      </div>
      <div className="field">
        <label htmlFor="peer-asset-code">Asset code</label>
        <input id="peer-asset-code" className="input" value={fields.assetCode} onChange={set('assetCode')} placeholder="Junction's own if empty" autoComplete="off" aria-invalid={invalid('assetCode')} />
      </div>
      <div className="field">
        <label htmlFor="peer-asset-scale">Asset scale</label>
        <input id="peer-asset-scale" className="input" inputMode="numeric" value={fields.assetScale} onChange={set('assetScale')} placeholder="e.g. 9" autoComplete="off" aria-invalid={invalid('assetScale')} />
      </div>
      {problem && (
        <p className="form-error" role="alert">
          {problem.text}
        </p>
      )}
      <div className="provider-add-actions">
        <button type="button" className="button" onClick={() => onDone()} disabled={busy}>
          Cancel
        </button>
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Adding…' : 'Add peer'}
        </button>
      </div>
    </form>
  )
}
