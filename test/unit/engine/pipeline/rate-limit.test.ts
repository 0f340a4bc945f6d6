import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { IlpFailure } from '../../../../app/main/engine/ilp/ilp-failure'
import { createRateLimitMiddleware } from '../../../../app/main/engine/pipeline/rate-limit'
import { account, context } from '../../factories'

function limiter() {
  let t = 1_000_000
  const m = createRateLimitMiddleware(() => t)
  return {
    advance: (ms: number) => void (t += ms),
    send: (from: ReturnType<typeof account>) => m.incoming!(context(from)),
  }
}

const isT05 = (r: unknown) => r instanceof IlpFailure && r.code === 'T05'

describe('rate-limit middleware', () => {
  it('lets everything through without a limit', () => {
    const { send } = limiter()
    const a = account('alice')
    for (let i = 0; i < 1000; i++) assert.equal(send(a), undefined)
  })

  it('allows a burst of `capacity` packets, then rejects with T05', () => {
    const { send } = limiter()
    const a = account('alice', { limits: { rateLimit: { capacity: 3, refillPerSecond: 1 } } })
    assert.equal(send(a), undefined)
    assert.equal(send(a), undefined)
    assert.equal(send(a), undefined)
    assert.ok(isT05(send(a)))
    assert.ok(isT05(send(a)))
  })

  it('refills at refillPerSecond', () => {
    const { send, advance } = limiter()
    const a = account('alice', { limits: { rateLimit: { capacity: 2, refillPerSecond: 4 } } })
    send(a)
    send(a)
    assert.ok(isT05(send(a)))
    advance(249) // 0.996 of a packet
    assert.ok(isT05(send(a)))
    advance(1)
    assert.equal(send(a), undefined)
    assert.ok(isT05(send(a)))
    advance(500) // two more
    assert.equal(send(a), undefined)
    assert.equal(send(a), undefined)
    assert.ok(isT05(send(a)))
  })

  it('keeps fractions of a packet across many small steps', () => {
    const { send, advance } = limiter()
    const a = account('alice', { limits: { rateLimit: { capacity: 1, refillPerSecond: 10 } } })
    send(a)
    let passed = 0
    for (let i = 0; i < 1000; i++) {
      advance(1)
      if (send(a) === undefined) passed++
    }
    assert.equal(passed, 10)
  })

  it('never holds more than capacity, however long the pause', () => {
    const { send, advance } = limiter()
    const a = account('alice', { limits: { rateLimit: { capacity: 3, refillPerSecond: 100 } } })
    send(a)
    advance(3_600_000)
    for (let i = 0; i < 3; i++) assert.equal(send(a), undefined)
    assert.ok(isT05(send(a)))
  })

  it('keeps one bucket per account', () => {
    const { send } = limiter()
    const limits = { rateLimit: { capacity: 1, refillPerSecond: 1 } }
    const a = account('alice', { limits })
    const b = account('bob', { limits })
    assert.equal(send(a), undefined)
    assert.ok(isT05(send(a)))
    assert.equal(send(b), undefined)
  })
})
