// Settings → Rates between assets: the spread Junction keeps from every packet it forwards, and the static rates it
// converts with when a provider or peer holds another asset than the apps (which always see the active provider's).
// Pairs are added, edited and removed here; every change goes to the engine as the whole list (setRates), which
// checks it, saves it and applies it to the next packet and quote. A refused change shows the engine's message next
// to the field it names.
import { Pencil, Plus, Trash2 } from 'lucide-react'
import { useEffect, useId, useState, type FormEvent } from 'react'
import type { RatePairView, RatesView } from '../../../shared/api-types'
import { CallError } from '../api/client'
import { Card } from '../components/Card'
import { ConfirmDialog } from '../components/ConfirmDialog'
import { LoadState } from '../components/LoadState'
import { errorMessage } from '../format/error-message'
import { useRates } from '../store/rates'
import { useAsset } from '../store/status'
import './rates.css'

export function RatesCard() {
  const { status, error, rates, start, reload } = useRates()
  useEffect(() => start(), [start])
  const asset = useAsset()
  return (
    <Card title="Rates between assets" className="settings-card">
      <p className="settings-description">
        When a provider or peer holds another asset than your apps, Junction converts at the rate you set here: 1 whole unit of
        the first asset = the rate in whole units of the second, and the other way at the inverse. Amounts are rounded down,
        never up.
        {asset && (
          <>
            {' '}
            Your apps use <strong>{asset.assetCode}</strong>, the active provider's asset.
          </>
        )}
      </p>
      <LoadState what="the rates" loading={status === 'loading' || status === 'idle'} error={error} onRetry={() => void reload()} ready={rates !== null}>
        {rates && (
          <>
            <SpreadForm saved={rates.spread} />
            <PairsSection rates={rates} />
          </>
        )}
      </LoadState>
    </Card>
  )
}

/** The engine's message for each field of a refused call, by its dotted path (`spread`, `pairs.2.rate`). */
function issuesByPath(error: unknown): Map<string, string> {
  const out = new Map<string, string>()
  if (error instanceof CallError) for (const i of error.issues) if (!out.has(i.path)) out.set(i.path, i.message)
  return out
}

/** "0.005" → "0.5 %" (a decimal shift on the string: exact, no floating point). */
export function spreadPercent(spread: string): string | undefined {
  const m = /^(\d+)(?:\.(\d*))?$/.exec(spread.trim())
  if (!m) return undefined
  const f = (m[2] ?? '').padEnd(2, '0')
  const whole = (m[1] + f.slice(0, 2)).replace(/^0+(?=\d)/, '')
  const rest = f.slice(2).replace(/0+$/, '')
  return `${whole}${rest ? `.${rest}` : ''} %`
}

// ---- the spread ----

function SpreadForm({ saved }: { saved: string }) {
  const [text, setText] = useState(saved)
  const [last, setLast] = useState(saved)
  if (last !== saved) {
    setLast(saved)
    setText(saved)
  }
  const [state, setState] = useState<{ kind: 'idle' | 'saving' | 'saved' } | { kind: 'failed'; error: unknown }>({ kind: 'idle' })
  const inputId = useId()
  const errorId = useId()
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setState({ kind: 'saving' })
    try {
      await useRates.getState().save({ spread: text.trim() })
      setState({ kind: 'saved' })
    } catch (error) {
      setState({ kind: 'failed', error })
    }
  }
  const fieldMessage = state.kind === 'failed' ? issuesByPath(state.error).get('spread') : undefined
  const percent = spreadPercent(text)
  return (
    <form onSubmit={(e) => void submit(e)} className="rates-spread" noValidate>
      <label htmlFor={inputId}>Spread</label>
      <div className="settings-inline">
        <input
          id={inputId}
          className="input rates-spread-input"
          inputMode="decimal"
          autoComplete="off"
          value={text}
          aria-invalid={fieldMessage ? true : undefined}
          aria-describedby={fieldMessage ? errorId : undefined}
          onChange={(e) => {
            setText(e.target.value)
            setState({ kind: 'idle' })
          }}
        />
        <button type="submit" className="button" disabled={text.trim() === saved || state.kind === 'saving'}>
          Save spread
        </button>
        {state.kind === 'saving' && <span className="settings-outcome" role="status">Saving…</span>}
        {state.kind === 'saved' && <span className="settings-outcome ok" role="status">Saved.</span>}
      </div>
      <p className="settings-hint">
        The fraction Junction keeps from every packet it forwards{percent ? ` (${percent})` : ''}, between assets or not, e.g. 0.005
        for 0.5 %.
      </p>
      {fieldMessage && (
        <p id={errorId} className="field-error" role="alert">
          {fieldMessage}
        </p>
      )}
      {state.kind === 'failed' && !fieldMessage && (
        <p className="field-error" role="alert">
          Not saved. {errorMessage(state.error)}
        </p>
      )}
    </form>
  )
}

