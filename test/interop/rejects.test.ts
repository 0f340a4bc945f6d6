// Every ILP reject Junction originates, provoked for real: apps are ilp-plugin-btp clients of a running Junction,
// the upstream (where one is needed) is a real ilp-connector ILSP, and a misbehaving next hop is an app whose data
// handler answers wrongly or never. Each test asserts code, triggeredBy, message, and that no balance moved.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, test } from 'node:test'
import type { Connector } from '../../app/main/engine/connector'
import { startIlsp } from '../support/ilsp'
import {
  eventually,
  fulfillPacket,
  type IlpReply,
  knownFulfillment,
  makePrepare,
  newCondition,
  rejectPacket,
  sleep,
  type TestApp,
  localJunction,
  assertFulfilled,
  assertReject as assertRejectReply,
} from '../support/raw-btp'

const LOCAL = 'private.junction'



type Reject = Extract<IlpReply, { type: 'reject' }>

/** A reject with `code`, from `triggeredBy`, whose message matches `message`. */
function assertReject(reply: IlpReply, code: string, triggeredBy: string, message: RegExp): asserts reply is Reject {
  assertRejectReply(reply, code, message, triggeredBy)
}


/** Balance and both in-flight sums of an account, as one comparable value. */
function books(j: Connector, id: string): { balance: bigint; pendingIncoming: bigint; pendingOutgoing: bigint } {
  const a = j.accounts.get(id)
  assert.ok(a, `account ${id} exists`)
  return { balance: a.balance, pendingIncoming: a.pendingIncoming, pendingOutgoing: a.pendingOutgoing }
}

const ZERO = { balance: 0n, pendingIncoming: 0n, pendingOutgoing: 0n }
/** No provider reconnect within a test. */
const NO_RECONNECT = { initialMs: 60_000, maxMs: 60_000 }

describe('F02 unreachable', () => {
  test('no route: a destination outside Junction in local mode', async (t) => {
    const h = await localJunction(t)
    const alice = await h.app('alice')
    assertReject(await alice.pay('test.nowhere', 10), 'F02', LOCAL, /no route to test\.nowhere/)
    assert.deepEqual(books(h.j, 'alice'), ZERO)
    assert.equal(h.j.accounts.get('alice')!.stats.rejectsByCode.get('F02'), 1)
  })

  test('an unknown app under Junction: private.junction.nobody', async (t) => {
    const h = await localJunction(t)
    const alice = await h.app('alice')
    assertReject(await alice.pay(`${LOCAL}.nobody.sub`, 10), 'F02', LOCAL, /no app named "nobody"/)
    assert.equal(h.j.accounts.has('nobody'), false, 'no account is created for a destination')
    assert.deepEqual(books(h.j, 'alice'), ZERO)
  })

  test('peer.* is never forwarded, even with a connected app of that name', async (t) => {
    const h = await localJunction(t)
    const alice = await h.app('alice')
    const foo = await h.app('foo')
    assertReject(await alice.pay('peer.foo', 0), 'F02', LOCAL, /peer\.foo .*never forwarded/)
    assertReject(await alice.pay('peer.foo', 5), 'F02', LOCAL, /never forwarded/)
    assert.equal(foo.calls, 0)
    assert.deepEqual(books(h.j, 'alice'), ZERO)
  })
})

describe('F01 invalid packet', () => {
  test("a prepare to Junction's own address that is not an echo request", async (t) => {
    const h = await localJunction(t)
    const alice = await h.app('alice')
    assertReject(await alice.pay(LOCAL, 0, { data: Buffer.from('hello') }), 'F01', LOCAL, /too short for echo request/)
    assertReject(await alice.pay(LOCAL, 0, { data: Buffer.from('not an echo request at all') }), 'F01', LOCAL, /ECHO prefix/)
    assert.deepEqual(books(h.j, 'alice'), ZERO)
  })
})

