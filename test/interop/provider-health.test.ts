// Health checks of the providers Junction holds no link to, with three real ILSPs (ilp-connector 23): each inactive
// provider is checked by connect + ILDCP round trip and the result shows in its view; an ILSP that is killed fails
// its check; when the active provider dies, failover goes to the healthy provider even though the dead one is
// earlier in the order. And testing a provider Junction is connected to asks over that link: a second connection as
// the same account would make the ILSP's ilp-plugin-btp server retire Junction's.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createEngineApi } from '../../app/main/engine/api'
import { startBookedIlsp } from '../support/booked-ilsp'
import { connectPlugin, startFulfiller, startStreamReceiver, streamPay } from '../support/ilsp'
import { appUrl, cleanup, disconnectAll, fetchIldcp, randomToken, sendPrepare, startJunction, waitForAddress, watchReconnects, withTimeout } from '../support/junction'

test('health checks: inactive providers are checked (connect + ILDCP), a killed ILSP fails its check, failover skips it for a healthy one later in the order', { timeout: 90_000 }, async (t) => {
  const defer = cleanup(t)
  const [a, b, c] = await Promise.all([startBookedIlsp('test.ilsp-a'), startBookedIlsp('test.ilsp-b'), startBookedIlsp('test.ilsp-c')])
  defer(() => a.stop())
  defer(() => b.stop())
  defer(() => c.stop())
  const receiverC = await startStreamReceiver(c.childUrl('recv'))
  defer(() => receiverC.stop())

  const j = await startJunction({ parent: a.junctionUrl, reconnect: { initialMs: 50, maxMs: 500 } })
  defer(() => j.stop())
  const api = createEngineApi(j)
  assert.equal(await waitForAddress(j), 'test.ilsp-a.junction')
  // No checks on a timer in this test: each round is run by the test, so what it sees does not depend on timing.
  const settings = await api.setProviderSettings({ healthCheckSeconds: 0, failoverSeconds: 2, graceSeconds: 1 })
  assert.deepEqual(settings, { graceSeconds: 1, failoverSeconds: 2, healthCheckSeconds: 0, switchBack: false })
  await assert.rejects(api.setProviderSettings({ healthCheckSeconds: 3 }), /at least 10 s/)

  const providerB = await api.addProvider({ name: 'B', url: b.junctionUrl })
  const providerC = await api.addProvider({ name: 'C', url: c.junctionUrl })
  const [first] = await api.listProviders()
  assert.deepEqual((await api.listProviders()).map((p) => p.name), [first.name, 'B', 'C'], 'the order: A, B, C')
  assert.deepEqual(
    (await api.listProviders()).map((p) => [p.name, p.lastCheckedAt, p.lastError]),
    [
      [first.name, null, null],
      ['B', null, null],
      ['C', null, null],
    ],
    'not checked yet',
  )

  // A round: B and C (no link) are checked; A (the active link) is not. Nothing stays connected afterwards.
  const before = Date.now()
  await j.providers.checkHealth()
  const checked = await api.listProviders()
  for (const p of checked.slice(1)) {
    assert.ok(p.lastCheckedAt !== null && p.lastCheckedAt >= before, `${p.name} was checked`)
    assert.equal(p.lastError, null, `${p.name}: ${p.lastError}`)
    assert.equal(typeof p.latencyMs, 'number', `${p.name} shows the check's round trip`)
    assert.equal(p.state, null, `${p.name}: no link is held after the check`)
  }
  assert.equal(checked[0].lastCheckedAt, null, 'the active provider is not checked: its link says how it is')
  t.diagnostic(`health check round trips: B ${checked[1].latencyMs} ms, C ${checked[2].latencyMs} ms`)
  assert.equal(j.providers.link(providerB.id), undefined)
  assert.equal(j.providers.link(providerC.id), undefined)

  // B dies: its next check fails with the reason; C's still works.
  await b.stop()
  await j.providers.checkHealth()
  const afterKill = await api.listProviders()
  const viewB = afterKill.find((p) => p.id === providerB.id)!
  const viewC = afterKill.find((p) => p.id === providerC.id)!
  assert.match(viewB.lastError ?? '', /ECONNREFUSED/)
  assert.equal(viewB.latencyMs, null)
  assert.equal(viewC.lastError, null)

  // A dies too: failover must go to C (checked healthy), not to B (next in the order, but its last check failed).
  const alice = await connectPlugin(appUrl(j, 'alice', randomToken()))
  defer(() => disconnectAll(alice))
  const failover = withTimeout(new Promise<{ from: string; to: string; reason: string }>((resolve) => j.once('providerFailover', resolve)), 30_000, 'failover')
  const aliceBack = watchReconnects(j, ['alice'])
  await a.stop()
  const event = await failover
  assert.equal(event.from, first.id)
  assert.equal(event.to, providerC.id)
  // B was not even tried: a failed attempt would have been recorded as a newer check of B.
  assert.equal((await api.listProviders()).find((p) => p.id === providerB.id)?.lastCheckedAt, viewB.lastCheckedAt)
  assert.equal(j.own.address, 'test.ilsp-c.junction')
  assert.equal((await api.status()).provider.name, 'C', 'the status names the active provider by its name')
  // A failed over: it is recorded as failed too, so a later failover would not pick it first either.
  assert.ok((await api.listProviders()).find((p) => p.id === first.id)?.lastError)

  // Payments go through C.
  await aliceBack.wait()
  assert.equal((await fetchIldcp(alice)).clientAddress, 'test.ilsp-c.junction.alice')
  assert.equal(await streamPay(alice, receiverC.credentials(), 1200n), 1200n)
  assert.equal(await c.junctionBalance(), 1200n)
})

