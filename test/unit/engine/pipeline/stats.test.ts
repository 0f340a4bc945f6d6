import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { IlpFailure } from '../../../../app/main/engine/ilp/ilp-failure'
import { fulfillReply } from '../../../../app/main/engine/ilp/packets'
import { createStatsMiddleware } from '../../../../app/main/engine/pipeline/stats'
import { RecentPackets } from '../../../../app/main/engine/activity/recent-packets'
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

  it('lists answered packets as each app saw them: out for the sender, in for the receiver', () => {
    const recent = new RecentPackets()
    const m = createStatsMiddleware(undefined, recent)
    const alice = account('alice')
    const bob = account('bob')
    const parent = account('parent', { relation: 'parent' })
    const rows = () => recent.newest(10).reverse().map((p) => [p.app, p.direction, p.amount, p.result, p.destination])

    // app → provider: one row for the sending app, its amount.
    const out = context(alice, { amount: 1000n, destination: 'g.shop.x' })
    Object.assign(out, { to: parent, outAmount: 990n, outRequestId: 1 })
    m.reply!(out, fulfill)
    // provider → app: one row for the receiving app, what it got.
    const inbound = context(parent, { amount: 500n, destination: 'private.junction.bob' })
    Object.assign(inbound, { to: bob, outAmount: 499n, outRequestId: 2 })
    m.reply!(inbound, reject(new IlpFailure('T04', 'bob is full')))
    // app → app: a row each way.
    const between = context(alice, { amount: 30n, destination: 'private.junction.bob.x' })
    Object.assign(between, { to: bob, outAmount: 30n, outRequestId: 3 })
    m.reply!(between, fulfill)
    // The provider's packet refused before routing: the parent's row.
    m.reply!(context(parent, { amount: 9n, destination: 'private.junction.nobody' }), reject(new IlpFailure('F02', 'no route')))
    // Peer protocols are not payments.
    m.reply!(context(alice, { amount: 0n, destination: 'peer.config' }), fulfill)

    assert.deepEqual(rows(), [
      ['alice', 'out', '1000', 'fulfilled', 'g.shop.x'],
      ['bob', 'in', '499', 'T04', 'private.junction.bob'],
      ['alice', 'out', '30', 'fulfilled', 'private.junction.bob.x'],
      ['bob', 'in', '30', 'fulfilled', 'private.junction.bob.x'],
      ['parent', 'in', '9', 'F02', 'private.junction.nobody'],
    ])
    assert.equal(recent.newest(5).find((p) => p.result === 'T04')!.message, 'bob is full')
  })

  it('leaves Junction\'s own rate probe (an internal account) out of the Activity list and the per-app rejects', () => {
    const recent = new RecentPackets()
    const rejectsOf: string[] = []
    const store = { recordReject: (from: { id: string }) => rejectsOf.push(from.id) } as unknown as Parameters<typeof createStatsMiddleware>[0]
    const m = createStatsMiddleware(store, recent)
    const probe = Object.assign(account('junction:probe'), { internal: true })
    const parent = account('parent', { relation: 'parent' })
    // The probe's test packet, rejected by the receiver; the receiver's packet back to the probe.
    const out = context(probe, { amount: 1000n, destination: 'g.shop.bob.x' })
    Object.assign(out, { to: parent, outAmount: 1000n, outRequestId: 1 })
    m.reply!(out, reject(new IlpFailure('F99', 'stream')))
    const back = context(parent, { amount: 0n, destination: 'g.junction.junction~probe.p1' })
    Object.assign(back, { to: probe, outAmount: 0n, outRequestId: 2 })
    m.reply!(back, fulfill)
    assert.equal(recent.seq, 0)
    assert.deepEqual(rejectsOf, [])
    assert.equal(probe.stats.rejectedIn, 1, 'still counted on the account itself')
  })
})