// ---- the pairs ----

/** 1 / rate as a decimal for reading (at most 9 places, rounded down; "≈" when it is not exact). */
export function inverseText(rate: string): string {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(rate)
  if (!m) return '—'
  const n = BigInt(m[1] + (m[2] ?? ''))
  if (n === 0n) return '—'
  const d = 10n ** BigInt((m[2] ?? '').length)
  const scaled = (d * 10n ** 9n) / n
  const exact = (d * 10n ** 9n) % n === 0n
  const digits = scaled.toString().padStart(10, '0')
  const whole = digits.slice(0, -9)
  const frac = digits.slice(-9).replace(/0+$/, '')
  const text = `${whole}${frac ? `.${frac}` : ''}`
  if (text === '0') return `< 0.000000001`
  return exact ? text : `≈ ${text}`
}

/** Which pair the form edits: a new one (index = the list's length) or an existing one. */
type Editing = { index: number; pair: RatePairView } | null

function PairsSection({ rates }: { rates: RatesView }) {
  const pairs = rates.pairs
  const [editing, setEditing] = useState<Editing>(null)
  const [removing, setRemoving] = useState<number | null>(null)
  const removed = removing !== null ? pairs[removing] : undefined
  return (
    <div className="rates-pairs">
      <h3 className="rates-subtitle">Rates</h3>
      {pairs.length === 0 ? (
        <p className="muted">
          No rates: every asset converts one to one (only the scales differ). Add a rate before you use a provider or peer in
          another asset; once there is one, assets without a rate are refused rather than converted one to one.
        </p>
      ) : (
        <table className="rates-table" aria-label="Rates between assets">
          <thead>
            <tr>
              <th scope="col">From</th>
              <th scope="col">To</th>
              <th scope="col" className="num">
                Rate
              </th>
              <th scope="col" className="num">
                Inverse
              </th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {pairs.map((p, i) => (
              <tr key={`${p.from}/${p.to}`}>
                <td>
                  <code>{p.from}</code>
                </td>
                <td>
                  <code>{p.to}</code>
                </td>
                <td className="num" title={`1 ${p.from} = ${p.rate} ${p.to}`}>
                  1 {p.from} = {p.rate} {p.to}
                </td>
                <td className="num muted" title={`1 ${p.to} = 1/${p.rate} ${p.from}`}>
                  1 {p.to} = {inverseText(p.rate)} {p.from}
                </td>
                <td className="rates-actions">
                  <button type="button" className="button ghost small" aria-label={`Edit the ${p.from}/${p.to} rate`} onClick={() => setEditing({ index: i, pair: p })}>
                    <Pencil aria-hidden="true" size={14} /> Edit
                  </button>
                  <button type="button" className="button ghost small" aria-label={`Remove the ${p.from}/${p.to} rate`} onClick={() => setRemoving(i)}>
                    <Trash2 aria-hidden="true" size={14} /> Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing ? (
        <PairForm key={`${editing.index}:${editing.pair.from}/${editing.pair.to}`} pairs={pairs} editing={editing} onDone={() => setEditing(null)} />
      ) : (
        <button type="button" className="button" onClick={() => setEditing({ index: pairs.length, pair: { from: '', to: '', rate: '' } })}>
          <Plus aria-hidden="true" size={14} /> Add a rate
        </button>
      )}
      {removed && removing !== null && (
        <ConfirmDialog
          title={`Remove the ${removed.from}/${removed.to} rate?`}
          confirmLabel="Remove rate"
          danger
          onConfirm={() => useRates.getState().save({ pairs: pairs.filter((_, i) => i !== removing) })}
          onClose={() => setRemoving(null)}
          successMessage={`Removed the ${removed.from}/${removed.to} rate`}
        >
          <p>
            {pairs.length === 1
              ? 'With no rates left, every asset converts one to one again.'
              : `Packets between ${removed.from} and ${removed.to} will be refused until you add a rate for them again.`}
          </p>
        </ConfirmDialog>
      )}
    </div>
  )
}

function PairForm({ pairs, editing, onDone }: { pairs: RatePairView[]; editing: NonNullable<Editing>; onDone: () => void }) {
  const [pair, setPair] = useState(editing.pair)
  const [state, setState] = useState<{ kind: 'idle' | 'saving' } | { kind: 'failed'; error: unknown }>({ kind: 'idle' })
  const isNew = editing.index >= pairs.length
  const ids = { from: useId(), to: useId(), rate: useId(), fromError: useId(), toError: useId(), rateError: useId() }
  const issues = state.kind === 'failed' ? issuesByPath(state.error) : new Map<string, string>()
  const at = (field: string) => issues.get(`pairs.${editing.index}.${field}`)
  const onPair = issues.get(`pairs.${editing.index}`)
  const fieldShown = at('from') ?? at('to') ?? at('rate')
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const next = { from: pair.from.trim(), to: pair.to.trim(), rate: pair.rate.trim() }
    const list = isNew ? [...pairs, next] : pairs.map((p, i) => (i === editing.index ? next : p))
    setState({ kind: 'saving' })
    try {
      await useRates.getState().save({ pairs: list })
      onDone()
    } catch (error) {
      setState({ kind: 'failed', error })
    }
  }
  const field = (name: 'from' | 'to' | 'rate', label: string, placeholder: string) => {
    const message = at(name)
    const errorId = ids[`${name}Error`]
    return (
      <div className="rates-field">
        <label htmlFor={ids[name]}>{label}</label>
        <input
          id={ids[name]}
          className={`input rates-input-${name}`}
          value={pair[name]}
          placeholder={placeholder}
          autoComplete="off"
          spellCheck={false}
          inputMode={name === 'rate' ? 'decimal' : undefined}
          aria-invalid={message ? true : undefined}
          aria-describedby={message ? errorId : undefined}
          onChange={(e) => {
            setPair({ ...pair, [name]: e.target.value })
            setState({ kind: 'idle' })
          }}
        />
        {message && (
          <p id={errorId} className="field-error" role="alert">
            {message}
          </p>
        )}
      </div>
    )
  }
  return (
    <form className="rates-form" onSubmit={(e) => void submit(e)} noValidate aria-label={isNew ? 'Add a rate' : `Edit the ${editing.pair.from}/${editing.pair.to} rate`}>
      <div className="rates-fields">
        {field('from', 'From asset', 'e.g. XRP')}
        {field('to', 'To asset', 'e.g. USD')}
        {field('rate', 'Rate', 'e.g. 0.52')}
      </div>
      {pair.from.trim() && pair.to.trim() && pair.rate.trim() && (
        <p className="settings-hint">
          1 {pair.from.trim()} = {pair.rate.trim()} {pair.to.trim()}, before the spread.
        </p>
      )}
      {onPair && (
        <p className="field-error" role="alert">
          {onPair}
        </p>
      )}
      {state.kind === 'failed' && !fieldShown && !onPair && (
        <p className="field-error" role="alert">
          Not saved. {errorMessage(state.error)}
        </p>
      )}
      <div className="settings-save">
        <button type="submit" className="button primary" disabled={state.kind === 'saving'}>
          {isNew ? 'Add rate' : 'Save rate'}
        </button>
        <button type="button" className="button ghost" onClick={onDone}>
          Cancel
        </button>
        {state.kind === 'saving' && <span className="settings-outcome" role="status">Saving…</span>}
      </div>
    </form>
  )
}
