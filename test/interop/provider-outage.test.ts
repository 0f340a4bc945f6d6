// The provider goes away and comes back: a real ILSP (ilp-connector 23 + ilp-plugin-mini-accounts) is shut down
// with its own shutdown() and started again on the same port, while Junction and an app stay up the whole time.
import assert from 'node:assert/strict'
import { connect } from 'node:net'
import { test } from 'node:test'
import { connectPlugin, freePort, type Ilsp, startFulfiller, startIlsp, startStreamReceiver, streamPay } from '../support/ilsp'
import {
  appUrl,
  cleanup,
  disconnectAll,
  fetchIldcp,
  randomToken,
  sendPrepare,
  startJunction,
  waitForAddress,
  waitUntil,
} from '../support/junction'

/** Resolves with the connect error code, or 'connected' if something accepted the TCP connection. */
async function tryConnect(port: number): Promise<string> {
  return await new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' })
    socket.once('connect', () => {
      socket.destroy()
      resolve('connected')
    })
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message))
  })
}

test('the ILSP goes down and comes back: T01 at once meanwhile, then payments work again without restarts', { timeout: 60_000 }, async (t) => {
  const defer = cleanup(t)
  const port = await freePort()
  let ilsp: Ilsp | undefined = await startIlsp({ port })
  defer(() => ilsp?.stop())

  const user = 'outage' + randomToken().slice(0, 8)
  const j = await startJunction({ parent: ilsp.btpUrl(user, randomToken()), reconnect: { initialMs: 50, maxMs: 500 } })
  defer(() => j.stop())
  const address = await waitForAddress(j)
  assert.equal(address, `${ilsp.childPrefix}.${user}`)
  const addressChanges: string[] = []
  j.on('address', (a) => addressChanges.push(a))
  const providerStates: string[] = []
  j.on('provider', (s) => providerStates.push(s.state))

  const alice = await connectPlugin(appUrl(j, 'alice', randomToken()))
  defer(() => disconnectAll(alice))
  let shop = await startFulfiller(ilsp.btpUrl('shop', 'shop-secret'))
  defer(() => disconnectAll(shop.plugin))
  let paid = 0n

  // Before: a payment goes through.
  const before = await sendPrepare(alice, { destination: shop.address, amount: 1000, executionCondition: shop.condition })
  assert.equal(before.type, 'fulfill')
  paid += 1000n

  // The ILSP shuts down. Its shutdown() disconnects its plugins; mini-accounts closes its WebSocket server.
  await ilsp.stop()
  ilsp = undefined
  await disconnectAll(shop.plugin)
  assert.equal(await tryConnect(port), 'ECONNREFUSED', "ilp-connector's shutdown() closed the mini-accounts port")
  await waitUntil(() => j.providerState?.state !== 'connected', 5000, 'Junction to notice that the provider is gone')
  assert.ok(j.accounts.get('parent')!.link === undefined || !j.accounts.get('parent')!.link!.open)

  // Meanwhile: every packet to the outside is refused at once with T01 from Junction, not left to expire.
  for (let i = 0; i < 5; i++) {
    const answer = await sendPrepare(alice, { destination: shop.address, amount: 500, executionCondition: shop.condition })
    assert.equal(answer.type, 'reject')
    assert.ok(answer.type === 'reject')
    assert.equal(answer.code, 'T01', `packet ${i}: ${answer.code} ${answer.message}`)
    assert.equal(answer.triggeredBy, address, 'Junction itself refused it')
    assert.ok(answer.ms < 500, `packet ${i} answered in ${answer.ms.toFixed(1)} ms (must not wait for expiry)`)
    await new Promise((r) => setTimeout(r, 40))
  }
  // Junction keeps its address while the provider is away: apps can still ask for theirs.
  assert.equal((await fetchIldcp(alice)).clientAddress, `${address}.alice`)
  assert.equal(j.accounts.get('alice')!.balance, paid, 'refused packets did not move the balance')
  assert.equal(j.accounts.get('alice')!.pendingIncoming, 0n)

  // The ILSP comes back on the same port; Junction reconnects on its own.
  ilsp = await startIlsp({ port })
  await waitUntil(() => j.providerState?.state === 'connected', 10_000, 'Junction to reconnect to the provider')
  assert.ok(providerStates.includes('waiting'), `states seen: ${providerStates.join(', ')}`)
  shop = await startFulfiller(ilsp.btpUrl('shop', 'shop-secret'))

  // The same app connection pays again. The first packet right after the reconnect may race Junction's ILDCP; allow
  // a few T01 retries within a short deadline, as an ILP sender would.
  const deadline = Date.now() + 5000
  let after = await sendPrepare(alice, { destination: shop.address, amount: 2000, executionCondition: shop.condition })
  while (after.type === 'reject' && after.code === 'T01' && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50))
    after = await sendPrepare(alice, { destination: shop.address, amount: 2000, executionCondition: shop.condition })
  }
  assert.equal(after.type, 'fulfill', after.type === 'reject' ? `${after.code} ${after.message}` : '')
  paid += 2000n
  assert.equal(shop.received.amount, 2000n)

  // And a STREAM payment to a receiver on the restarted ILSP delivers exactly.
  const receiver = await startStreamReceiver(ilsp.btpUrl('recv' + randomToken().slice(0, 6), randomToken()))
  defer(() => receiver.stop())
  const payer = await connectPlugin(appUrl(j, 'payer', randomToken()))
  defer(() => disconnectAll(payer))
  await streamPay(payer, receiver.credentials(), 300_000n)
  await receiver.waitForTotal(300_000n, 5000)
  assert.equal(receiver.total, 300_000n)

  assert.equal(j.own.address, address, 'same provider, same account: same address')
  assert.deepEqual(addressChanges, [])
  assert.equal(j.accounts.get('alice')!.balance, paid)
  assert.equal(j.accounts.get('parent')!.balance, -(paid + 300_000n))
})

test('a provider that never comes up: packets get T01 at once and Junction keeps retrying', { timeout: 30_000 }, async (t) => {
  const defer = cleanup(t)
  const port = await freePort()
  const j = await startJunction({ parent: `btp+ws://nobody:secret@127.0.0.1:${port}`, reconnect: { initialMs: 50, maxMs: 200 } })
  defer(() => j.stop())
  let attempts = 0
  j.on('provider', (s) => {
    if (s.state === 'connecting') attempts++
  })
  const alice = await connectPlugin(appUrl(j, 'alice', randomToken()))
  defer(() => disconnectAll(alice))
  const answer = await sendPrepare(alice, { destination: 'test.somewhere.else', amount: 10 })
  assert.ok(answer.type === 'reject')
  assert.equal(answer.code, 'T01')
  assert.ok(answer.ms < 500, `answered in ${answer.ms} ms`)
  await waitUntil(() => attempts >= 3, 5000, 'Junction to retry the provider several times')
  assert.equal(j.own.address, undefined)
})
