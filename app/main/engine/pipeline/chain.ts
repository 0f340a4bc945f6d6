// The middleware chain, in the order a prepare meets them. Reply hooks run in the reverse order.
// Around all of them is the error handler (error-handler.ts, applied by packet-pipeline.ts): any throw → a reject.
import type { BalanceStore } from '../balances/balance-store'
import type { IlpFailure } from '../ilp/ilp-failure'
import type { Reply } from '../ilp/packets'
import { createBalanceMiddleware } from './balance'
import { createBudgetMiddleware } from './budget'
import { createDeduplicateMiddleware, type DeduplicateOptions } from './deduplicate'
import { createExpireMiddleware } from './expire'
import { createMaxPacketAmountMiddleware } from './max-packet-amount'
import type { Middleware } from './packet-context'
import { createPauseMiddleware, type PauseSwitch } from './pause'
import type { RecentPackets } from '../activity/recent-packets'
import { createRateLimitMiddleware } from './rate-limit'
import { createStatsMiddleware } from './stats'
import { createThroughputMiddleware } from './throughput'
import { createValidateFulfillmentMiddleware } from './validate-fulfillment'

export interface ChainOptions {
  balances: BalanceStore
  deduplicate: DeduplicateOptions
  /** Builds a reject from this node (triggeredBy = its own address). */
  reject: (failure: IlpFailure) => Reply
  /** The clock for calendar budget periods (tests inject one). */
  now?: () => number
  /** The user's pause switch; never paused if not given. */
  pause?: PauseSwitch
  /** Where answered packets are listed for the Activity page. */
  recent?: RecentPackets
}

export function createChain(opts: ChainOptions): Middleware[] {
  return [
    // Stats first, so every outcome is counted, including packets the limits below refuse.
    createStatsMiddleware(opts.balances, opts.recent),
    // Paused by the user: apps' packets are refused (T03) before any limit, budget or balance counts them.
    createPauseMiddleware(opts.pause ?? { paused: false }),
    // Cheap refusals before any work: too many packets (T05), too large a packet (F08), too much money/s (T04).
    createRateLimitMiddleware(),
    createMaxPacketAmountMiddleware(),
    createThroughputMiddleware(),
    // A retransmitted copy must not be forwarded, nor counted against the balance, twice.
    createDeduplicateMiddleware(opts.deduplicate),
    // The app's status and budget (T00 while held for approval, T04 over budget). After deduplicate, so a copy is not
    // counted twice; before balance, so money over budget is never held; its reply hook then sees the final outcome.
    createBudgetMiddleware(opts.now),
    // Holds the amount against the sender's maximum and (after routing) the next hop's minimum; commits on fulfill.
    createBalanceMiddleware(opts.balances),
    // On the way back this runs before balance, so an invalid fulfill (F05) never moves a balance.
    createValidateFulfillmentMiddleware(opts.reject),
    // Last before the wire: the timer that rejects with R00 at the outgoing expiry.
    createExpireMiddleware(opts.reject),
  ]
}
