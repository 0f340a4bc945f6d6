// Quotes against real forwarding: quote through the engine API, then send real packets through Junction
// (ilp-plugin-btp apps in local mode; a real ilp-connector ILSP with a fulfiller behind it) and compare what
// arrived with what the quote said, amount by amount: the spread's rounding, the max packet amount, and the
// rejects (F02, T01, F08) a quote reports in place of an amount.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { ApiError, type QuoteView } from '../../app/shared/api-types'
import { createEngineApi } from '../../app/main/engine/api'
import { curveFromBase64 } from '../../app/main/engine/quotes/liquidity-curve'
import { connectPlugin, type Ilsp, startFulfiller, startIlsp } from '../support/ilsp'
import { eventually, localJunction, makePrepare, readIlpReply } from '../support/raw-btp'

const SPREAD = '0.005'
const MAX_PACKET = 1000n

async function quoteError(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p
  } catch (err) {
    assert.ok(err instanceof ApiError, `expected an ApiError, got ${String(err)}`)
    return err
  }
  assert.fail('the quote should have failed')
}

function checkCurveForm(q: QuoteView): void {
  // The base64 form decodes to the very points the quote lists.
  assert.deepEqual(
    curveFromBase64(q.curve.base64).points.map(([x, y]) => [x.toString(), y.toString()]),
    q.curve.points,
  )
}

describe('quotes match what Junction forwards (local mode, two real apps)', { timeout: 60_000 }, () => {
  test('by source amount: each quoted destination amount is exactly what the receiving app got', async (t) => {
    const h = await localJunction(t, { spread: SPREAD, childLimits: { maxPacketAmount: MAX_PACKET } })
    const api = createEngineApi(h.j)
    const alice = await h.app('alice')
    const bob = await h.app('bob')
    const to = h.addr('bob')

    const first = await api.quote({ destination: to, app: 'alice' })
    assert.deepEqual(first.route, { prefix: to, nextHop: 'bob', relation: 'child', source: 'child' })
    assert.equal(first.beyondJunction, false)
    assert.deepEqual(first.rate, { numerator: '199', denominator: '200', decimal: '0.995' })
    assert.equal(first.maxPacketAmount, MAX_PACKET.toString())
    assert.equal(first.limitedBy, 'max-packet-amount')
    assert.deepEqual(first.curve.points.at(-1), ['1000', '995'])
    checkCurveForm(first)

    // Amounts around the spread's rounding steps (every 200 units it loses exactly one) and the max packet amount.
    for (const amount of [1n, 2n, 199n, 200n, 201n, 333n, 399n, 400n, 401n, 999n, 1000n]) {
      const q = await api.quote({ destination: to, sourceAmount: amount.toString(), app: 'alice' })
      assert.equal(q.failure, null)
      const before = bob.received
      const reply = await alice.pay(to, amount)
      assert.equal(reply.type, 'fulfill', `payment of ${amount}`)
      assert.equal((bob.received - before).toString(), q.destinationAmount, `${amount} sent: the quote said ${q.destinationAmount}`)
    }

    // One unit over the max packet amount: the quote says F08, and so does forwarding.
    const over = await api.quote({ destination: to, sourceAmount: (MAX_PACKET + 1n).toString(), app: 'alice' })
    assert.equal(over.destinationAmount, null)
    assert.equal(over.failure?.code, 'F08')
    assert.match(over.failure!.message, /cannot deliver: 1001 is more than 1000/)
    const reply = await alice.pay(to, MAX_PACKET + 1n)
    assert.equal(reply.type === 'reject' && reply.code, 'F08')
  })

  test('by destination amount: the quoted source amount delivers at least it, one unit less does not', async (t) => {
    const h = await localJunction(t, { spread: SPREAD, childLimits: { maxPacketAmount: MAX_PACKET } })
    const api = createEngineApi(h.j)
    const alice = await h.app('alice')
    const bob = await h.app('bob')
    const to = h.addr('bob')
    for (const wanted of [1n, 199n, 200n, 398n, 500n, 995n]) {
      const q = await api.quote({ destination: to, destinationAmount: wanted.toString(), app: 'alice' })
      const source = BigInt(q.sourceAmount!)
      let before = bob.received
      assert.equal((await alice.pay(to, source)).type, 'fulfill')
      assert.ok(bob.received - before >= wanted, `${source} sent for ${wanted}: ${bob.received - before} arrived`)
      before = bob.received
      assert.equal((await alice.pay(to, source - 1n)).type, 'fulfill')
      assert.ok(bob.received - before < wanted, `${source - 1n} (one less) already delivered ${bob.received - before} ≥ ${wanted}`)
    }
    // More than one packet can ever deliver.
    const tooMuch = await api.quote({ destination: to, destinationAmount: '996', app: 'alice' })
    assert.equal(tooMuch.sourceAmount, null)
    assert.equal(tooMuch.failure?.code, 'F08')
    assert.match(tooMuch.failure!.message, /at most 995 arrives for 1000 sent/)
  })

  test('an app with its own max packet amount, and the default app limits without an app', async (t) => {
    const h = await localJunction(t, { childLimits: { maxPacketAmount: MAX_PACKET } })
    const api = createEngineApi(h.j)
    const alice = await h.app('alice')
    await h.app('bob')
    await api.setAppLimits({ id: 'alice', maxPacketAmount: '250' })
    const q = await api.quote({ destination: h.addr('bob'), sourceAmount: '251', app: 'alice' })
    assert.equal(q.maxPacketAmount, '250')
    assert.equal(q.failure?.code, 'F08')
    const reply = await alice.pay(h.addr('bob'), 251n)
    assert.equal(reply.type === 'reject' && reply.code, 'F08')
    // Without an app: Junction's default app limits, no spread → one to one.
    const d = await api.quote({ destination: h.addr('bob'), sourceAmount: '1000' })
    assert.equal(d.destinationAmount, '1000')
    assert.deepEqual(d.curve.points, [
      ['0', '0'],
      ['1000', '1000'],
    ])
  })

  test('no route (F02), an unknown app (F02), an app not connected (T01): the same codes packets get', async (t) => {
    const h = await localJunction(t, { apps: [{ name: 'carol', token: 'carol-token' }] })
    const api = createEngineApi(h.j)
    const alice = await h.app('alice')

    const cases = [
      { destination: 'g.nowhere.shop', code: 'F02', kind: 'not-found' },
      { destination: h.addr('nobody'), code: 'F02', kind: 'not-found' },
      { destination: h.addr('carol'), code: 'T01', kind: 'unavailable' },
    ]
    for (const c of cases) {
      const err = await quoteError(api.quote({ destination: c.destination, sourceAmount: '10' }))
      assert.equal(err.code, c.kind)
      assert.ok(err.message.startsWith(c.code), `${c.destination}: ${err.message}`)
      const reply = readIlpReply(await alice.plugin.sendData(makePrepare({ destination: c.destination, amount: 10 })))
      assert.equal(reply.type === 'reject' && reply.code, c.code, `a packet to ${c.destination}`)
    }
    const peer = await quoteError(api.quote({ destination: 'peer.config' }))
    assert.match(peer.message, /^F02 .*never forwarded/)
  })

  test('bad input is refused with the field named', async (t) => {
    const h = await localJunction(t)
    const api = createEngineApi(h.j)
    const bad = [
      [{ destination: 'not an address' }, 'destination'],
      [{ destination: 'g.x', sourceAmount: '1', destinationAmount: '1' }, 'destinationAmount'],
      [{ destination: 'g.x', sourceAmount: '-1' }, 'sourceAmount'],
      [{ destination: 'g.x', app: 'a b' }, 'app'],
    ] as const
    for (const [input, field] of bad) {
      const err = await quoteError(api.quote(input as never))
      assert.equal(err.code, 'invalid-input')
      assert.equal(err.issues[0].path, field, JSON.stringify(input))
    }
  })
})

