// Budget: what the user decided about the sending app, on every prepare it sends.
// - An app held for approval (new-app policy `ask`) gets T00 with a message saying so. T-codes tell a sender to retry
//   later, and ilp-protocol-stream does, with backoff, on any T-code (an F-code makes it fail at once), so an app
//   goes on once approved. (A STREAM connection whose rate probes were all refused can no longer measure the rate
//   and ends with a connect error; the app's next connection goes through.) T00 is RFC 27's generic temporary error;
//   T04 would read as a budget or liquidity problem, and makes STREAM shrink its packets. ILDCP and peer.balance
//   still work, so a held app learns its address and balance.
// - An app over its budget for the current calendar period gets T04 with a message naming the budget. Spending counts
//   fulfilled packets and packets in flight, so however many packets race, what gets fulfilled never exceeds the
//   budget. A packet rejected further on releases its share.
// Apps without a budget are only counted. Accounts that are not apps (the provider) pass untouched.
import { appLabel, rejects } from '../accounts/app-policy'
import { addSpent, rollSpend } from '../accounts/app-state'
import { badRequest, insufficientLiquidity, internalError } from '../ilp/ilp-failure'
import type { Middleware } from './packet-context'

export function createBudgetMiddleware(now: () => number = Date.now): Middleware {
  return {
    name: 'budget',
    incoming(ctx) {
      const app = ctx.from.app
      if (app === undefined) return undefined
      if (app.status !== 'approved') {
        if (app.status === 'pending') {
          if (ctx.prepare.destination.startsWith('peer.')) return undefined
          return internalError(rejects.pending(appLabel(app)))
        }
        return badRequest(rejects.blocked(appLabel(app)))
      }
      const amount = ctx.prepare.amount
      if (amount === 0n) return undefined
      const spend = app.spend
      const budget = app.budget
      if (budget !== null) {
        const t = now()
        if (t >= spend.rollsAt) rollSpend(spend, t)
        const period = spend[budget.period]
        if (period.spent + spend.inFlight + amount > budget.amount) {
          spend.budgetRefusedAt = t
          return insufficientLiquidity(rejects.budget(appLabel(app), budget, period.spent, spend.inFlight, amount, period.end))
        }
      }
      spend.inFlight += amount
      ctx.budgetHeld = true
      return undefined
    },
    reply(ctx, reply) {
      if (!ctx.budgetHeld) return reply
      ctx.budgetHeld = false
      const spend = ctx.from.app!.spend
      const amount = ctx.prepare.amount
      spend.inFlight -= amount
      if (reply.fulfillment) addSpent(spend, amount, now())
      return reply
    },
  }
}
