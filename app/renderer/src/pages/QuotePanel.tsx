// The Quote panel (Peers & Routes): for a destination, what Junction's hop does to an amount — the route it takes,
// the rate with its rounding, the most one packet may carry, and the liquidity curve (seed 002) as a chart, a table
// and its binary form. Errors are the reject a packet would meet, in words (F02 no route, T01 next hop down, F08 too
// large for one packet).
import { Calculator } from 'lucide-react'
import { type FormEvent, useEffect, useState } from 'react'
import type { QuoteView } from '../../../shared/api-types'
import { CallErrorAlert } from '../components/CallErrorAlert'
import { Card } from '../components/Card'
import { CopyButton } from '../components/CopyButton'
import { formatAmount, parseAmount } from '../format/amount'
import { explainReject } from '../format/reject-codes'
import { useQuotes } from '../store/quotes'
import { useAsset } from '../store/status'
import { RateProbe } from './RateProbe'
import './quote-panel.css'

type Side = 'source' | 'destination'

const LIMIT_WORDS: Record<QuoteView['limitedBy'], string> = {
  'max-packet-amount': 'the maximum packet amount for apps',
  throughput: 'the money per second apps may send',
  uint64: 'the largest amount an ILP packet can carry',
}

export function QuotePanel() {
  const own = useAsset()
  const { status, quote, error, request, reset } = useQuotes()
  const [destination, setDestination] = useState('')
  const [side, setSide] = useState<Side>('source')
  const [amount, setAmount] = useState('')
  const [problem, setProblem] = useState<string | null>(null)
  useEffect(() => () => reset(), [reset])

  const submit = (e: FormEvent) => {
    e.preventDefault()
    const to = destination.trim()
    if (to === '') return setProblem('Enter a destination address, e.g. g.provider.shop.')
    // Amounts are typed in the asset's units; the destination side uses the last quote's asset for that address.
    const asset = side === 'destination' && quote?.destination === to ? { assetCode: quote.destinationAsset.code, assetScale: quote.destinationAsset.scale } : own
    let units: string | undefined
    if (amount.trim() !== '') {
      if (!asset) return setProblem('Junction has no asset yet (no provider answered); try again when it is connected.')
      const parsed = parseAmount(amount, asset.assetScale)
      if ('error' in parsed) return setProblem(`Amount: ${parsed.error}.`)
      units = parsed.units
    }
    setProblem(null)
    void request({ destination: to, ...(units === undefined ? {} : side === 'source' ? { sourceAmount: units } : { destinationAmount: units }) })
  }

  return (
    <Card title="Quote" className="quote-panel">
      <p className="card-intro">
        What Junction's hop does to a payment: the route, the rate and its rounding, and the most one packet may carry. Past the
        provider, later hops convert and limit on their own.
      </p>
      <form className="quote-form" onSubmit={submit} noValidate>
        <div className="field quote-destination">
          <label htmlFor="quote-destination">Destination</label>
          <input
            id="quote-destination"
            value={destination}
            onChange={(e) => setDestination(e.target.value)}
            placeholder="g.provider.shop"
            autoComplete="off"
            spellCheck={false}
          />
        </div>
        <div className="field">
          <label htmlFor="quote-side">Amount is</label>
          <select id="quote-side" value={side} onChange={(e) => setSide(e.target.value as Side)}>
            <option value="source">sent (source)</option>
            <option value="destination">to arrive (destination)</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="quote-amount">Amount{own ? ` (${own.assetCode})` : ''}</label>
          <input id="quote-amount" value={amount} onChange={(e) => setAmount(e.target.value)} inputMode="decimal" placeholder="optional" autoComplete="off" />
        </div>
        <button type="submit" className="button primary" disabled={status === 'loading'}>
          <Calculator size={16} aria-hidden="true" /> Quote
        </button>
      </form>
      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
      {status === 'loading' && <p className="muted">Quoting…</p>}
      {status === 'error' && <CallErrorAlert error={error} />}
      {status === 'ready' && quote && <QuoteResult quote={quote} />}
      <RateProbe />
    </Card>
  )
}

