// Every stored provider as a table (link, address, asset, latency, balance) with its actions — Test, Edit (name, or
// the URL with a new secret: EditProviderDialog), Make active (confirmed: apps reconnect), order up/down (the failover
// order), Disable/Enable, Remove (confirmed), and for an ILP-over-HTTP provider, Receiving (where Junction listens for
// its packets) — and the Add form (name + URL, checked with the contract's own URL rule before it is sent; an HTTP URL
// offers the receive bind).
import { ArrowDown, ArrowUp, Plus } from 'lucide-react'
import { useEffect, useState, type FormEvent } from 'react'
import { httpReceiveSchema, providerUrlSchema } from '../../../shared/api-schemas'
import type { ProviderTestView, ProviderView } from '../../../shared/api-types'
import { Amount } from '../components/Amount'
import { Card } from '../components/Card'
import { ConfirmDialog } from '../components/ConfirmDialog'
import { generateToken } from '../components/generate-token'
import { LoadState } from '../components/LoadState'
import { StatusDot } from '../components/StatusDot'
import { useNow } from '../components/use-now'
import { errorMessage } from '../format/error-message'
import { absoluteTime, timeAgo } from '../format/time'
import { notify } from '../store/notices'
import { type ReceiveBind, useProviders } from '../store/providers'
import { EditProviderDialog } from './EditProviderDialog'

type Pending = { kind: 'activate' | 'remove' | 'receive' | 'edit'; provider: ProviderView } | null

