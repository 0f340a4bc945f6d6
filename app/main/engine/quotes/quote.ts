// Quotes (ILQP semantics, seed 002): for a destination, the liquidity curve of Junction's hop — which next hop the
// router would pick, the exact rate it would convert at, rounded down, up to the most one packet may carry — and
// from it the destination amount for a source amount, or the smallest source amount for a destination amount.
// It reads the same routing table, accounts, limits and rate as forwarding does, so a quote is what a packet gets.
import type { Account } from '../accounts/account'
import type { Connector } from '../connector'
import { missingRateMessage } from '../rates/rate-table'
import {
  curveToBase64,
  destinationFor,
  type LiquidityCurve,
  MAX_UINT64,
  maxDestination,
  maxSource,
  sourceFor,
} from './liquidity-curve'
import { type ExactRate, rateCurve, rateDecimal } from './rate-curve'

export interface QuoteRequest {
  destination: string
  /** Quote by source: what arrives for this much sent. */
  sourceAmount?: bigint
  /** Quote by destination: what must be sent for at least this much to arrive. */
  destinationAmount?: bigint
  /** The app sending (its own limits apply); Junction's default app limits if absent. */
  app?: string
}

/** Why a quote cannot be given: the reject a packet to that destination would meet. */
export class QuoteFailure extends Error {
  constructor(
    readonly ilpCode: 'F02' | 'T01',
    message: string,
    readonly kind: 'not-found' | 'unavailable',
  ) {
    super(`${ilpCode} ${message}`)
    this.name = 'QuoteFailure'
  }
}

export type QuoteLimit = 'max-packet-amount' | 'throughput' | 'uint64'

export interface Quote {
  destination: string
  route: { prefix: string; nextHop: string; relation: Account['relation']; source: string }
  /** The curve covers Junction's hop only: past a provider or peer, later hops convert and limit on their own. */
  beyondJunction: boolean
  sourceAsset: { code: string; scale: number }
  destinationAsset: { code: string; scale: number }
  rate: ExactRate
  rateDecimal: string
  /** The largest source amount one packet may carry, and what sets it. */
  maxPacketAmount: bigint
  limitedBy: QuoteLimit
  curve: LiquidityCurve
  curveBase64: string
  sourceAmount: bigint | null
  destinationAmount: bigint | null
  /** Set when the amount asked for cannot go in one packet (forwarding would reject it with F08). */
  failure: { code: 'F08'; message: string } | null
}

export function quote(connector: Connector, req: QuoteRequest): Quote {
  const destination = req.destination
  if (destination.startsWith('peer.')) {
    throw new QuoteFailure('F02', `${destination}: peer.* addresses are never forwarded`, 'not-found')
  }
  const route = connector.routes.lookup(destination)
  if (!route) throw new QuoteFailure('F02', `no route to ${destination}`, 'not-found')
  if (route.accountId === '') throw new QuoteFailure('F02', `${destination} is Junction's own address, not an app or a route`, 'not-found')
  const to = connector.accounts.get(route.accountId)
  if (!to) throw new QuoteFailure('F02', `no route to ${destination}: account ${route.accountId} is gone`, 'not-found')
  if (!to.link?.open) {
    const who = to.relation === 'parent' ? `the provider (${to.id})` : `${to.relation === 'child' ? 'app' : 'peer'} ${to.id}`
    throw new QuoteFailure('T01', `${who} is not connected`, 'unavailable')
  }

  // The sending side: an app (its limits) or Junction's default app limits; apps hold Junction's own asset.
  let limits = connector.config.childLimits
  let sourceScale = connector.own.assetScale
  let sourceCode = connector.own.assetCode
  if (req.app !== undefined) {
    const from = connector.accounts.get(req.app)
    if (!from || from.relation !== 'child') throw new QuoteFailure('F02', `no app named "${req.app}" is known to Junction`, 'not-found')
    limits = from.limits
    sourceScale = from.assetScale
    sourceCode = from.assetCode
  }
  let maxPacketAmount = MAX_UINT64
  let limitedBy: QuoteLimit = 'uint64'
  if (limits.maxPacketAmount !== undefined && limits.maxPacketAmount < maxPacketAmount) {
    maxPacketAmount = limits.maxPacketAmount
    limitedBy = 'max-packet-amount'
  }
  // A packet above the per-second money limit can never pass the throughput bucket.
  if (limits.throughputPerSecond !== undefined && limits.throughputPerSecond < maxPacketAmount) {
    maxPacketAmount = limits.throughputPerSecond
    limitedBy = 'throughput'
  }

  // The exact fraction forwarding converts with: the rate table's, for this hop's pair of assets.
  const sourceAsset = { code: sourceCode, scale: sourceScale }
  const destinationAsset = { code: to.assetCode, scale: to.assetScale }
  const rate = connector.rates.exactRate(sourceAsset, destinationAsset)
  if (rate === undefined) throw new QuoteFailure('F02', missingRateMessage(sourceAsset, destinationAsset), 'not-found')
  const curve = rateCurve(rate, maxPacketAmount)
  if (maxSource(curve) < maxPacketAmount) {
    maxPacketAmount = maxSource(curve)
    limitedBy = 'uint64'
  }
  // The same backend the router converts with must agree with the curve where the quote reads it.
  const check = (x: bigint) => {
    if (connector.rates.convert(x, sourceAsset, destinationAsset) !== destinationFor(curve, x)) {
      throw new Error(`quote: the curve and the rate backend disagree at ${x}; the rate backend changed without the quote`)
    }
  }
  check(maxSource(curve))

  let sourceAmount: bigint | null = null
  let destinationAmount: bigint | null = null
  let failure: Quote['failure'] = null
  const limitWords = limitedBy === 'throughput' ? 'the money per second this sender may send' : limitedBy === 'uint64' ? 'the largest ILP amount' : 'the most one packet from this sender may carry'
  if (req.sourceAmount !== undefined) {
    sourceAmount = req.sourceAmount
    const out = destinationFor(curve, req.sourceAmount)
    if (out === undefined) {
      failure = { code: 'F08', message: `cannot deliver: ${req.sourceAmount} is more than ${maxPacketAmount}, ${limitWords}` }
    } else {
      check(req.sourceAmount)
      destinationAmount = out
    }
  } else if (req.destinationAmount !== undefined) {
    destinationAmount = req.destinationAmount
    const needed = sourceFor(curve, req.destinationAmount)
    if (needed === undefined) {
      failure = {
        code: 'F08',
        message: `cannot deliver: at most ${maxDestination(curve)} arrives for ${maxPacketAmount} sent, ${limitWords}`,
      }
    } else {
      check(needed)
      sourceAmount = needed
    }
  }

  return {
    destination,
    route: { prefix: route.prefix, nextHop: to.id, relation: to.relation, source: route.source },
    beyondJunction: to.relation !== 'child',
    sourceAsset,
    destinationAsset,
    rate,
    rateDecimal: rateDecimal(rate),
    maxPacketAmount,
    limitedBy,
    curve,
    curveBase64: curveToBase64(curve),
    sourceAmount,
    destinationAmount,
    failure,
  }
}
