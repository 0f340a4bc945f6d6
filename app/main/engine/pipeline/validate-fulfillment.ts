// Fulfillment validation: a fulfill whose sha256(fulfillment) is not the prepare's condition becomes an F05 reject,
// so an invalid fulfillment never travels upstream and no balance moves for it.
import { wrongCondition } from '../ilp/ilp-failure'
import type { Middleware } from './packet-context'
import { type Reply, sha256 } from '../ilp/packets'

export function createValidateFulfillmentMiddleware(reject: (failure: ReturnType<typeof wrongCondition>) => Reply): Middleware {
  return {
    name: 'validate-fulfillment',
    reply(ctx, reply) {
      const fulfillment = reply.fulfillment
      if (!fulfillment) return reply
      if (sha256(fulfillment).equals(ctx.prepare.executionCondition)) return reply
      return reject(wrongCondition(`fulfillment from ${ctx.to?.id ?? 'the next hop'} does not match the condition`))
    },
  }
}
