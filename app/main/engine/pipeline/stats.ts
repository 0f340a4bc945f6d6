// Stats: counts every prepare and its outcome per account (in and out), and rejects by code. Cheap counters only;
// an app's rejects also go to its ledger.
import type { BalanceStore } from '../balances/balance-store'
import type { Middleware } from './packet-context'

export function createStatsMiddleware(store?: BalanceStore): Middleware {
  return {
    name: 'stats',
    incoming(ctx) {
      ctx.from.stats.preparesIn++
      return undefined
    },
    reply(ctx, reply) {
      const inStats = ctx.from.stats
      const to = ctx.to
      if (reply.fulfillment) {
        inStats.fulfilledIn++
        inStats.amountIn += ctx.prepare.amount
        if (to && ctx.outRequestId >= 0) {
          to.stats.fulfilledOut++
          to.stats.amountOut += ctx.outAmount
        }
      } else {
        inStats.rejectedIn++
        const code = reply.code ?? '???'
        inStats.rejectsByCode.set(code, (inStats.rejectsByCode.get(code) ?? 0) + 1)
        if (store && ctx.from.relation === 'child') store.recordReject(ctx.from, code)
        if (to && ctx.outRequestId >= 0) to.stats.rejectedOut++
      }
      return reply
    },
  }
}
