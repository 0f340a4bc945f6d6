import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { rejectReply, fulfillReply } from '../../../../app/main/engine/ilp/packets'
import { transferTimedOut } from '../../../../app/main/engine/ilp/ilp-failure'
import { createDeduplicateMiddleware } from '../../../../app/main/engine/pipeline/deduplicate'
import { DEFERRED, type Middleware } from '../../../../app/main/engine/pipeline/packet-context'
import type { Prepare } from '../../../../app/main/engine/ilp/packets'
import { account, context, OWN_ADDRESS, tick } from '../../factories'

const EXPIRES = Date.UTC(2030, 0, 1)
const fields: Partial<Prepare> = { amount: 500n, expiresAt: EXPIRES, destination: 'g.bob', executionCondition: Buffer.alloc(32, 9) }

function dedupe(opts = { maxEntries: 100, maxAgeMs: 30_000 }) {
  let t = 1_000_000
  const m = createDeduplicateMiddleware(opts, () => t) as Middleware & { readonly size: number }
  return { m, advance: (ms: number) => void (t += ms) }
}

const fulfill = fulfillReply(Buffer.alloc(32, 1), Buffer.from('paid'))
const timeout = rejectReply(transferTimedOut('late'), OWN_ADDRESS)

describe('deduplicate middleware', () => {
  it('lets the first copy of a packet through', () => {
    const { m } = dedupe()
    assert.equal(m.incoming!(context(account('alice'), fields)), undefined)
  })

  it('holds a copy that arrives while the first is in flight, and settles it with the same reply', async () => {
    const { m } = dedupe()
    const alice = account('alice')
    const first = context(alice, fields)
    const copy = context(alice, fields)
    assert.equal(m.incoming!(first), undefined)
    assert.equal(m.incoming!(copy), DEFERRED)
    assert.equal(m.reply!(first, fulfill), fulfill)
    await tick()
    assert.deepEqual(copy.settled, [fulfill])
    assert.deepEqual(first.settled, [])
  })

  it('settles every waiting copy', async () => {
    const { m } = dedupe()
    const alice = account('alice')
    const first = context(alice, fields)
    m.incoming!(first)
    const copies = [context(alice, fields), context(alice, fields), context(alice, fields)]
    for (const c of copies) assert.equal(m.incoming!(c), DEFERRED)
    m.reply!(first, timeout)
    await tick()
    for (const c of copies) assert.deepEqual(c.settled, [timeout])
  })

  it('answers a copy that arrives after the reply from the cache', () => {
    const { m, advance } = dedupe()
    const alice = account('alice')
    const first = context(alice, fields)
    m.incoming!(first)
    m.reply!(first, fulfill)
    advance(10_000)
    assert.equal(m.incoming!(context(alice, fields)), fulfill)
  })

  it('treats packets that differ in sender, amount, expiry, destination, condition or data as different', () => {
    const { m } = dedupe()
    const alice = account('alice')
    m.incoming!(context(alice, fields))
    const variants: Array<[ReturnType<typeof account>, Partial<Prepare>]> = [
      [account('bob'), fields],
      [alice, { ...fields, amount: 501n }],
      [alice, { ...fields, expiresAt: EXPIRES + 1 }],
      [alice, { ...fields, destination: 'g.bob.x' }],
      [alice, { ...fields, executionCondition: Buffer.alloc(32, 8) }],
      [alice, { ...fields, data: Buffer.from('another payload') }],
    ]
    for (const [from, p] of variants) assert.equal(m.incoming!(context(from, p)), undefined, JSON.stringify({ from: from.id, ...p }, (_, v) => (typeof v === 'bigint' ? `${v}` : v)))
  })

  it('forgets packets older than maxAgeMs', () => {
    const { m, advance } = dedupe({ maxEntries: 100, maxAgeMs: 1000 })
    const alice = account('alice')
    const first = context(alice, fields)
    m.incoming!(first)
    m.reply!(first, fulfill)
    advance(1000)
    assert.equal(m.incoming!(context(alice, fields)), fulfill)
    advance(1)
    // Now it is a new packet: forwarded again, not answered from the cache.
    assert.equal(m.incoming!(context(alice, fields)), undefined)
  })

  it('is bounded: over maxEntries the oldest entries go, and new packets are never rejected', () => {
    const { m, advance } = dedupe({ maxEntries: 3, maxAgeMs: 60_000 })
    const alice = account('alice')
    const packets = Array.from({ length: 10 }, (_, i) => context(alice, { ...fields, amount: BigInt(i + 1) }))
    for (const ctx of packets) {
      assert.equal(m.incoming!(ctx), undefined)
      m.reply!(ctx, fulfill)
      assert.ok(m.size <= 3, `size ${m.size}`)
      advance(1)
    }
    // The newest are still answered from the cache; the oldest were dropped and would be forwarded again.
    assert.equal(m.incoming!(context(alice, { ...fields, amount: 10n })), fulfill)
    assert.equal(m.incoming!(context(alice, { ...fields, amount: 1n })), undefined)
  })

  it('still answers waiting copies after their entry was evicted', async () => {
    const { m } = dedupe({ maxEntries: 2, maxAgeMs: 60_000 })
    const alice = account('alice')
    const first = context(alice, fields)
    const copy = context(alice, fields)
    m.incoming!(first)
    assert.equal(m.incoming!(copy), DEFERRED)
    for (let i = 0; i < 5; i++) m.incoming!(context(alice, { ...fields, amount: BigInt(1000 + i) }))
    m.reply!(first, fulfill)
    await tick()
    assert.deepEqual(copy.settled, [fulfill])
  })

  it('passes replies of packets it did not track through unchanged', () => {
    const { m } = dedupe()
    const ctx = context(account('alice'), fields)
    assert.equal(m.reply!(ctx, fulfill), fulfill)
  })
})
