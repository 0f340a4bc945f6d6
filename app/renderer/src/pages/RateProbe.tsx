// "Probe a receiver" (in the Quote panel): the whole path's rate to a receiver beyond the provider, measured by a STREAM
// exchange-rate probe from Junction (engine: quotes/stream-probe.ts). A payment pointer in; out come the rate of the
// probe packet (what was sent, what arrived, in each side's asset), the receiver's asset, the largest packet the path
// lets through if an F08 told, and the round trip. No money moves. Errors say what stopped the probe (SPSP server, F02 …).
import { Radar } from 'lucide-react'
import { type FormEvent, useEffect, useRef, useState } from 'react'
import type { RateProbeView } from '../../../shared/api-types'
import { CallErrorAlert } from '../components/CallErrorAlert'
import { formatAmount } from '../format/amount'
import { getClient } from '../store/client'

type State = { status: 'idle' } | { status: 'loading' } | { status: 'ready'; probe: RateProbeView } | { status: 'error'; error: unknown }

export function RateProbe() {
  const [pointer, setPointer] = useState('')
  const [state, setState] = useState<State>({ status: 'idle' })
  const [problem, setProblem] = useState<string | null>(null)
  // An answer to an older request (the user probed again meanwhile) or after the panel closed is dropped.
  const sequence = useRef(0)
  useEffect(() => () => void sequence.current++, [])

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const paymentPointer = pointer.trim()
    if (paymentPointer === '') return setProblem('Enter a payment pointer, e.g. $wallet.example/alice.')
    setProblem(null)
    const mine = ++sequence.current
    setState({ status: 'loading' })
    try {
      const probe = await getClient().call('probeRate', { paymentPointer })
      if (mine === sequence.current) setState({ status: 'ready', probe })
    } catch (error) {
      if (mine === sequence.current) setState({ status: 'error', error })
    }
  }

  return (
    <section className="rate-probe" aria-labelledby="rate-probe-title">
      <h3 id="rate-probe-title">Probe a receiver</h3>
      <p className="muted">
        The whole path's rate to a receiver beyond the provider: Junction opens a STREAM connection, sends test packets that
        cannot be fulfilled, and reads what arrived. No money moves.
      </p>
      <form className="quote-form" onSubmit={submit} noValidate>
        <div className="field quote-destination">
          <label htmlFor="rate-probe-pointer">Payment pointer</label>
          <input
            id="rate-probe-pointer"
            value={pointer}
            onChange={(e) => setPointer(e.target.value)}
            placeholder="$wallet.example/alice"
            autoComplete="off"
            spellCheck={false}
          />
        </div>
        <button type="submit" className="button" disabled={state.status === 'loading'}>
          <Radar size={16} aria-hidden="true" /> Probe
        </button>
      </form>
      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
      {state.status === 'loading' && <p className="muted">Probing… (up to 15 s)</p>}
      {state.status === 'error' && <CallErrorAlert error={state.error} />}
      {state.status === 'ready' && <ProbeResult probe={state.probe} />}
    </section>
  )
}

function ProbeResult({ probe }: { probe: RateProbeView }) {
  const src = { assetCode: probe.sourceAsset.code, assetScale: probe.sourceAsset.scale }
  const dst = probe.destinationAsset ? { assetCode: probe.destinationAsset.code, assetScale: probe.destinationAsset.scale } : null
  return (
    <div className="quote-result" aria-label="Probe result">
      <dl className="quote-facts">
        <dt>Receiver</dt>
        <dd>
          <code>{probe.destination}</code>
        </dd>
        <dt>Receiver's asset</dt>
        <dd>{dst ? `${dst.assetCode}, scale ${dst.assetScale}` : <span className="muted">not said by the receiver</span>}</dd>
        <dt>Probe</dt>
        <dd data-testid="probe-amounts">
          sent <strong className="tabular">{formatAmount(probe.rate.sent, src)}</strong> → arrived{' '}
          <strong className="tabular">{dst ? formatAmount(probe.rate.delivered, dst) : `${probe.rate.delivered} base units`}</strong>
        </dd>
        <dt>Rate</dt>
        <dd>
          {probe.rate.decimal} <span className="muted">(receiver's base units per base unit of {src.assetCode})</span>
        </dd>
        <dt>Most per packet</dt>
        <dd>
          {probe.maxPacketAmount !== null ? (
            <span className="tabular">{formatAmount(probe.maxPacketAmount, src)}</span>
          ) : (
            <span className="muted">no limit met on the way</span>
          )}
        </dd>
        <dt>Round trip</dt>
        <dd className="tabular">{probe.latencyMs} ms</dd>
      </dl>
    </div>
  )
}
