// Rate limit: a token bucket of packets per incoming account; an empty bucket rejects at once with T05.
import { rateLimited } from '../ilp/ilp-failure'
import type { Middleware } from './packet-context'

export function createRateLimitMiddleware(now: () => number = Date.now): Middleware {
  return {
    name: 'rate-limit',
    incoming(ctx) {
      const account = ctx.from
      const limit = account.limits.rateLimit
      if (!limit) return undefined
      const t = now()
      let bucket = account.rateBucket
      if (!bucket) bucket = account.rateBucket = { tokens: limit.capacity, updatedAt: t }
      const refill = ((t - bucket.updatedAt) * limit.refillPerSecond) / 1000
      bucket.tokens = Math.min(limit.capacity, bucket.tokens + refill)
      bucket.updatedAt = t
      if (bucket.tokens < 1) {
        return rateLimited(`too many requests, throttling: account ${account.id} may send ${limit.refillPerSecond} packets per second`)
      }
      bucket.tokens -= 1
      return undefined
    },
  }
}
