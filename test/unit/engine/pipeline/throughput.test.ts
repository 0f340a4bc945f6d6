import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { IlpFailure } from '../../../../app/main/engine/ilp/ilp-failure'
import { createThroughputMiddleware } from '../../../../app/main/engine/pipeline/throughput'
import { account, context } from '../../factories'

function meter() {
  let t = 5_000_000
  const m = createThroughputMiddleware(() => t)
  return {
    advance: (ms: number) => void (t += ms),
    send: (from: ReturnType<typeof account>, amount: bigint) => m.incoming!(context(from, { amount })),
  }
}

const isT04 = (r: unknown) => r instanceof IlpFailure && r.code === 'T04'

describe('throughput middleware', () => {
  it('lets everything through without a limit', () => {
    const { send } = meter()
    assert.equal(send(account('a'), (1n << 64n) - 1n), undefined)
  })

  it('allows up to one second of throughput at once, then rejects with T04', () => {
    const { send } = meter()
    const a = account('a', { limits: { throughputPerSecond: 1000n } })
    assert.equal(send(a, 600n), undefined)
    assert.ok(isT04(send(a, 500n))) // 400 left
    assert.equal(send(a, 400n), undefined)
    assert.ok(isT04(send(a, 1n)))
  })

  it('refills in proportion to elapsed time, up to one second', () => {
    const { send, advance } = meter()
    const a = account('a', { limits: { throughputPerSecond: 1000n } })
    send(a, 1000n)
    advance(1)
    assert.equal(send(a, 1n), undefined)
    assert.ok(isT04(send(a, 1n)))
    advance(250)
    assert.equal(send(a, 250n), undefined)
    advance(60_000)
    assert.ok(isT04(send(a, 1001n)))
    assert.equal(send(a, 1000n), undefined)
  })

  it('lets zero-amount packets through even when the bucket is empty', () => {
    const { send } = meter()
    const a = account('a', { limits: { throughputPerSecond: 10n } })
    send(a, 10n)
    assert.equal(send(a, 0n), undefined)
  })

  it('does not lose the fractions of a refill when packets arrive every millisecond', () => {
    // 100 per second is 0.1 per millisecond: over one second of packets 1 ms apart, about 100 must pass.
    const { send, advance } = meter()
    const a = account('a', { limits: { throughputPerSecond: 100n } })
    send(a, 100n)
    let passed = 0n
    for (let i = 0; i < 1000; i++) {
      advance(1)
      if (send(a, 1n) === undefined) passed++
    }
    assert.ok(passed >= 99n && passed <= 100n, `passed ${passed}`)
  })

  it('keeps one bucket per account', () => {
    const { send } = meter()
    const limits = { throughputPerSecond: 10n }
    const a = account('a', { limits })
    const b = account('b', { limits })
    send(a, 10n)
    assert.ok(isT04(send(a, 1n)))
    assert.equal(send(b, 10n), undefined)
  })
})
