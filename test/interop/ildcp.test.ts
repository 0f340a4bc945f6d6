// ILDCP (RFC 31), peer.balance and echo, asked by real clients: ilp-protocol-ildcp's `fetch` over ilp-plugin-btp,
// with Junction in local mode and behind a real ILSP (ilp-connector 23 + ilp-plugin-mini-accounts).
import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { createRequire } from 'node:module'
import { test } from 'node:test'
import { encodeEchoRequest } from '../../app/main/engine/control/echo'
import { connectPlugin, freePort, type Ilsp, startFulfiller, startIlsp } from '../support/ilsp'
import {
  appUrl,
  cleanup,
  disconnectAll,
  fetchIldcp,
  fetchPeerBalance,
  PEER_CONDITION,
  randomToken,
  sendPrepare,
  startJunction,
  waitForAddress,
  waitUntil,
  withTimeout,
} from '../support/junction'

const require = createRequire(import.meta.url)
const IlpPacket = require('ilp-packet')
const ILDCP = require('ilp-protocol-ildcp')

const T = { timeout: 30_000 }

function uniqueUser(prefix: string): string {
  return prefix + randomToken().slice(0, 8)
}

test('with a real ILSP: Junction takes its address from the ILSP, apps get <junction>.<name> and the ILSP asset', T, async (t) => {
  const defer = cleanup(t)
  // An asset and address that differ from Junction's defaults (XRP, 9, private.junction), so nothing can pass by luck.
  const ilsp = await startIlsp({ address: 'test.provider', assetCode: 'USD', assetScale: 6 })
  defer(() => ilsp.stop())
  const user = uniqueUser('me')
  const j = await startJunction({ parent: ilsp.btpUrl(user, randomToken()) })
  defer(() => j.stop())
  const address = await waitForAddress(j)
  const addressEvents: string[] = []
  j.on('address', (a) => addressEvents.push(a))
  assert.equal(address, `test.provider.children.${user}`)
  assert.equal(j.own.assetCode, 'USD')
  assert.equal(j.own.assetScale, 6)

  const alice = await connectPlugin(appUrl(j, 'alice', randomToken()))
  const bob = await connectPlugin(appUrl(j, 'bob', randomToken()))
  defer(() => disconnectAll(alice, bob))
  assert.deepEqual(await fetchIldcp(alice), { clientAddress: `${address}.alice`, assetCode: 'USD', assetScale: 6 })
  assert.deepEqual(await fetchIldcp(bob), { clientAddress: `${address}.bob`, assetCode: 'USD', assetScale: 6 })

  // The app's address is reachable from the ILSP side: a client of the ILSP pays it.
  const fulfillment = randomBytes(32)
  const condition = createHash('sha256').update(fulfillment).digest()
  alice.registerDataHandler(async (data: Buffer) => {
    const p = IlpPacket.deserializeIlpPrepare(data)
    assert.equal(p.destination, `${address}.alice`)
    return IlpPacket.serializeIlpFulfill({ fulfillment, data: Buffer.alloc(0) })
  })
  const outsider = await connectPlugin(ilsp.btpUrl(uniqueUser('out'), randomToken()))
  defer(() => disconnectAll(outsider))
  const answer = await sendPrepare(outsider, { destination: `${address}.alice`, amount: 4321, executionCondition: condition })
  assert.equal(answer.type, 'fulfill', answer.type === 'reject' ? `${answer.code} ${answer.message}` : '')
  assert.equal(j.accounts.get('alice')!.balance, -4321n, 'Junction owes alice what she received')
  assert.equal(j.accounts.get('parent')!.balance, 4321n, 'the provider owes Junction what it forwarded in')
  assert.deepEqual(addressEvents, [], 'the address did not change after it was set')
})

test('an app that connects before the ILSP is up gets T01 on peer.config, then its address once the ILSP starts', T, async (t) => {
  const defer = cleanup(t)
  const port = await freePort()
  const user = uniqueUser('early')
  const j = await startJunction({ parent: `btp+ws://${user}:${randomToken()}@127.0.0.1:${port}`, reconnect: { initialMs: 50, maxMs: 200 } })
  defer(() => j.stop())
  assert.equal(j.own.address, undefined)

  const alice = await connectPlugin(appUrl(j, 'alice', randomToken()))
  defer(() => disconnectAll(alice))
  const early = await sendPrepare(alice, { destination: 'peer.config', amount: 0, executionCondition: PEER_CONDITION, expiresInMs: 60_000 })
  assert.equal(early.type, 'reject')
  assert.ok(early.type === 'reject')
  assert.equal(early.code, 'T01', `expected T01 while the provider is down, got ${early.code} ${early.message}`)
  assert.ok(early.ms < 1000, `answered in ${early.ms} ms`)
  // ilp-protocol-ildcp's own client surfaces the reject as an error.
  await assert.rejects(ILDCP.fetch(alice.sendData.bind(alice)), /IL-DCP failed/)
  assert.notEqual(j.providerState?.state, 'connected')

  let ilsp: Ilsp | undefined
  defer(() => ilsp?.stop())
  ilsp = await startIlsp({ port, address: 'test.late', assetCode: 'EUR', assetScale: 4 })
  const address = await waitForAddress(j, 10_000)
  assert.equal(address, `test.late.children.${user}`)
  await waitUntil(() => j.providerState?.state === 'connected', 5000, 'the provider link to be connected')
  // The same app connection, never restarted, now gets its address.
  assert.deepEqual(await fetchIldcp(alice), { clientAddress: `${address}.alice`, assetCode: 'EUR', assetScale: 4 })
})

