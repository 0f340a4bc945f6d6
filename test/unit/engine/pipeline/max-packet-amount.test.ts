import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { IlpFailure } from '../../../../app/main/engine/ilp/ilp-failure'
import { createMaxPacketAmountMiddleware } from '../../../../app/main/engine/pipeline/max-packet-amount'
import { account, context } from '../../factories'

const UINT64_MAX = (1n << 64n) - 1n

function f08Data(received: bigint, maximum: bigint): Buffer {
  const data = Buffer.alloc(16)
  data.writeBigUInt64BE(received, 0)
  data.writeBigUInt64BE(maximum, 8)
  return data
}

describe('max-packet-amount middleware', () => {
  const m = createMaxPacketAmountMiddleware()

  it('lets any amount through without a maximum', () => {
    assert.equal(m.incoming!(context(account('a'), { amount: UINT64_MAX })), undefined)
  })

  it('lets the maximum itself through', () => {
    const a = account('a', { limits: { maxPacketAmount: 100n } })
    assert.equal(m.incoming!(context(a, { amount: 100n })), undefined)
    assert.equal(m.incoming!(context(a, { amount: 0n })), undefined)
  })

  it('rejects above it with F08 and data = receivedAmount UInt64, maximumAmount UInt64', () => {
    const a = account('a', { limits: { maxPacketAmount: 100n } })
    const r = m.incoming!(context(a, { amount: 101n }))
    assert.ok(r instanceof IlpFailure)
    assert.equal(r.code, 'F08')
    assert.deepEqual(r.data, f08Data(101n, 100n))
  })

  it('encodes amounts beyond 2^53 exactly', () => {
    const max = (1n << 63n) + 12345n
    const a = account('a', { limits: { maxPacketAmount: max } })
    const r = m.incoming!(context(a, { amount: UINT64_MAX }))
    assert.ok(r instanceof IlpFailure)
    assert.deepEqual(r.data, f08Data(UINT64_MAX, max))
  })
})