describe('T01 peer unreachable', () => {
  test('a registered app that is not connected', async (t) => {
    const h = await localJunction(t, { apps: [{ name: 'bob', token: 'bob-secret' }] })
    const alice = await h.app('alice')
    assertReject(await alice.pay(h.addr('bob'), 10), 'T01', LOCAL, /app bob is not connected/)
    assert.deepEqual(books(h.j, 'alice'), ZERO)
    assert.deepEqual(books(h.j, 'bob'), ZERO)
  })

  test('an app that was connected and left', async (t) => {
    const h = await localJunction(t)
    const alice = await h.app('alice')
    const bob = await h.app('bob')
    assertFulfilled(await alice.pay(h.addr('bob'), 3))
    await bob.stop()
    await eventually(() => h.j.accounts.get('bob')!.link === undefined, 3000, 'bob to be detached')
    assertReject(await alice.pay(h.addr('bob'), 10), 'T01', LOCAL, /app bob is not connected/)
    assert.deepEqual(books(h.j, 'alice'), { ...ZERO, balance: 3n })
    assert.deepEqual(books(h.j, 'bob'), { ...ZERO, balance: -3n })
  })

  test('the provider is unreachable (a real ilp-connector ILSP that went away)', async (t) => {
    const ilsp = await startIlsp()
    let ilspStopped = false
    t.after(async () => {
      if (!ilspStopped) await ilsp.stop()
    })
    const h = await localJunction(t, { parent: ilsp.btpUrl('junction', 'junction-secret'), reconnect: NO_RECONNECT })
    await eventually(() => h.j.own.address !== undefined, 10_000, 'Junction to get its address from the ILSP')
    const own = h.j.own.address!
    assert.ok(own.startsWith(`${ilsp.childPrefix}.`), `address ${own} is under the ILSP's children`)
    const alice = await h.app('alice')
    // While the ILSP is up, the same destination is reached through it (its own F02, triggered by the ILSP).
    const before = await alice.pay('test.ilsp.nobody-here', 10)
    assert.equal(before.type, 'reject')
    assert.notEqual(before.type === 'reject' && before.triggeredBy, own)

    await ilsp.stop()
    ilspStopped = true
    await eventually(() => h.j.providerState?.state !== 'connected', 5000, 'the provider link to drop')
    assertReject(await alice.pay('test.ilsp.nobody-here', 10), 'T01', own, /provider.*not connected/)
    assert.deepEqual(books(h.j, 'alice'), ZERO)
    assert.deepEqual(books(h.j, 'parent'), ZERO)
  })

  test('the provider was never reachable: T01 (no address yet, so triggeredBy is empty)', async (t) => {
    const { freePort } = await import('../support/ilsp')
    const port = await freePort()
    const h = await localJunction(t, { parent: `btp+ws://junction:secret@127.0.0.1:${port}`, reconnect: NO_RECONNECT })
    const alice = await h.app('alice')
    assertReject(await alice.pay('test.somewhere', 10), 'T01', '', /provider.*not connected/)
    assert.deepEqual(books(h.j, 'alice'), ZERO)
  })
})