function QuoteResult({ quote }: { quote: QuoteView }) {
  const src = { assetCode: quote.sourceAsset.code, assetScale: quote.sourceAsset.scale }
  const dst = { assetCode: quote.destinationAsset.code, assetScale: quote.destinationAsset.scale }
  const route = quote.route
  return (
    <div className="quote-result" aria-label="Quote result">
      <dl className="quote-facts">
        <dt>Route</dt>
        <dd>
          {route.relation === 'parent' ? 'to the provider' : route.relation === 'peer' ? `to peer ${route.nextHop}` : `to app ${route.nextHop}`}{' '}
          <span className="muted">(prefix {route.prefix === '' ? 'default route' : <code>{route.prefix}</code>})</span>
        </dd>
        <dt>Rate</dt>
        <dd>
          {quote.rate.decimal}{' '}
          <span className="muted">
            (× {quote.rate.numerator}/{quote.rate.denominator}, rounded down to whole units)
          </span>
        </dd>
        <dt>Most per packet</dt>
        <dd>
          <span className="tabular">{formatAmount(quote.maxPacketAmount, src)}</span> <span className="muted">— {LIMIT_WORDS[quote.limitedBy]}</span>
        </dd>
      </dl>
      {quote.failure ? (
        <div className="form-error" role="alert">
          <strong>{explainReject(quote.failure.code)}</strong>
          <div>{capitalise(quote.failure.message)}. Split the payment into smaller packets (STREAM does).</div>
        </div>
      ) : (
        quote.sourceAmount !== null &&
        quote.destinationAmount !== null && (
          <p className="quote-amounts" data-testid="quote-amounts">
            Send <strong className="tabular">{formatAmount(quote.sourceAmount, src)}</strong> → arrives{' '}
            <strong className="tabular">{formatAmount(quote.destinationAmount, dst)}</strong>
            {quote.beyondJunction && <span className="muted"> at the next hop</span>}
          </p>
        )
      )}
      {quote.beyondJunction && (
        <p className="muted" data-testid="quote-beyond">
          Past {quote.route.relation === 'peer' ? 'the peer' : 'the provider'}, later hops convert and limit on their own: probe the
          receiver below to measure the whole path.
        </p>
      )}
      <CurveChart points={quote.curve.points} />
      <table className="quote-curve" aria-label="Liquidity curve points">
        <thead>
          <tr>
            <th scope="col">Sent ({src.assetCode})</th>
            <th scope="col">Arrives ({dst.assetCode})</th>
          </tr>
        </thead>
        <tbody>
          {quote.curve.points.slice(0, 12).map(([x, y]) => (
            <tr key={x}>
              <td className="tabular" title={`${x} base units`}>
                {formatAmount(x, src)}
              </td>
              <td className="tabular" title={`${y} base units`}>
                {formatAmount(y, dst)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {quote.curve.points.length > 12 && <p className="muted">… and {quote.curve.points.length - 12} more points.</p>}
      <div className="snippet">
        <code data-testid="quote-curve-base64">{quote.curve.base64}</code>
        <CopyButton text={quote.curve.base64} label="Copy curve" />
      </div>
      <p className="muted">The curve in seed 002's binary form (base64): 16 bytes a point, each UInt64 as its high then its low 32-bit word.</p>
    </div>
  )
}

/** The curve as a line: straight segments between its points, scaled to fit (exact values are in the table). */
function CurveChart({ points }: { points: [string, string][] }) {
  const W = 240
  const H = 120
  const maxX = BigInt(points[points.length - 1]![0])
  const maxY = BigInt(points[points.length - 1]![1])
  // Scaled in bigint to 1/1000ths, so huge amounts do not lose their shape to floating point first.
  const scale = (v: string, max: bigint, size: number) => (max === 0n ? 0 : (Number((BigInt(v) * 1000n) / max) / 1000) * size)
  const path = points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${scale(x, maxX, W).toFixed(1)},${(H - scale(y, maxY, H)).toFixed(1)}`).join(' ')
  return (
    <svg className="quote-chart" viewBox={`-4 -4 ${W + 8} ${H + 8}`} role="img" aria-label={`Liquidity curve with ${points.length} points`}>
      <line x1={0} y1={H} x2={W} y2={H} className="quote-axis" />
      <line x1={0} y1={0} x2={0} y2={H} className="quote-axis" />
      <path d={path} className="quote-line" />
    </svg>
  )
}

function capitalise(s: string): string {
  return s ? s.charAt(0).toUpperCase() + s.slice(1) : s
}
