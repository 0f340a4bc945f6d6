// Health checks of the providers Junction holds no link to, with three real ILSPs (ilp-connector 23): each inactive
// provider is checked by connect + ILDCP round trip and the result shows in its view; an ILSP that is killed fails
// its check; when the active provider dies, failover goes to the healthy provider even though the dead one is
// earlier in the order.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createEngineApi } from '../../app/main/engine/api'
import { startBookedIlsp } from '../support/booked-ilsp'
import { startStreamReceiver, connectPlugin, streamPay } from '../support/ilsp'
import { appUrl, cleanup, disconnectAll, fetchIldcp, randomToken, startJunction, waitForAddress, waitUntil, withTimeout } from '../support/junction'

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
  assert.deepEqual(settings, { graceSeconds: 1, failoverSeconds: 2, healthCheckSeconds: 0 })
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
  await waitUntil(() => j.isAppConnected('alice'), 10_000, 'alice to reconnect')
  assert.equal((await fetchIldcp(alice)).clientAddress, 'test.ilsp-c.junction.alice')
  assert.equal(await streamPay(alice, receiverC.credentials(), 1200n), 1200n)
  assert.equal(await c.junctionBalance(), 1200n)
})