export function ProviderList() {
  const { status, error, items } = useProviders()
  const [pending, setPending] = useState<Pending>(null)
  const [adding, setAdding] = useState(false)
  const [results, setResults] = useState<Record<string, ProviderTestView | 'testing'>>({})
  useEffect(() => useProviders.getState().start(), [])

  const act = async (what: () => Promise<unknown>) => {
    try {
      await what()
    } catch (e) {
      notify('error', errorMessage(e))
    }
  }
  const test = async (p: ProviderView) => {
    setResults((r) => ({ ...r, [p.id]: 'testing' }))
    try {
      const result = await useProviders.getState().test({ id: p.id })
      setResults((r) => ({ ...r, [p.id]: result }))
    } catch (e) {
      setResults((r) => ({ ...r, [p.id]: { ok: false, error: errorMessage(e) } }))
    }
  }

  return (
    <Card
      title="All providers"
      actions={
        <button type="button" className="button small" onClick={() => setAdding((a) => !a)} aria-expanded={adding}>
          <Plus aria-hidden="true" size={14} /> Add provider
        </button>
      }
    >
      {adding && <AddProviderForm onDone={() => setAdding(false)} />}
      <LoadState what="the providers" loading={status === 'idle' || status === 'loading'} error={error} onRetry={() => void useProviders.getState().reload()} ready={status === 'ready'}>
        {items.length === 0 ? (
          <p className="muted">No provider stored yet. Add one with the BTP or ILP-over-HTTP URL your ILSP gives you.</p>
        ) : (
          <table className="provider-table">
            <thead>
              <tr>
                <th scope="col">Order</th>
                <th scope="col">Provider</th>
                <th scope="col">Link</th>
                <th scope="col">Address</th>
                <th scope="col" className="num">
                  Latency
                </th>
                <th scope="col" className="num">
                  Balance
                </th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {items.map((p, i) => {
                const result = results[p.id]
                return (
                  <tr key={p.id} data-provider={p.id} className={p.enabled ? undefined : 'provider-disabled'}>
                    <td className="provider-order">
                      <button type="button" className="button icon" aria-label={`Move ${p.name} up`} disabled={i === 0} onClick={() => void act(() => useProviders.getState().move(p.id, -1))}>
                        <ArrowUp aria-hidden="true" size={14} />
                      </button>
                      <button
                        type="button"
                        className="button icon"
                        aria-label={`Move ${p.name} down`}
                        disabled={i === items.length - 1}
                        onClick={() => void act(() => useProviders.getState().move(p.id, 1))}
                      >
                        <ArrowDown aria-hidden="true" size={14} />
                      </button>
                    </td>
                    <td>
                      <strong>{p.name}</strong>
                      {p.active && <span className="provider-badge">active</span>}
                      {!p.enabled && <span className="provider-badge muted">disabled</span>}
                      {p.transport === 'http' && <span className="provider-badge muted">HTTP</span>}
                      {p.sendOnly && (
                        <span className="provider-badge warn" title="Junction cannot be reached by this provider: apps can pay through it, but cannot be paid">
                          send-only
                        </span>
                      )}
                      <div className="muted provider-url">{p.url}</div>
                      {p.receive && <ReceiveLine receive={p.receive} />}
                      {result !== undefined && <TestResult result={result} />}
                    </td>
                    <td>
                      <LinkCell provider={p} />
                    </td>
                    <td>{p.address ? <code>{p.address}</code> : <span className="muted">—</span>}</td>
                    <td className="num figure">{p.latencyMs === null ? '—' : `${p.latencyMs} ms`}</td>
                    <td className="num">
                      <Amount units={p.balance} asset={p.assetCode !== null && p.assetScale !== null ? { assetCode: p.assetCode, assetScale: p.assetScale } : undefined} signed />
                    </td>
                    <td className="provider-actions">
                      <button type="button" className="button small" onClick={() => void test(p)} disabled={result === 'testing'}>
                        Test
                      </button>
                      <button type="button" className="button small" onClick={() => setPending({ kind: 'edit', provider: p })} aria-label={`Edit ${p.name}`}>
                        Edit
                      </button>
                      {p.transport === 'http' && (
                        <button type="button" className="button small" onClick={() => setPending({ kind: 'receive', provider: p })}>
                          Receiving…
                        </button>
                      )}
                      {!p.active && p.enabled && (
                        <button type="button" className="button small primary" onClick={() => setPending({ kind: 'activate', provider: p })}>
                          Make active
                        </button>
                      )}
                      {!p.active && (
                        <button type="button" className="button small" onClick={() => void act(() => useProviders.getState().setEnabled(p.id, !p.enabled))}>
                          {p.enabled ? 'Disable' : 'Enable'}
                        </button>
                      )}
                      {!p.active && (
                        <button type="button" className="button small danger" onClick={() => setPending({ kind: 'remove', provider: p })}>
                          Remove
                        </button>
                      )}
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        )}
        <p className="table-note">
          If the active provider stays unreachable, Junction switches to the next enabled one in this order. It switches back only if you
          turn on switch back below.
        </p>
      </LoadState>
      {pending?.kind === 'activate' && (
        <ConfirmDialog
          title={`Switch to ${pending.provider.name}?`}
          confirmLabel="Switch provider"
          onConfirm={() => useProviders.getState().activate(pending.provider.id)}
          onClose={() => setPending(null)}
          successMessage={`Switched to ${pending.provider.name}`}
        >
          <p>
            Junction connects to {pending.provider.name}, takes the address it gives, and sends new payments through it. Apps will
            reconnect and get new addresses. The current provider stays connected for a while so payments in flight finish.
          </p>
        </ConfirmDialog>
      )}
      {pending?.kind === 'edit' && <EditProviderDialog provider={pending.provider} onClose={() => setPending(null)} />}
      {pending?.kind === 'receive' && <ReceiveDialog provider={pending.provider} onClose={() => setPending(null)} />}
      {pending?.kind === 'remove' && (
        <ConfirmDialog
          title={`Remove ${pending.provider.name}?`}
          confirmLabel="Remove"
          danger
          onConfirm={() => useProviders.getState().remove(pending.provider.id)}
          onClose={() => setPending(null)}
          successMessage={`Removed ${pending.provider.name}`}
        >
          <p>Junction forgets this provider and its URL. Its balance with Junction stays in the ledger.</p>
        </ConfirmDialog>
      )}
    </Card>
  )
}

function LinkCell({ provider }: { provider: ProviderView }) {
  const state = provider.state
  if (state === null && provider.enabled) return <HealthCell provider={provider} />
  if (state === null) return <StatusDot tone="off" label="Disabled" />
  if (state.state === 'connected') return <StatusDot tone="ok" label={provider.inGrace ? 'Connected (finishing)' : 'Connected'} />
  if (state.state === 'connecting') return <StatusDot tone="busy" label="Connecting" />
  if (state.state === 'waiting') return <StatusDot tone="bad" label={`Unreachable: ${state.lastError}`} />
  return <StatusDot tone="off" label="Stopped" />
}

/** A provider Junction holds no link to: what its last health check (connect + ILDCP) found, and when. */
function HealthCell({ provider }: { provider: ProviderView }) {
  const now = useNow(30_000)
  const checkedAt = provider.lastCheckedAt
  if (checkedAt === null) return <StatusDot tone="off" label="Not connected, not checked yet" />
  const when = (
    <time className="muted provider-checked" dateTime={new Date(checkedAt).toISOString()} title={absoluteTime(checkedAt)}>
      checked {timeAgo(checkedAt, now)}
    </time>
  )
  if (provider.lastError !== null) {
    return (
      <>
        <StatusDot tone="bad" label={`Check failed: ${provider.lastError}`} /> {when}
      </>
    )
  }
  return (
    <>
      <StatusDot tone="ok" label="Reachable (not in use)" /> {when}
    </>
  )
}

function TestResult({ result }: { result: ProviderTestView | 'testing' }) {
  if (result === 'testing') return <p className="provider-test muted">Testing…</p>
  if (result.ok) {
    return (
      <p className="provider-test" role="status">
        Works: address <code>{result.address}</code>, {result.assetCode} (scale {result.assetScale}), {result.latencyMs} ms
      </p>
    )
  }
  return (
    <p className="provider-test provider-test-error" role="status">
      Failed: {result.error}
    </p>
  )
}

function ReceiveLine({ receive }: { receive: NonNullable<ProviderView['receive']> }) {
  if (receive.error) return <p className="provider-test provider-test-error">Cannot receive: {receive.error}</p>
  return (
    <div className="muted provider-url">
      Receives at <code>{receive.url}</code>
      {receive.listening ? '' : ' (while this provider is connected)'}
    </div>
  )
}

/** The receive bind's fields as typed; `check` turns them into a bind or the first problem, in the contract's words. */
interface ReceiveFieldsValue {
  host: string
  port: string
  token: string
}
const NO_RECEIVE: ReceiveFieldsValue = { host: '127.0.0.1', port: '', token: '' }

function checkReceive(v: ReceiveFieldsValue): { bind: ReceiveBind } | { problem: string } {
  const port = /^\d+$/.test(v.port.trim()) ? Number(v.port.trim()) : NaN
  const parsed = httpReceiveSchema.safeParse({ host: v.host.trim() || undefined, port: Number.isNaN(port) ? v.port : port, token: v.token.trim() })
  if (parsed.success) return { bind: parsed.data }
  const issue = parsed.error.issues[0]
  const field = { host: 'Listen on', port: 'Port', token: 'Token' }[String(issue?.path[0])] ?? 'Receiving'
  return { problem: `${field}: ${issue?.message ?? 'invalid'}` }
}

function ReceiveFields({ value, onChange, idPrefix }: { value: ReceiveFieldsValue; onChange: (v: ReceiveFieldsValue) => void; idPrefix: string }) {
  const set = (key: keyof ReceiveFieldsValue) => (e: { target: { value: string } }) => onChange({ ...value, [key]: e.target.value })
  return (
    <>
      <div className="field">
        <label htmlFor={`${idPrefix}-host`}>Listen on</label>
        <input id={`${idPrefix}-host`} className="input" value={value.host} onChange={set('host')} autoComplete="off" spellCheck={false} />
      </div>
      <div className="field">
        <label htmlFor={`${idPrefix}-port`}>Port</label>
        <input id={`${idPrefix}-port`} className="input" inputMode="numeric" value={value.port} onChange={set('port')} placeholder="e.g. 7770" autoComplete="off" />
      </div>
      <div className="field provider-receive-token">
        <label htmlFor={`${idPrefix}-token`}>Token the provider sends</label>
        <div className="input-row">
          <input id={`${idPrefix}-token`} className="input" value={value.token} onChange={set('token')} autoComplete="off" spellCheck={false} />
          <button type="button" className="button small" onClick={() => onChange({ ...value, token: generateToken() })}>
            Generate
          </button>
        </div>
      </div>
      <p className="table-note provider-receive-note">
        Give the provider <code>http://{value.host.trim() || '127.0.0.1'}:{value.port.trim() || 'PORT'}/ilp</code> and this token. It must be able
        to reach that address: 127.0.0.1 only works for a provider on this computer (or through a tunnel); another address opens the port
        to your network.
      </p>
    </>
  )
}

function ReceiveDialog({ provider, onClose }: { provider: ProviderView; onClose: () => void }) {
  const current = provider.receive
  const [value, setValue] = useState<ReceiveFieldsValue>(() => {
    if (!current) return NO_RECEIVE
    const at = current.bind.lastIndexOf(':')
    return { host: current.bind.slice(0, at).replace(/^\[|\]$/g, ''), port: current.bind.slice(at + 1), token: '' }
  })
  const [receive, setReceive] = useState(current !== null)
  return (
    <ConfirmDialog
      title={`Receiving from ${provider.name}`}
      confirmLabel="Save"
      onConfirm={async () => {
        if (!receive) return await useProviders.getState().setReceive(provider.id, null)
        const checked = checkReceive(value)
        if ('problem' in checked) throw new Error(checked.problem)
        return await useProviders.getState().setReceive(provider.id, checked.bind)
      }}
      onClose={onClose}
      successMessage={receive ? `Junction receives from ${provider.name}` : `${provider.name} is send-only`}
    >
      <p>
        An ILP-over-HTTP provider sends packets for your apps by calling Junction. Without an address it can reach, the provider is send-only:
        apps can pay through it but cannot be paid.
      </p>
      <label className="provider-check">
        <input type="checkbox" checked={receive} onChange={(e) => setReceive(e.target.checked)} /> Receive packets from this provider
      </label>
      {receive && (
        <div className="provider-add">
          <ReceiveFields value={value} onChange={setValue} idPrefix="receive-edit" />
          {current && <p className="table-note provider-receive-note">Enter the token again (Junction never shows a stored token).</p>}
        </div>
      )}
    </ConfirmDialog>
  )
}

function AddProviderForm({ onDone }: { onDone: () => void }) {
  const [name, setName] = useState('')
  const [url, setUrl] = useState('')
  const [receive, setReceive] = useState(false)
  const [bind, setBind] = useState<ReceiveFieldsValue>(NO_RECEIVE)
  const [problem, setProblem] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const http = /^https?:/i.test(url.trim())
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const checked = providerUrlSchema.safeParse(url.trim())
    if (!checked.success) return setProblem(`URL: ${checked.error.issues[0]?.message ?? 'invalid'}`)
    let receiveBind: ReceiveBind | null = null
    if (http && receive) {
      const r = checkReceive(bind)
      if ('problem' in r) return setProblem(r.problem)
      receiveBind = r.bind
    }
    setBusy(true)
    setProblem(null)
    try {
      const added = await useProviders.getState().add(name.trim(), url.trim(), receiveBind)
      notify('success', `Added ${added.name}`)
      onDone()
    } catch (err) {
      setProblem(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }
  return (
    <form className="provider-add" onSubmit={(e) => void submit(e)} noValidate aria-label="Add a provider">
      <div className="field">
        <label htmlFor="provider-name">Name</label>
        <input id="provider-name" className="input" value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. My ILSP" autoComplete="off" />
      </div>
      <div className="field">
        <label htmlFor="provider-url">Provider URL</label>
        <input
          id="provider-url"
          className="input"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          placeholder="btp+ws://user:secret@host:port or https://name:token@host/path"
          autoComplete="off"
          spellCheck={false}
          aria-invalid={problem?.startsWith('URL') ? true : undefined}
        />
      </div>
      {http && (
        <div className="provider-receive">
          <label className="provider-check">
            <input type="checkbox" checked={receive} onChange={(e) => setReceive(e.target.checked)} /> Receive packets from this provider
          </label>
          {!receive && <p className="table-note">Without it this ILP-over-HTTP provider is send-only: apps can pay through it but cannot be paid.</p>}
        </div>
      )}
      {http && receive && <ReceiveFields value={bind} onChange={setBind} idPrefix="provider-receive" />}
      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
      <div className="provider-add-actions">
        <button type="button" className="button" onClick={onDone} disabled={busy}>
          Cancel
        </button>
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Adding…' : 'Add'}
        </button>
      </div>
    </form>
  )
}
