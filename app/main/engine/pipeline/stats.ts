// Stats: counts every prepare and its outcome per account (in and out), and rejects by code. Cheap counters only;
// an app's rejects also go to its ledger, and every answered payment packet goes to the recent-packets ring (the
// Activity page) as each app saw it:
// - app → provider (or anywhere not an app): one row for the sending app, `out`;
// - provider → app: one row for the receiving app, `in`, with the amount the app got;
// - app → app: two rows, `out` for the sender (its amount) and `in` for the receiver (what it got), so each app's
//   own list is complete;
// - neither end an app (the provider's packet refused before routing): one row for `parent`, `in`.
// Peer protocol packets (peer.config, peer.balance, …) are control traffic, not payments, and are left out, as are the
// packets of Junction's own rate probe (an internal account, probe/probe-account.ts).
import type { BalanceStore } from '../balances/balance-store'
import type { RecentPackets } from '../activity/recent-packets'
import type { Middleware } from './packet-context'

export function createStatsMiddleware(store?: BalanceStore, recent?: RecentPackets): Middleware {
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
        if (store && ctx.from.relation === 'child' && !ctx.from.internal) store.recordReject(ctx.from, code)
        if (to && ctx.outRequestId >= 0) to.stats.rejectedOut++
      }
      // Junction's own rate probe (an internal account) is not an app's traffic.
      if (recent && !ctx.from.internal && !to?.internal) {
        const destination = ctx.prepare.destination
        if (!destination.startsWith('peer.')) {
          const t = Date.now()
          const from = ctx.from
          const fromApp = from.relation === 'child'
          if (fromApp) recent.record(t, from.id, true, destination, ctx.prepare.amount, reply)
          if (to !== undefined && to.relation === 'child') recent.record(t, to.id, false, destination, ctx.outAmount, reply)
          else if (!fromApp) recent.record(t, 'parent', false, destination, ctx.prepare.amount, reply)
        }
      }
      return reply
    },
  }
}