describe('limits', () => {
  test('F08 above maxPacketAmount, with receivedAmount and maximumAmount as data', async (t) => {
    const h = await localJunction(t, { childLimits: { maxPacketAmount: 100n } })
    const alice = await h.app('alice')
    const bob = await h.app('bob')
    assertFulfilled(await alice.pay(h.addr('bob'), 100))
    const reply = await alice.pay(h.addr('bob'), 101)
    assertReject(reply, 'F08', LOCAL, /101 exceeds the maximum of 100/)
    assert.equal(reply.data.length, 16)
    assert.equal(reply.data.readBigUInt64BE(0), 101n)
    assert.equal(reply.data.readBigUInt64BE(8), 100n)
    assert.equal(bob.calls, 1, 'the oversized packet never reached bob')
    assert.deepEqual(books(h.j, 'alice'), { ...ZERO, balance: 100n })
  })

  test('T04 over the sender’s maximumBalance ("exceeded maximum balance")', async (t) => {
    const h = await localJunction(t, { childLimits: { maximumBalance: 100n } })
    const alice = await h.app('alice')
    const bob = await h.app('bob')
    assertFulfilled(await alice.pay(h.addr('bob'), 60))
    assertReject(await alice.pay(h.addr('bob'), 50), 'T04', LOCAL, /exceeded maximum balance/)
    assert.equal(bob.calls, 1)
    assert.deepEqual(books(h.j, 'alice'), { ...ZERO, balance: 60n })
    assert.deepEqual(books(h.j, 'bob'), { ...ZERO, balance: -60n })
    // Exactly up to the maximum is allowed.
    assertFulfilled(await alice.pay(h.addr('bob'), 40))
    assert.equal(books(h.j, 'alice').balance, 100n)
  })

  test('T04 below the destination’s minimumBalance, checked before forwarding', async (t) => {
    const h = await localJunction(t, { childLimits: { minimumBalance: -50n } })
    const alice = await h.app('alice')
    const bob = await h.app('bob')
    assertFulfilled(await alice.pay(h.addr('bob'), 30))
    assert.equal(bob.calls, 1)
    assertReject(await alice.pay(h.addr('bob'), 30), 'T04', LOCAL, /bob.*below its minimum of -50/)
    assert.equal(bob.calls, 1, "bob's data handler was not called for the refused packet")
    assert.deepEqual(books(h.j, 'bob'), { ...ZERO, balance: -30n })
    assert.deepEqual(books(h.j, 'alice'), { ...ZERO, balance: 30n })
  })

  test('T04 over throughputPerSecond, and the bucket refills', async (t) => {
    const h = await localJunction(t, { childLimits: { throughputPerSecond: 100n } })
    const alice = await h.app('alice')
    const bob = await h.app('bob')
    assertFulfilled(await alice.pay(h.addr('bob'), 80))
    assertReject(await alice.pay(h.addr('bob'), 80), 'T04', LOCAL, /exceeded money bandwidth/)
    assert.equal(bob.calls, 1)
    assert.equal(books(h.j, 'alice').balance, 80n)
    await sleep(900)
    assertFulfilled(await alice.pay(h.addr('bob'), 80))
    assert.equal(books(h.j, 'alice').balance, 160n)
  })

  test('T05 rate limit: capacity 2, refill 1/s, 5 packets at once', async (t) => {
    const h = await localJunction(t, { childLimits: { rateLimit: { capacity: 2, refillPerSecond: 1 } } })
    const alice = await h.app('alice')
    const bob = await h.app('bob')
    const replies = await Promise.all([1, 2, 3, 4, 5].map(() => alice.pay(h.addr('bob'), 1)))
    const fulfilled = replies.filter((r) => r.type === 'fulfill')
    const limited = replies.filter((r) => r.type === 'reject')
    assert.equal(fulfilled.length, 2)
    assert.equal(limited.length, 3)
    for (const r of limited) assertReject(r, 'T05', LOCAL, /too many requests/)
    assert.equal(bob.calls, 2)
    assert.equal(books(h.j, 'alice').balance, 2n)
    assert.equal(h.j.accounts.get('alice')!.stats.rejectsByCode.get('T05'), 3)
  })

  test('zero-amount packets pass every amount limit', async (t) => {
    const h = await localJunction(t, {
      childLimits: { maxPacketAmount: 0n, maximumBalance: 0n, minimumBalance: 0n, throughputPerSecond: 1n },
    })
    const alice = await h.app('alice')
    const bob = await h.app('bob')
    for (let i = 0; i < 3; i++) assertFulfilled(await alice.pay(h.addr('bob'), 0))
    assert.equal(bob.calls, 3)
    // The same limits refuse a single unit.
    assertReject(await alice.pay(h.addr('bob'), 1), 'F08', LOCAL, /exceeds the maximum of 0/)
    assert.equal(bob.calls, 3)
    assert.deepEqual(books(h.j, 'alice'), ZERO)
    assert.deepEqual(books(h.j, 'bob'), ZERO)
  })
})

describe('R02 insufficient timeout', () => {
  test('a prepare that expires too soon to forward (now + 1500 ms, 1000 ms window)', async (t) => {
    const h = await localJunction(t)
    const alice = await h.app('alice')
    const bob = await h.app('bob')
    const reply = await alice.pay(h.addr('bob'), 10, { expiresAt: new Date(Date.now() + 1500) })
    assertReject(reply, 'R02', LOCAL, /expires too soon/)
    assert.equal(bob.calls, 0)
    assert.deepEqual(books(h.j, 'alice'), ZERO)
    // Enough time (window × 2 plus margin) is forwarded.
    assertFulfilled(await alice.pay(h.addr('bob'), 10, { expiresAt: new Date(Date.now() + 3000) }))
  })

  test('a prepare that has already expired', async (t) => {
    const h = await localJunction(t)
    const alice = await h.app('alice')
    const bob = await h.app('bob')
    const reply = await alice.pay(h.addr('bob'), 10, { expiresAt: new Date(Date.now() - 1000) })
    assertReject(reply, 'R02', LOCAL, /already expired/)
    assert.equal(bob.calls, 0)
    assert.deepEqual(books(h.j, 'alice'), ZERO)
  })
})