describe('quotes through a real ILSP (ilp-connector, mini-accounts)', { timeout: 60_000 }, () => {
  let ilsp: Ilsp
  before(async () => {
    ilsp = await startIlsp()
  })
  after(async () => {
    await ilsp?.stop()
  })

  test('a destination beyond the provider: the quote is what the fulfiller behind the ILSP receives', async (t) => {
    const user = `quote${Date.now() % 100000}`
    const h = await localJunction(t, { parent: ilsp.btpUrl(user, 'secret-' + user), spread: '0.01', childLimits: { maxPacketAmount: 50_000n } })
    await eventually(() => h.j.own.address !== undefined, 10_000, 'the address from the ILSP')
    const api = createEngineApi(h.j)
    const fulfiller = await startFulfiller(ilsp.btpUrl(`shop${Date.now() % 100000}`, 'shop-secret'))
    t.after(() => fulfiller.stop())
    const alice = await connectPlugin(h.url('alice'))
    t.after(() => alice.disconnect())

    const first = await api.quote({ destination: fulfiller.address, app: 'alice' })
    assert.equal(first.route.prefix, '')
    assert.equal(first.route.relation, 'parent')
    assert.equal(first.beyondJunction, true)
    assert.equal(first.destinationAsset.code, 'XRP')
    assert.equal(first.destinationAsset.scale, 9)
    for (const amount of [1n, 99n, 100n, 101n, 12_345n, 49_999n, 50_000n]) {
      const q = await api.quote({ destination: fulfiller.address, sourceAmount: amount.toString(), app: 'alice' })
      const before = fulfiller.received.amount
      const reply = readIlpReply(
        await alice.sendData(makePrepare({ destination: fulfiller.address, amount, condition: fulfiller.condition })),
      )
      assert.equal(reply.type, 'fulfill', `payment of ${amount}`)
      assert.equal((fulfiller.received.amount - before).toString(), q.destinationAmount, `${amount} sent`)
    }
    const over = await api.quote({ destination: fulfiller.address, sourceAmount: '50001', app: 'alice' })
    assert.equal(over.failure?.code, 'F08')
  })
})
