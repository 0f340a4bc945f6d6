// Several providers with two real ILSPs (ilp-connector 23, addresses test.ilsp-a and test.ilsp-b): a live switch
// from A to B through the engine API while apps pay and receive, and a failover when A dies. Each ILSP serves
// Junction on a dedicated ilp-plugin-btp account with ilp-connector's balance middleware on, so its own books (read
// from its admin API, GET /balance) can be compared with Junction's per-provider balances; its STREAM receivers are
// mini-accounts children on another account.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createEngineApi } from '../../app/main/engine/api'
import type { Connector } from '../../app/main/engine/connector'
import { startBookedIlsp } from '../support/booked-ilsp'
import { connectPlugin, freePort, startFulfiller, startStreamReceiver, streamPay } from '../support/ilsp'
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
  watchReconnects,
  withTimeout,
} from '../support/junction'

/** Junction's balance with a provider (its own parent account), by provider id. */
function providerBalance(j: Connector, id: string): bigint {
  const row = j.providers.get(id)
  return j.accounts.get(row.accountId)!.balance
}

test('live switch A → B through the API: apps reconnect under B, old addresses still receive in the grace period, each ILSP\'s books match Junction\'s', { timeout: 90_000 }, async (t) => {
  const defer = cleanup(t)
  // Started together: each waits ~10 s for Junction's account to connect before it calls itself ready.
  const [a, b] = await Promise.all([startBookedIlsp('test.ilsp-a'), startBookedIlsp('test.ilsp-b')])
  defer(() => a.stop())
  defer(() => b.stop())
  const receiverA = await startStreamReceiver(a.childUrl('recv'))
  defer(() => receiverA.stop())
  const receiverB = await startStreamReceiver(b.childUrl('recv'))
  defer(() => receiverB.stop())

  const j = await startJunction({ parent: a.junctionUrl, reconnect: { initialMs: 50, maxMs: 500 } })
  defer(() => j.stop())
  const api = createEngineApi(j)
  assert.equal(await waitForAddress(j), 'test.ilsp-a.junction')
  await api.setProviderSettings({ graceSeconds: 3 })

  // The --parent URL became a stored provider, the active one, under the first provider's account `parent`.
  const [first] = await api.listProviders()
  assert.equal(first.active, true)
  assert.equal(first.accountId, 'parent')
  assert.equal(first.address, 'test.ilsp-a.junction')
  assert.ok(!first.url.includes(a.junctionUrl.split(':')[2].split('@')[0]), 'the secret is masked')

  const aliceUrl = appUrl(j, 'alice', randomToken())
  let alice = await connectPlugin(aliceUrl)
  defer(() => disconnectAll(alice))
  const bob = await startFulfiller(appUrl(j, 'bob', randomToken()))
  defer(() => disconnectAll(bob.plugin))
  assert.equal(bob.address, 'test.ilsp-a.junction.bob')

  // Before the switch: alice streams to a receiver at A.
  const sentA = await streamPay(alice, receiverA.credentials(), 5000n)
  assert.equal(sentA, 5000n)
  // ilp-protocol-stream disconnects the plugin when its connection ends; the app connects again, as apps do.
  await disconnectAll(alice)
  alice = await connectPlugin(aliceUrl)

  // Add B, test it (connect + ILDCP), switch to it.
  const added = await api.addProvider({ name: 'ILSP B', url: b.junctionUrl })
  assert.equal(added.accountId, `provider:${added.id}`)
  assert.equal(added.active, false)
  const probe = await api.testProvider({ id: added.id })
  assert.ok(probe.ok, JSON.stringify(probe))
  assert.equal(probe.address, 'test.ilsp-b.junction')
  assert.equal(probe.assetCode, 'XRP')

  const changes: string[] = []
  j.on('address', (addr) => changes.push(addr))
  const appsBack = watchReconnects(j, ['alice', 'bob'])
  const switched = await api.activateProvider({ id: added.id })
  assert.equal(switched.active, true)
  assert.equal(j.own.address, 'test.ilsp-b.junction')
  assert.deepEqual(changes, ['test.ilsp-b.junction'])
  const during = await api.listProviders()
  assert.equal(during.find((p) => p.id === first.id)?.inGrace, true, 'A stays connected for the grace period')

  // Apps were told to reconnect; once back, ILDCP gives them addresses under B and their payments go through B.
  await appsBack.wait()
  assert.equal((await fetchIldcp(alice)).clientAddress, 'test.ilsp-b.junction.alice')
  const sentB = await streamPay(alice, receiverB.credentials(), 7000n)
  assert.equal(sentB, 7000n)

  // A sender at A still pays bob's old address (STREAM receivers keep the address they fetched once): it arrives.
  const outsider = await connectPlugin(a.childUrl('outsider'))
  defer(() => disconnectAll(outsider))
  const late = await sendPrepare(outsider, { destination: 'test.ilsp-a.junction.bob', amount: 300, executionCondition: bob.condition })
  assert.equal(late.type, 'fulfill', JSON.stringify(late))
  assert.equal(bob.received.amount, 300n)

  // After the grace period A is disconnected and the old address is no longer routed to the apps.
  await waitUntil(() => j.providers.link(first.id) === undefined, 15_000, 'the old provider to be disconnected')
  assert.equal(j.routes.list().some((r) => r.prefix.startsWith('test.ilsp-a.junction')), false)

  // Every unit with the provider that carried it: A's books = 5000 paid − 300 received; B's = 7000 paid.
  assert.equal(providerBalance(j, first.id), -4700n)
  assert.equal(providerBalance(j, added.id), -7000n)
  assert.equal(await a.junctionBalance(), 4700n)
  assert.equal(await b.junctionBalance(), 7000n)
  assert.equal(receiverA.total, 5000n)
  assert.equal(receiverB.total, 7000n)
  // The views carry each provider's balance too.
  const after = await api.listProviders()
  assert.deepEqual(
    after.map((p) => [p.name, p.balance, p.active]),
    [
      [first.name, '-4700', false],
      ['ILSP B', '-7000', true],
    ],
  )
})

