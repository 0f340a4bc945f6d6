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
      let bucket = account.throughputBucket
      if (!bucket) bucket = account.throughputBucket = { tokens: perSecond, updatedAt: t }
      const elapsed = t - bucket.updatedAt
      if (elapsed > 0) {
        const refilled = bucket.tokens + (BigInt(elapsed) * perSecond) / 1000n
        bucket.tokens = refilled > perSecond ? perSecond : refilled
        bucket.updatedAt = t
      }
      if (amount > bucket.tokens) {
        return insufficientLiquidity(`exceeded money bandwidth, throttling: account ${account.id} may send ${perSecond} per second`)
      }
      bucket.tokens -= amount
      return undefined
    },
  }
}