test('testing the active provider asks over the live link: the ILSP (ilp-plugin-btp, one connection per account) does not drop Junction for a second connection', { timeout: 60_000 }, async (t) => {
  const defer = cleanup(t)
  const a = await startBookedIlsp('test.ilsp-a')
  defer(() => a.stop())
  const j = await startJunction({ parent: a.junctionUrl, reconnect: { initialMs: 50, maxMs: 500 } })
  defer(() => j.stop())
  const api = createEngineApi(j)
  await waitForAddress(j)
  const [active] = await api.listProviders()
  const states: string[] = []
  j.on('provider', (state) => states.push(state.state))
  const alice = await connectPlugin(appUrl(j, 'alice', randomToken()))
  defer(() => disconnectAll(alice))

  for (let i = 0; i < 3; i++) {
    const probe = await api.testProvider({ id: active.id })
    assert.ok(probe.ok, JSON.stringify(probe))
    assert.equal(probe.address, 'test.ilsp-a.junction')
  }
  // Packets right after go through the same link both ways, and it never went down.
  const receiver = await startStreamReceiver(a.childUrl('recv'))
  defer(() => receiver.stop())
  const bob = await startFulfiller(appUrl(j, 'bob', randomToken()))
  defer(() => disconnectAll(bob.plugin))
  const outsider = await connectPlugin(a.childUrl('outsider'))
  defer(() => disconnectAll(outsider))
  const first = await sendPrepare(alice, { destination: receiver.address, amount: 0, executionCondition: Buffer.alloc(32) })
  t.diagnostic(`first packet out after the tests: ${JSON.stringify(first)}`)
  assert.equal(first.type, 'reject')
  assert.equal(first.type === 'reject' && first.triggeredBy, receiver.address, 'it reached the receiver (which rejects a bare prepare)')
  const incoming = await sendPrepare(outsider, { destination: bob.address, amount: 5, executionCondition: bob.condition })
  assert.equal(incoming.type, 'fulfill', JSON.stringify(incoming))
  assert.deepEqual(states, [], 'the active link stayed up')
})

test('a switch to a provider during a health check of it: the new link stays up and carries payments', { timeout: 60_000 }, async (t) => {
  const defer = cleanup(t)
  const [a, b] = await Promise.all([startBookedIlsp('test.ilsp-a'), startBookedIlsp('test.ilsp-b')])
  defer(() => a.stop())
  defer(() => b.stop())
  const receiver = await startStreamReceiver(b.childUrl('recv'))
  defer(() => receiver.stop())
  const j = await startJunction({ parent: a.junctionUrl, reconnect: { initialMs: 50, maxMs: 500 } })
  defer(() => j.stop())
  const api = createEngineApi(j)
  await waitForAddress(j)
  await api.setProviderSettings({ healthCheckSeconds: 0, graceSeconds: 1 })
  const providerB = await api.addProvider({ name: 'B', url: b.junctionUrl })
  const alice = await connectPlugin(appUrl(j, 'alice', randomToken()))
  defer(() => disconnectAll(alice))

  const round = j.providers.checkHealth()
  const aliceBack = watchReconnects(j, ['alice'])
  await api.activateProvider({ id: providerB.id })
  await round
  const states: string[] = []
  j.on('provider', (state) => states.push(state.state))
  await aliceBack.wait()
  const out = await sendPrepare(alice, { destination: receiver.address, amount: 0, executionCondition: Buffer.alloc(32) })
  assert.equal(out.type === 'reject' && out.triggeredBy, receiver.address, `it went through B: ${JSON.stringify(out)}`)
  assert.equal(await streamPay(alice, receiver.credentials(), 3000n), 3000n)
  assert.deepEqual(states, [], 'the link to B stayed up')
  assert.equal(await b.junctionBalance(), 3000n)
})