test('failover: ILSP A dies, Junction switches to B after the configured time and payments resume; no switch back by itself', { timeout: 90_000 }, async (t) => {
  const defer = cleanup(t)
  const [a, b] = await Promise.all([startBookedIlsp('test.ilsp-a'), startBookedIlsp('test.ilsp-b')])
  let aUp = true
  defer(() => (aUp ? a.stop() : undefined))
  defer(() => b.stop())
  const receiverB = await startStreamReceiver(b.childUrl('recv'))
  defer(() => receiverB.stop())

  const j = await startJunction({ parent: a.junctionUrl, reconnect: { initialMs: 50, maxMs: 500 } })
  defer(() => j.stop())
  const api = createEngineApi(j)
  await waitForAddress(j)
  const added = await api.addProvider({ name: 'B', url: b.junctionUrl })
  const settings = await api.setProviderSettings({ failoverSeconds: 2, graceSeconds: 1 })
  assert.deepEqual(settings, { failoverSeconds: 2, graceSeconds: 1, healthCheckSeconds: 300, switchBack: false })

  const alice = await connectPlugin(appUrl(j, 'alice', randomToken()))
  defer(() => disconnectAll(alice))
  const failover = withTimeout(new Promise<{ from: string; to: string; reason: string }>((resolve) => j.once('providerFailover', resolve)), 30_000, 'failover')

  const killedAt = performance.now()
  const aliceBack = watchReconnects(j, ['alice'])
  await a.stop()
  aUp = false
  const event = await failover
  const tookMs = performance.now() - killedAt
  t.diagnostic(`failover took ${Math.round(tookMs)} ms (configured 2 s)`)
  assert.equal(event.to, added.id)
  assert.equal(j.providers.activeId, added.id)
  assert.equal(j.own.address, 'test.ilsp-b.junction')

  await aliceBack.wait()
  assert.equal((await fetchIldcp(alice)).clientAddress, 'test.ilsp-b.junction.alice')
  assert.equal(await streamPay(alice, receiverB.credentials(), 2500n), 2500n)
  assert.equal(await b.junctionBalance(), 2500n)
  assert.equal(providerBalance(j, added.id), -2500n)
  assert.equal((await api.listProviders()).find((p) => p.active)?.id, added.id)
})

test('provider management through the API: validation, refusals, order, disable, remove', { timeout: 30_000 }, async (t) => {
  const defer = cleanup(t)
  const j = await startJunction({})
  defer(() => j.stop())
  const api = createEngineApi(j)
  assert.deepEqual(await api.listProviders(), [])

  await assert.rejects(api.addProvider({ name: 'x', url: 'http://example.com' }), /an ILP-over-HTTP URL carries its token as the password/)
  const dead = await freePort()
  const one = await api.addProvider({ name: 'one', url: `btp+ws://u:s3cret@127.0.0.1:${dead}` })
  assert.equal(one.url, `btp+ws://u:***@127.0.0.1:${dead}`)
  await assert.rejects(api.addProvider({ name: 'again', url: `btp+ws://u:other@127.0.0.1:${dead}` }), /already provider "one"/)
  const two = await api.addProvider({ name: 'two', url: `btp+ws://v:s@127.0.0.1:${dead}` })

  // Unreachable: a clear error, for a stored provider and for a bare URL; switching to it changes nothing.
  const probe = await api.testProvider({ id: one.id })
  assert.equal(probe.ok, false)
  assert.match(probe.ok ? '' : probe.error, /ECONNREFUSED/)
  assert.equal((await api.testProvider({ url: `btp+ws://u:s@127.0.0.1:${dead}` })).ok, false)
  await assert.rejects(api.activateProvider({ id: one.id }), (err: Error & { code?: string }) => err.code === 'unavailable' && /ECONNREFUSED/.test(err.message))
  assert.equal(j.providers.activeId, undefined)
  assert.equal(j.own.address, 'private.junction', 'still in local mode')

  assert.deepEqual((await api.setProviderOrder({ ids: [two.id, one.id] })).map((p) => p.name), ['two', 'one'])
  await assert.rejects(api.setProviderOrder({ ids: ['nope'] }), /no provider with id "nope"/)
  assert.equal((await api.disableProvider({ id: two.id })).enabled, false)
  await assert.rejects(api.activateProvider({ id: two.id }), /disabled/)
  assert.equal((await api.enableProvider({ id: two.id })).enabled, true)
  await api.removeProvider({ id: two.id })
  assert.deepEqual((await api.listProviders()).map((p) => p.name), ['one'])
  await assert.rejects(api.removeProvider({ id: two.id }), (err: Error & { code?: string }) => err.code === 'not-found')
  await assert.rejects(api.setProviderSettings({ graceSeconds: -1 }), /at least 0/)
})
