// Max packet amount: an incoming prepare above the account's maximum is rejected with F08 and both amounts as data.
import { amountTooLarge } from '../ilp/ilp-failure'
import type { Middleware } from './packet-context'

export function createMaxPacketAmountMiddleware(): Middleware {
  return {
    name: 'max-packet-amount',
    incoming(ctx) {
      const max = ctx.from.limits.maxPacketAmount
      if (max !== undefined && ctx.prepare.amount > max) return amountTooLarge(ctx.prepare.amount, max)
      return undefined
    },
  }
}
