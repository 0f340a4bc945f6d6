// The middleware chain, in the order a prepare meets them. Reply hooks run in the reverse order.
// Around all of them is the error handler (error-handler.ts, applied by packet-pipeline.ts): any throw → a reject.
import type { BalanceStore } from '../balances/balance-store'
import type { IlpFailure } from '../ilp/ilp-failure'
import type { Reply } from '../ilp/packets'
import { createBalanceMiddleware } from './balance'
import { createDeduplicateMiddleware, type DeduplicateOptions } from './deduplicate'
import { createExpireMiddleware } from './expire'
import { createMaxPacketAmountMiddleware } from './max-packet-amount'
import type { Middleware } from './packet-context'
import { createRateLimitMiddleware } from './rate-limit'
import { createStatsMiddleware } from './stats'
import { createThroughputMiddleware } from './throughput'
import { createValidateFulfillmentMiddleware } from './validate-fulfillment'

export interface ChainOptions {
  balances: BalanceStore
  deduplicate: DeduplicateOptions
  /** Builds a reject from this node (triggeredBy = its own address). */
  reject: (failure: IlpFailure) => Reply
}

export function createChain(opts: ChainOptions): Middleware[] {
  return [
    // Stats first, so every outcome is counted, including packets the limits below refuse.
    createStatsMiddleware(opts.balances),
    // Cheap refusals before any work: too many packets (T05), too large a packet (F08), too much money/s (T04).
    createRateLimitMiddleware(),
    createMaxPacketAmountMiddleware(),
    createThroughputMiddleware(),
    // A retransmitted copy must not be forwarded, nor counted against the balance, twice.
    createDeduplicateMiddleware(opts.deduplicate),
    // Holds the amount against the sender's maximum and (after routing) the next hop's minimum; commits on fulfill.
    createBalanceMiddleware(opts.balances),
    // On the way back this runs before balance, so an invalid fulfill (F05) never moves a balance.
    createValidateFulfillmentMiddleware(opts.reject),
    // Last before the wire: the timer that rejects with R00 at the outgoing expiry.
    createExpireMiddleware(opts.reject),
  ]
}
