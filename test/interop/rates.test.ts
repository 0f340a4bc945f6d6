// Rates between assets against real ILP software: Junction (local mode, XRP scale 9) with a peer in another asset,
// played by a real ilp-connector 23 whose account for Junction (ilp-plugin-btp server) and whose mini-accounts
// children are in USD scale 6 (its one-to-one backend then passes amounts on unchanged). Packets from a Junction
// app to a fulfiller behind the peer arrive as floor(amount × fraction) — the rate table's exact fraction, which the
// quote reports and predicts — and back the other way at the inverse. A pair missing from the table is refused
// with F02 naming both assets; setRates adds it and the next packet goes through.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { createEngineApi } from '../../app/main/engine/api'
import { ApiError, type RatesView } from '../../app/shared/api-types'
import { connectPlugin, startFulfiller } from '../support/ilsp'
import { appUrl, cleanup, disconnectAll, randomToken, sendPrepare, startJunction, waitUntil } from '../support/junction'
import { btpListener, freePort, miniAccountsChild, startRealConnector } from '../support/real-connector'

const USD = { code: 'USD', scale: 6 }

/** ilp-connector `test.lab` in USD: a peer account `junction` (BTP server) and mini-accounts children. */
async function startLab() {
  const [peerPort, childPort] = [await freePort(), await freePort()]
  const secret = randomToken()
  const lab = await startRealConnector({
    address: 'test.lab',
    adminApi: false,
    extra: { initialConnectTimeout: 5000 },
    accounts: {
      junction: { ...btpListener(peerPort, secret, { asset: USD, responseTimeout: 3000 }), sendRoutes: true, receiveRoutes: true },
      children: miniAccountsChild(childPort, USD),
    },
  })
  return { ...lab, childPort, url: `btp+ws://junction:${secret}@127.0.0.1:${peerPort}` }
}

describe('rates between assets with a real ilp-connector peer in another asset', { timeout: 120_000 }, () => {
  test('a missing pair is refused F02; once added, what arrives is floor(amount × fraction) and what the quote said', { timeout: 60_000 }, async (t) => {
    const defer = cleanup(t)
    const lab = await startLab()
    defer(() => lab.stop())
    // A table without XRP/USD: the peer's asset has no rate yet.
    const j = await startJunction({
      address: 'test.junction',
      spread: '0.001',
      rates: [{ from: 'EUR', to: 'USD', rate: '1.08' }],
      peers: [{ id: 'lab', url: lab.url, relation: 'peer', assetCode: USD.code, assetScale: USD.scale }],
    })
    defer(() => j.stop())
    await lab.listening
    await waitUntil(() => j.routes.get('test.lab')?.source === 'peer', 10_000, 'the peer’s route test.lab in Junction’s table')
    const api = createEngineApi(j)

    const fulfiller = await startFulfiller(`btp+ws://f:${randomToken()}@127.0.0.1:${lab.childPort}`)
    defer(() => fulfiller.stop())
    const app = await connectPlugin(appUrl(j, 'payer', randomToken()))
    defer(() => disconnectAll(app))

    const refused = await sendPrepare(app, { destination: fulfiller.address, amount: 1_000_000_000, executionCondition: fulfiller.condition })
    assert.equal(refused.type, 'reject')
    assert.equal(refused.type === 'reject' && refused.code, 'F02')
    assert.match(refused.type === 'reject' ? refused.message : '', /no exchange rate between XRP and USD: add a rate for XRP\/USD .*Settings page/)
    assert.equal(fulfiller.received.count, 0)
    await assert.rejects(api.quote({ destination: fulfiller.address, app: 'payer' }), (err: unknown) => {
      assert.ok(err instanceof ApiError)
      assert.match(err.message, /^F02 no exchange rate between XRP and USD/)
      return true
    })

    const events: RatesView[] = []
    j.on('ratesChanged', (v) => events.push(v))
    await api.setRates({ pairs: [{ from: 'EUR', to: 'USD', rate: '1.08' }, { from: 'XRP', to: 'USD', rate: '0.5237' }] })
    assert.equal(events.length, 1)

    // 1 XRP = 0.5237 USD, 0.1 % kept: XRP base units (10^-9) → USD base units (10^-6) at 0.5237 × 0.999 / 1000.
    const num = 5237n * 999n
    const den = 10_000n * 1000n * 1000n
    const q0 = await api.quote({ destination: fulfiller.address, app: 'payer' })
    assert.deepEqual(q0.sourceAsset, { code: 'XRP', scale: 9 })
    assert.deepEqual(q0.destinationAsset, USD)
    assert.equal(BigInt(q0.rate.numerator) * den, num * BigInt(q0.rate.denominator), `quoted rate ${q0.rate.numerator}/${q0.rate.denominator}`)

    let total = 0n
    // 1911 XRP base units are worth 0.9998 USD base units, 1912 are worth 1.0003: the rounding step.
    for (const amount of [1n, 1911n, 1912n, 123_456_789n, 1_000_000_000n, 987_654_321_987n]) {
      const q = await api.quote({ destination: fulfiller.address, sourceAmount: amount.toString(), app: 'payer' })
      const expected = (amount * num) / den
      assert.equal(q.destinationAmount, expected.toString(), `quote for ${amount}`)
      const before = fulfiller.received.amount
      const answer = await sendPrepare(app, { destination: fulfiller.address, amount, executionCondition: fulfiller.condition })
      // Below one USD base unit Junction forwards 0 (rounded down, never up); ilp-connector passes it on too.
      assert.equal(answer.type, 'fulfill', answer.type === 'reject' ? `${amount}: ${answer.code} ${answer.message}` : '')
      assert.equal(fulfiller.received.amount - before, expected, `${amount} XRP base units sent`)
      total += expected
    }
    assert.equal((1911n * num) / den, 0n)
    assert.equal((1912n * num) / den, 1n)
    assert.equal(j.accounts.get('peer:lab')!.balance, -total, 'Junction owes the peer what it forwarded, in USD')

    // The other way: a child of the peer pays an app of Junction, USD → XRP at the inverse, 1 / 0.5237, less 0.1 %.
    const shop = await startFulfiller(appUrl(j, 'shop', randomToken()))
    defer(() => shop.stop())
    const sender = await connectPlugin(`btp+ws://s:${randomToken()}@127.0.0.1:${lab.childPort}`)
    defer(() => disconnectAll(sender))
    const back = await sendPrepare(sender, { destination: shop.address, amount: 250_000, executionCondition: shop.condition })
    assert.equal(back.type, 'fulfill', back.type === 'reject' ? `${back.code} ${back.message}` : '')
    assert.equal(shop.received.amount, (250_000n * 10_000n * 999n * 1000n) / (5237n * 1000n))
  })
})
