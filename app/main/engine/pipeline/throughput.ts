// Throughput: a token bucket of money per incoming account (amount per second); over it, T04.
import { insufficientLiquidity } from '../ilp/ilp-failure'
import type { Middleware } from './packet-context'

export function createThroughputMiddleware(now: () => number = Date.now): Middleware {
  return {
    name: 'throughput',
    incoming(ctx) {
      const account = ctx.from
      const perSecond = account.limits.throughputPerSecond
      const amount = ctx.prepare.amount
      if (perSecond === undefined || amount === 0n) return undefined
      const t = now()
      // The bucket counts thousandths of a unit, so a refill below one unit per millisecond is not rounded away.
      const capacity = perSecond * 1000n
      const cost = amount * 1000n
      let bucket = account.throughputBucket
      if (!bucket) bucket = account.throughputBucket = { tokens: capacity, updatedAt: t }
      const elapsed = t - bucket.updatedAt
      if (elapsed > 0) {
        const refilled = bucket.tokens + BigInt(elapsed) * perSecond
        bucket.tokens = refilled > capacity ? capacity : refilled
        bucket.updatedAt = t
      }
      if (cost > bucket.tokens) {
        return insufficientLiquidity(`exceeded money bandwidth, throttling: account ${account.id} may send ${perSecond} per second`)
      }
      bucket.tokens -= cost
      return undefined
    },
  }
}