describe('R00 transfer timed out', () => {
  test('the next hop never answers: Junction rejects at the outgoing expiry', async (t) => {
    const h = await localJunction(t, { maxHoldTimeMs: 1500 })
    const alice = await h.app('alice')
    const bob = await h.app('bob', { handler: () => new Promise<Buffer>(() => {}) })
    const started = Date.now()
    const reply = await alice.pay(h.addr('bob'), 10)
    const elapsed = Date.now() - started
    assertReject(reply, 'R00', LOCAL, /bob did not answer in time/)
    assert.ok(elapsed >= 1400 && elapsed < 5000, `rejected after ${elapsed} ms, expected about 1500`)
    assert.equal(bob.calls, 1)
    assert.deepEqual(books(h.j, 'alice'), ZERO)
    assert.deepEqual(books(h.j, 'bob'), ZERO)
  })

  test('a fulfill that arrives after the outgoing expiry moves no balance', async (t) => {
    const h = await localJunction(t, { maxHoldTimeMs: 1500 })
    const alice = await h.app('alice')
    let answered = false
    await h.app('bob', {
      handler: async (prepare) => {
        await sleep(2200)
        answered = true
        return fulfillPacket(knownFulfillment(prepare.executionCondition)!)
      },
    })
    assertReject(await alice.pay(h.addr('bob'), 10), 'R00', LOCAL, /did not answer in time/)
    await eventually(() => answered, 3000, 'bob to fulfill late')
    await sleep(100)
    assert.deepEqual(books(h.j, 'alice'), ZERO)
    assert.deepEqual(books(h.j, 'bob'), ZERO)
  })
})

describe('a next hop that misbehaves', () => {
  test("its own reject is passed back unchanged, and no balance moves", async (t) => {
    const h = await localJunction(t)
    const alice = await h.app('alice')
    await h.app('bob', { handler: () => rejectPacket('F99', `${LOCAL}.bob`, 'bob says no') })
    assertReject(await alice.pay(h.addr('bob'), 10), 'F99', `${LOCAL}.bob`, /^bob says no$/)
    assert.deepEqual(books(h.j, 'alice'), ZERO)
    assert.deepEqual(books(h.j, 'bob'), ZERO)
  })

  test('an answer that is not an ILP Fulfill or Reject → T00 from Junction', async (t) => {
    const h = await localJunction(t)
    const alice = await h.app('alice')
    const bob = await h.app('bob', { handler: (_p, raw) => (bob.calls === 1 ? Buffer.from('not a packet') : raw) })
    assertReject(await alice.pay(h.addr('bob'), 10), 'T00', LOCAL, /bob sent an invalid reply/)
    // Answering a prepare with a prepare is no better.
    assertReject(await alice.pay(h.addr('bob'), 10), 'T00', LOCAL, /bob sent an invalid reply/)
    assert.deepEqual(books(h.j, 'alice'), ZERO)
    assert.deepEqual(books(h.j, 'bob'), ZERO)
  })

  test('its data handler throws (ilp-plugin-btp answers with a BTP Error) → a reject naming it', async (t) => {
    const h = await localJunction(t)
    const alice = await h.app('alice')
    await h.app('bob', {
      handler: () => {
        throw new Error('bob crashed')
      },
    })
    assertReject(await alice.pay(h.addr('bob'), 10), 'T00', LOCAL, /app bob failed to handle the packet: .*bob crashed/)
    assert.deepEqual(books(h.j, 'alice'), ZERO)
    assert.deepEqual(books(h.j, 'bob'), ZERO)
  })

  test('it disconnects while holding the packet → T01 at once, not at expiry', async (t) => {
    const h = await localJunction(t)
    const alice = await h.app('alice')
    const bob: TestApp = await h.app('bob', {
      handler: () => {
        setTimeout(() => void bob.stop(), 50)
        return new Promise<Buffer>(() => {})
      },
    })
    const started = Date.now()
    assertReject(await alice.pay(h.addr('bob'), 10), 'T01', LOCAL, /bob did not answer: link closed/)
    assert.ok(Date.now() - started < 5000)
    assert.deepEqual(books(h.j, 'alice'), ZERO)
    assert.deepEqual(books(h.j, 'bob'), ZERO)
  })
})

