import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { RecentPackets } from '../../../../app/main/engine/activity/recent-packets'
import { IlpFailure } from '../../../../app/main/engine/ilp/ilp-failure'
import { fulfillReply, rejectReply } from '../../../../app/main/engine/ilp/packets'

const fulfill = fulfillReply(Buffer.alloc(32), Buffer.from('data of the fulfill'))
const reject = (code: 'T04' | 'F02', message: string) => rejectReply(new IlpFailure(code, message), 'private.junction')

describe('recent packets ring', () => {
  it('keeps the newest packets, newest first, with exact amounts, codes and reject messages', () => {
    const ring = new RecentPackets(4)
    ring.record(1000, 'alice', true, 'g.shop.x', 2n ** 64n - 1n, fulfill)
    ring.record(1001, 'bob', false, 'private.junction.bob', 7n, reject('T04', 'over budget'))
    assert.deepEqual(ring.newest(10), [
      { seq: 2, time: 1001, app: 'bob', direction: 'in', destination: 'private.junction.bob', amount: '7', result: 'T04', message: 'over budget' },
      { seq: 1, time: 1000, app: 'alice', direction: 'out', destination: 'g.shop.x', amount: '18446744073709551615', result: 'fulfilled', message: '' },
    ])
    assert.equal(ring.seq, 2)
    assert.equal(ring.fulfilled, 1)
  })

  it('is bounded: the oldest go when it is full; limit cuts from the newest', () => {
    const ring = new RecentPackets(3)
    for (let i = 1; i <= 7; i++) ring.record(i, 'a', true, `g.x.${i}`, BigInt(i), fulfill)
    assert.deepEqual(
      ring.newest(10).map((p) => p.seq),
      [7, 6, 5],
    )
    assert.deepEqual(
      ring.newest(2).map((p) => p.amount),
      ['7', '6'],
    )
  })

  it('since(seq): what came after, oldest first, only what the ring still holds', () => {
    const ring = new RecentPackets(5)
    assert.deepEqual(ring.since(0), [])
    for (let i = 1; i <= 3; i++) ring.record(i, 'a', true, 'g.x', BigInt(i), fulfill)
    assert.deepEqual(
      ring.since(1).map((p) => p.seq),
      [2, 3],
    )
    for (let i = 4; i <= 12; i++) ring.record(i, 'a', true, 'g.x', BigInt(i), reject('F02', `no route ${i}`))
    assert.deepEqual(
      ring.since(3).map((p) => p.seq),
      [8, 9, 10, 11, 12],
    )
    assert.deepEqual(
      ring.since(3, 2).map((p) => p.message),
      ['no route 11', 'no route 12'],
    )
    assert.deepEqual(ring.since(12), [])
  })
})
