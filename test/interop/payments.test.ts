// Payments through Junction with real ILP software on both ends: STREAM (ilp-protocol-stream) senders and receivers
// on ilp-plugin-btp, and a real ILSP (ilp-connector 23 + ilp-plugin-mini-accounts) as Junction's provider.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Connector } from '../../app/main/engine/connector'
import {
  connectPlugin,
  type Ilsp,
  startFulfiller,
  startIlsp,
  startStreamReceiver,
  streamPay,
} from '../support/ilsp'
import { appUrl, cleanup, disconnectAll, randomToken, sendPrepare, startJunction, waitForAddress } from '../support/junction'

const TEST_TIMEOUT = 60_000

function account(j: Connector, id: string) {
  const a = j.accounts.get(id)
  assert.ok(a, `Junction has no account ${id}`)
  return a
}

/**
 * A STREAM payment from app `alice` to the receiver app `bob` inside Junction; afterwards the receiver has `total`
 * in all, and alice's and bob's accounts show exactly that much spent and earned.
 */
async function payAppToApp(
  j: Connector,
  from: Parameters<typeof streamPay>[0],
  receiver: Awaited<ReturnType<typeof startStreamReceiver>>,
  amount: bigint,
  total = amount,
): Promise<void> {
  const sent = await streamPay(from, receiver.credentials(), amount)
  await receiver.waitForTotal(total, 5000)
  assert.equal(sent, amount)
  assert.equal(receiver.total, total)
  assert.equal(account(j, 'alice').balance, total)
  assert.equal(account(j, 'bob').balance, -total)
}

describe('payments through Junction and a real ILSP', { timeout: 120_000 }, () => {
  let ilsp: Ilsp

  before(async () => {
    ilsp = await startIlsp()
  })
  after(async () => {
    await ilsp?.stop()
  })

  test('a STREAM payment from an app reaches a STREAM receiver on the ILSP exactly', { timeout: TEST_TIMEOUT }, async (t) => {
    const defer = cleanup(t)
    const user = 'pay' + randomToken().slice(0, 8)
    const j = await startJunction({ parent: ilsp.btpUrl(user, randomToken()) })
    defer(() => j.stop())
    const address = await waitForAddress(j)
    assert.equal(address, `${ilsp.childPrefix}.${user}`)

    const receiver = await startStreamReceiver(ilsp.btpUrl('recv' + randomToken().slice(0, 8), randomToken()))
    const alice = await connectPlugin(appUrl(j, 'alice', randomToken()))
    defer(() => receiver.stop())
    defer(() => disconnectAll(alice))
    assert.ok(receiver.address.startsWith(ilsp.childPrefix + '.'), `receiver address ${receiver.address}`)

    const amount = 1_000_000n
    const sent = await streamPay(alice, receiver.credentials(), amount)
    await receiver.waitForTotal(amount, 5000)

    assert.equal(sent, amount, 'the STREAM sender counted the whole amount as sent')
    assert.equal(receiver.total, amount, 'the receiver got exactly the amount sent (no spread configured)')
    const a = account(j, 'alice')
    const parent = account(j, 'parent')
    assert.equal(a.balance, amount, 'the app owes Junction what it sent')
    assert.equal(parent.balance, -amount, 'Junction owes the provider what it forwarded')
    assert.equal(a.pendingIncoming, 0n)
    assert.equal(parent.pendingOutgoing, 0n)
    assert.equal(parent.stats.amountOut, amount)
  })

  test('app → app inside Junction with a provider: exact amount, nothing goes to the provider', { timeout: TEST_TIMEOUT }, async (t) => {
    const defer = cleanup(t)
    const user = 'inner' + randomToken().slice(0, 8)
    const j = await startJunction({ parent: ilsp.btpUrl(user, randomToken()) })
    defer(() => j.stop())
    const address = await waitForAddress(j)

    const receiver = await startStreamReceiver(appUrl(j, 'bob', randomToken()))
    const alice = await connectPlugin(appUrl(j, 'alice', randomToken()))
    defer(() => receiver.stop())
    defer(() => disconnectAll(alice))
    assert.equal(receiver.address, `${address}.bob`)

    const amount = 777_777n
    await payAppToApp(j, alice, receiver, amount)
    const parent = account(j, 'parent')
    assert.equal(parent.balance, 0n, 'the provider account did not move')
    assert.equal(parent.stats.preparesOut, 0, 'no packet of the app-to-app payment was sent to the provider')
  })

  test('raw prepare to a fulfiller on the ILSP with spread 0.01 delivers floor(amount × 0.99)', { timeout: TEST_TIMEOUT }, async (t) => {
    const defer = cleanup(t)
    const user = 'spread' + randomToken().slice(0, 8)
    const j = await startJunction({ parent: ilsp.btpUrl(user, randomToken()), spread: '0.01' })
    defer(() => j.stop())
    await waitForAddress(j)
    const fulfiller = await startFulfiller(ilsp.btpUrl('shop' + randomToken().slice(0, 8), randomToken()))
    const alice = await connectPlugin(appUrl(j, 'alice', randomToken()))
    defer(() => disconnectAll(alice, fulfiller.plugin))

    let expectedDelivered = 0n
    let expectedSent = 0n
    for (const amount of [123_457n, 99n, 1_000_001n]) {
      const answer = await sendPrepare(alice, { destination: fulfiller.address, amount, executionCondition: fulfiller.condition })
      assert.equal(answer.type, 'fulfill', `payment of ${amount}: ${answer.type === 'reject' ? answer.code + ' ' + answer.message : ''}`)
      assert.ok(answer.type === 'fulfill' && answer.fulfillment.equals(fulfiller.fulfillment))
      expectedSent += amount
      expectedDelivered += (amount * 99n) / 100n
      assert.equal(fulfiller.received.amount, expectedDelivered, `after ${amount}: delivered = floor(amount × 0.99) summed`)
    }
    assert.equal(fulfiller.received.count, 3)
    assert.equal(account(j, 'alice').balance, expectedSent)
    assert.equal(account(j, 'parent').balance, -expectedDelivered, 'the provider is owed only what was forwarded')
  })
})

describe('payments in local mode (no provider)', { timeout: 60_000 }, () => {
  test('app → app STREAM payment delivers the exact amount and moves both balances', { timeout: TEST_TIMEOUT }, async (t) => {
    const defer = cleanup(t)
    const j = await startJunction()
    defer(() => j.stop())
    assert.equal(j.accounts.get('parent'), undefined, 'local mode has no provider account')

    const receiver = await startStreamReceiver(appUrl(j, 'bob', randomToken()))
    const aliceUrl = appUrl(j, 'alice', randomToken())
    const alice = await connectPlugin(aliceUrl)
    defer(() => receiver.stop())
    defer(() => disconnectAll(alice))
    assert.equal(receiver.address, 'private.junction.bob')

    const amount = 1_000_000n
    await payAppToApp(j, alice, receiver, amount)

    // A second payment adds up. ilp-protocol-stream disconnects a client's plugin when its connection closes, so the
    // app reconnects (same name and token), as a STREAM app does for each payment.
    const more = 250_000n
    const again = await connectPlugin(aliceUrl)
    defer(() => disconnectAll(again))
    await payAppToApp(j, again, receiver, more, amount + more)
  })
})
