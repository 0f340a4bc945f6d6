import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { IlpFailure } from '../../../../app/main/engine/ilp/ilp-failure'
import { fulfillReply } from '../../../../app/main/engine/ilp/packets'
import { createStatsMiddleware } from '../../../../app/main/engine/pipeline/stats'
import { account, context, reject } from '../../factories'

const fulfill = fulfillReply(Buffer.alloc(32), Buffer.alloc(0))

describe('stats middleware', () => {
  it('counts incoming prepares', () => {
    const m = createStatsMiddleware()
    const alice = account('alice')
    for (let i = 0; i < 3; i++) assert.equal(m.incoming!(context(alice)), undefined)
    assert.equal(alice.stats.preparesIn, 3)
  })

  it('counts a forwarded fulfill on both accounts with their own amounts', () => {
    const m = createStatsMiddleware()
    const alice = account('alice')
    const parent = account('parent', { relation: 'parent' })
    const ctx = context(alice, { amount: 1000n })
    m.incoming!(ctx)
    ctx.to = parent
    ctx.outAmount = 990n
    ctx.outRequestId = 7
    assert.equal(m.reply!(ctx, fulfill), fulfill)
    assert.equal(alice.stats.fulfilledIn, 1)
    assert.equal(alice.stats.amountIn, 1000n)
    assert.equal(alice.stats.rejectedIn, 0)
    assert.equal(parent.stats.fulfilledOut, 1)
    assert.equal(parent.stats.amountOut, 990n)
  })

  it('counts rejects by code, and on the next hop only if the packet went out', () => {
    const m = createStatsMiddleware()
    const alice = account('alice')
    const bob = account('bob')
    const routed = context(alice)
    routed.to = bob // routed, refused before sending (outRequestId stays −1)
    m.reply!(routed, reject(new IlpFailure('T04', 'min')))
    const sent = context(alice)
    sent.to = bob
    sent.outRequestId = 3
    m.reply!(sent, reject(new IlpFailure('T04', 'later')))
    m.reply!(context(alice), reject(new IlpFailure('F02', 'no route')))
    assert.equal(alice.stats.rejectedIn, 3)
    assert.equal(alice.stats.fulfilledIn, 0)
    assert.equal(alice.stats.amountIn, 0n)
    assert.equal(alice.stats.rejectsByCode.get('T04'), 2)
    assert.equal(alice.stats.rejectsByCode.get('F02'), 1)
    assert.equal(bob.stats.rejectedOut, 1)
    assert.equal(bob.stats.fulfilledOut, 0)
  })
})