test('local mode: apps get private.junction.<name> with XRP/9 by default', T, async (t) => {
  const defer = cleanup(t)
  const j = await startJunction()
  defer(() => j.stop())
  assert.equal(j.own.address, 'private.junction')
  const alice = await connectPlugin(appUrl(j, 'alice', randomToken()))
  const carol = await connectPlugin(appUrl(j, 'carol-2', randomToken(), 'localhost'))
  defer(() => disconnectAll(alice, carol))
  assert.deepEqual(await fetchIldcp(alice), { clientAddress: 'private.junction.alice', assetCode: 'XRP', assetScale: 9 })
  assert.deepEqual(await fetchIldcp(carol), { clientAddress: 'private.junction.carol-2', assetCode: 'XRP', assetScale: 9 })
})

test('local mode honours the address and asset options', T, async (t) => {
  const defer = cleanup(t)
  const j = await startJunction({ address: 'test.home.box', assetCode: 'EUR', assetScale: 2 })
  defer(() => j.stop())
  const alice = await connectPlugin(appUrl(j, 'alice', randomToken()))
  defer(() => disconnectAll(alice))
  assert.deepEqual(await fetchIldcp(alice), { clientAddress: 'test.home.box.alice', assetCode: 'EUR', assetScale: 2 })
  const balance = await fetchPeerBalance(alice)
  assert.equal(balance.assetCode, 'EUR')
  assert.equal(balance.assetScale, 2)
})

test('peer.balance answers Int64 balance, scale and asset code, and follows payments (local mode)', T, async (t) => {
  const defer = cleanup(t)
  const j = await startJunction({ assetCode: 'USD', assetScale: 9 })
  defer(() => j.stop())
  const alice = await connectPlugin(appUrl(j, 'alice', randomToken()))
  const bob = await startFulfiller(appUrl(j, 'bob', randomToken()))
  defer(() => disconnectAll(alice, bob.plugin))
  assert.equal(bob.address, 'private.junction.bob')

  assert.deepEqual(await fetchPeerBalance(alice), { balance: 0n, assetScale: 9, assetCode: 'USD' })
  const amounts = [12_345n, 1n, 5_000_000_000n]
  let total = 0n
  for (const amount of amounts) {
    const answer = await sendPrepare(alice, { destination: bob.address, amount, executionCondition: bob.condition })
    assert.equal(answer.type, 'fulfill')
    total += amount
    assert.equal((await fetchPeerBalance(alice)).balance, total, `alice's balance after paying ${amount}`)
    assert.equal((await fetchPeerBalance(bob.plugin)).balance, -total, `bob's balance (negative: Junction owes him) after ${amount}`)
  }
  // A rejected payment does not move it.
  const rejected = await sendPrepare(alice, { destination: bob.address, amount: 999, executionCondition: randomBytes(32) })
  assert.equal(rejected.type, 'reject')
  assert.equal((await fetchPeerBalance(alice)).balance, total)
  // The query itself is free: asking many times changes nothing.
  assert.equal(j.accounts.get('alice')!.balance, total)
})

test('peer.balance behind a real ILSP uses the ILSP asset and follows a payment out', T, async (t) => {
  const defer = cleanup(t)
  const ilsp = await startIlsp({ address: 'test.bank', assetCode: 'CAD', assetScale: 3 })
  defer(() => ilsp.stop())
  const j = await startJunction({ parent: ilsp.btpUrl(uniqueUser('j'), randomToken()) })
  defer(() => j.stop())
  await waitForAddress(j)
  const shop = await startFulfiller(ilsp.btpUrl(uniqueUser('shop'), randomToken()))
  const alice = await connectPlugin(appUrl(j, 'alice', randomToken()))
  defer(() => disconnectAll(alice, shop.plugin))

  assert.deepEqual(await fetchPeerBalance(alice), { balance: 0n, assetScale: 3, assetCode: 'CAD' })
  const answer = await sendPrepare(alice, { destination: shop.address, amount: 777, executionCondition: shop.condition })
  assert.equal(answer.type, 'fulfill')
  assert.equal(shop.received.amount, 777n)
  assert.deepEqual(await fetchPeerBalance(alice), { balance: 777n, assetScale: 3, assetCode: 'CAD' })
})

