// Balance: keeps every account between its minimum and maximum, counting packets in flight, and commits a packet's
// two balance changes (the sender's account up, the next hop's down) only when it is fulfilled.
// Unlike ilp-connector (#493), the minimum of the next hop is checked before forwarding, not after the fulfill.
import { insufficientLiquidity, internalError } from '../ilp/ilp-failure'
import type { BalanceStore } from '../balances/balance-store'
import type { Middleware } from './packet-context'

export function createBalanceMiddleware(store: BalanceStore): Middleware {
  return {
    name: 'balance',
    incoming(ctx) {
      const amount = ctx.prepare.amount
      if (amount === 0n) return undefined
      // Never forward money that could not be accounted for.
      const unavailable = store.unavailable
      if (unavailable !== undefined) return internalError(`Junction cannot record payments right now: ${unavailable}`)
      const from = ctx.from
      const max = from.limits.maximumBalance
      if (max !== undefined && from.balance + from.pendingIncoming + amount > max) {
        return insufficientLiquidity(
          `exceeded maximum balance: ${amount} more would take account ${from.id} to ${from.balance + from.pendingIncoming + amount}, above its maximum of ${max}`,
        )
      }
      from.pendingIncoming += amount
      ctx.heldIncoming = true
      return undefined
    },
    outgoing(ctx) {
      const amount = ctx.outAmount
      const to = ctx.to
      if (amount === 0n || !to) return undefined
      const min = to.limits.minimumBalance
      if (min !== undefined && to.balance - to.pendingOutgoing - amount < min) {
        return insufficientLiquidity(
          `insufficient liquidity: sending ${amount} to ${to.id} would take its balance to ${to.balance - to.pendingOutgoing - amount}, below its minimum of ${min}`,
        )
      }
      to.pendingOutgoing += amount
      ctx.heldOutgoing = true
      return undefined
    },
    reply(ctx, reply) {
      const inAmount = ctx.heldIncoming ? ctx.prepare.amount : 0n
      const outAmount = ctx.heldOutgoing ? ctx.outAmount : 0n
      if (inAmount === 0n && outAmount === 0n) return reply
      const from = ctx.from
      const to = ctx.to
      if (ctx.heldIncoming) from.pendingIncoming -= inAmount
      if (ctx.heldOutgoing && to) to.pendingOutgoing -= outAmount
      ctx.heldIncoming = ctx.heldOutgoing = false
      if (reply.fulfillment) {
        store.recordFulfill({ from, inAmount, to: outAmount > 0n ? to : undefined, outAmount, destination: ctx.prepare.destination })
        from.balance += inAmount
        if (to && outAmount > 0n) to.balance -= outAmount
      }
      return reply
    },
  }
}