describe('F05 wrong condition', () => {
  test('a downstream app fulfills with a wrong fulfillment: the sender gets F05 and no balance moves', async (t) => {
    const h = await localJunction(t)
    const alice = await h.app('alice')
    const bob = await h.app('bob', { handler: () => fulfillPacket(randomBytes(32)) })
    assertReject(await alice.pay(h.addr('bob'), 25), 'F05', LOCAL, /fulfillment from bob does not match the condition/)
    assert.equal(bob.calls, 1)
    assert.deepEqual(books(h.j, 'alice'), ZERO)
    assert.deepEqual(books(h.j, 'bob'), ZERO)
  })
})

describe('forwarding', () => {
  test('duplicate suppression: the same prepare twice at once reaches the receiver once; both get the fulfill', async (t) => {
    const h = await localJunction(t)
    const alice = await h.app('alice')
    const bob = await h.app('bob', {
      handler: async (prepare) => {
        await sleep(200)
        return fulfillPacket(knownFulfillment(prepare.executionCondition)!)
      },
    })
    const { condition, fulfillment } = newCondition()
    const prepare = makePrepare({ destination: h.addr('bob'), amount: 7, condition })
    const [a, b] = await Promise.all([alice.send(prepare), alice.send(prepare)])
    assertFulfilled(a)
    assertFulfilled(b)
    assert.deepEqual(a.raw, b.raw)
    assert.ok(a.type === 'fulfill' && a.fulfillment.equals(fulfillment))
    assert.equal(bob.calls, 1, 'the receiver saw the packet once')
    // A copy after the first completed is answered from the cache.
    assertFulfilled(await alice.send(prepare))
    assert.equal(bob.calls, 1)
    assert.deepEqual(books(h.j, 'alice'), { ...ZERO, balance: 7n })
    assert.deepEqual(books(h.j, 'bob'), { ...ZERO, balance: -7n })
  })

  test('prepares that differ only in their data are not duplicates: both reach the receiver', async (t) => {
    const h = await localJunction(t)
    const alice = await h.app('alice')
    const seen: string[] = []
    await h.app('bob', {
      handler: async (prepare) => {
        seen.push(prepare.data.toString())
        await sleep(100)
        return fulfillPacket(knownFulfillment(prepare.executionCondition)!, prepare.data)
      },
    })
    const { condition } = newCondition()
    const expiresAt = new Date(Date.now() + 30_000)
    const spec = { destination: h.addr('bob'), amount: 0, condition, expiresAt }
    const [a, b] = await Promise.all([
      alice.send(makePrepare({ ...spec, data: Buffer.from('first message') })),
      alice.send(makePrepare({ ...spec, data: Buffer.from('second message') })),
    ])
    assert.deepEqual(seen.sort(), ['first message', 'second message'])
    assert.ok(a.type === 'fulfill' && a.data.toString() === 'first message')
    assert.ok(b.type === 'fulfill' && b.data.toString() === 'second message')
  })

  test('spread 0.5: 11 arrives as 5 (rounded down)', async (t) => {
    const h = await localJunction(t, { spread: '0.5' })
    const alice = await h.app('alice')
    const amounts: bigint[] = []
    await h.app('bob', {
      handler: (prepare) => {
        amounts.push(BigInt(prepare.amount))
        return fulfillPacket(knownFulfillment(prepare.executionCondition)!)
      },
    })
    assertFulfilled(await alice.pay(h.addr('bob'), 11))
    assert.deepEqual(amounts, [5n])
    assert.deepEqual(books(h.j, 'alice'), { ...ZERO, balance: 11n })
    assert.deepEqual(books(h.j, 'bob'), { ...ZERO, balance: -5n })
  })
})