test('echo: a prepare to Junction\'s own address comes back to the app as an echo response it fulfills', T, async (t) => {
  const defer = cleanup(t)
  const j = await startJunction()
  defer(() => j.stop())
  const alice = await connectPlugin(appUrl(j, 'alice', randomToken()))
  defer(() => disconnectAll(alice))
  const { clientAddress } = await fetchIldcp(alice)

  const fulfillment = randomBytes(32)
  const condition = createHash('sha256').update(fulfillment).digest()
  const seen: Array<{ destination: string; amount: string; data: Buffer; condition: Buffer }> = []
  alice.registerDataHandler(async (data: Buffer) => {
    const p = IlpPacket.deserializeIlpPrepare(data)
    seen.push({ destination: p.destination, amount: p.amount, data: p.data, condition: p.executionCondition })
    const echoResponse = p.data.length === 17 && p.data.subarray(0, 16).toString('ascii') === 'ECHOECHOECHOECHO' && p.data[16] === 1
    if (!echoResponse) {
      return IlpPacket.serializeIlpReject({ code: 'F06', triggeredBy: clientAddress, message: 'not an echo response', data: Buffer.alloc(0) })
    }
    return IlpPacket.serializeIlpFulfill({ fulfillment, data: Buffer.alloc(0) })
  })

  const answer = await sendPrepare(alice, {
    destination: j.own.address!,
    amount: 0,
    executionCondition: condition,
    data: encodeEchoRequest(clientAddress),
  })
  assert.equal(answer.type, 'fulfill', answer.type === 'reject' ? `${answer.code} ${answer.message}` : '')
  assert.ok(answer.type === 'fulfill' && answer.fulfillment.equals(fulfillment))
  assert.equal(seen.length, 1)
  assert.equal(seen[0].destination, clientAddress)
  assert.equal(seen[0].amount, '0')
  assert.ok(seen[0].condition.equals(condition), 'the echo response carries the original condition')
  assert.deepEqual([...seen[0].data], [...Buffer.from('ECHOECHOECHOECHO', 'ascii'), 1])

  // A malformed echo request (wrong type byte) is refused by Junction itself.
  const bad = Buffer.from(encodeEchoRequest(clientAddress))
  bad[16] = 1
  const refused = await sendPrepare(alice, { destination: j.own.address!, amount: 0, executionCondition: condition, data: bad })
  assert.equal(refused.type, 'reject')
  assert.ok(refused.type === 'reject' && refused.code === 'F01' && refused.triggeredBy === 'private.junction')
  assert.equal(seen.length, 1, 'nothing was sent to the app for the malformed request')
})

test('echo: a client of the ILSP pings Junction\'s address and gets the echo back through the ILSP', T, async (t) => {
  const defer = cleanup(t)
  const ilsp = await startIlsp()
  defer(() => ilsp.stop())
  const j = await startJunction({ parent: ilsp.btpUrl(uniqueUser('pinged'), randomToken()) })
  defer(() => j.stop())
  const address = await waitForAddress(j)

  const pinger = await connectPlugin(ilsp.btpUrl(uniqueUser('pinger'), randomToken()))
  defer(() => disconnectAll(pinger))
  const { clientAddress } = await fetchIldcp(pinger)
  const fulfillment = randomBytes(32)
  const condition = createHash('sha256').update(fulfillment).digest()
  let echoes = 0
  pinger.registerDataHandler(async (data: Buffer) => {
    const p = IlpPacket.deserializeIlpPrepare(data)
    if (p.destination === clientAddress && p.data.length === 17 && p.data[16] === 1) {
      echoes++
      return IlpPacket.serializeIlpFulfill({ fulfillment, data: Buffer.alloc(0) })
    }
    return IlpPacket.serializeIlpReject({ code: 'F06', triggeredBy: clientAddress, message: 'unexpected', data: Buffer.alloc(0) })
  })
  const answer = await withTimeout(
    sendPrepare(pinger, { destination: address, amount: 0, executionCondition: condition, data: encodeEchoRequest(clientAddress) }),
    10_000,
    'the echo round trip',
  )
  assert.equal(answer.type, 'fulfill', answer.type === 'reject' ? `${answer.code} ${answer.message} (by ${answer.triggeredBy})` : '')
  assert.equal(echoes, 1)
})
