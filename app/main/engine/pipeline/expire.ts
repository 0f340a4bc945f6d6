// Expire: rejects a forwarded packet with R00 at its outgoing expiry even if the next hop never answers, and stops
// waiting for that hop's reply.
import { transferTimedOut } from '../ilp/ilp-failure'
import type { Middleware, PacketContext } from './packet-context'
import type { Reply } from '../ilp/packets'

export function createExpireMiddleware(reject: (failure: ReturnType<typeof transferTimedOut>) => Reply): Middleware {
  const expire = (ctx: PacketContext) => {
    ctx.expiryTimer = undefined
    if (ctx.done) return
    ctx.to?.link?.forget(ctx.outRequestId)
    ctx.settle(reject(transferTimedOut(`packet expired: ${ctx.to?.id ?? 'the next hop'} did not answer in time`)))
  }
  return {
    name: 'expire',
    outgoing(ctx) {
      ctx.expiryTimer = setTimeout(expire, Math.max(0, ctx.outExpiresAt - Date.now()), ctx)
      return undefined
    },
    reply(ctx, reply) {
      if (ctx.expiryTimer) {
        clearTimeout(ctx.expiryTimer)
        ctx.expiryTimer = undefined
      }
      return reply
    },
  }
}
