// Switch back (a provider setting, off by default): after Junction failed over from ILSP A to B, it goes back to A as
// soon as a health check finds A reachable again — and never undoes a provider the user chose. Two real ILSPs
// (ilp-connector 23); A is killed, then started again at the same URL.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createEngineApi } from '../../app/main/engine/api'
import { startBookedIlsp } from '../support/booked-ilsp'
import { startStreamReceiver, streamPay, connectPlugin } from '../support/ilsp'
import { appUrl, cleanup, disconnectAll, randomToken, startJunction, waitForAddress, waitUntil } from '../support/junction'

test('switch back: after a failover A → B, Junction returns to A once a health check finds it again; a provider the user chose stays', { timeout: 90_000 }, async (t) => {
  const defer = cleanup(t)
  const [a, b] = await Promise.all([startBookedIlsp('test.ilsp-a'), startBookedIlsp('test.ilsp-b')])
  defer(() => b.stop())
  const j = await startJunction({ parent: a.junctionUrl, reconnect: { initialMs: 50, maxMs: 500 } })
  defer(() => j.stop())
  const api = createEngineApi(j)
  assert.equal(await waitForAddress(j), 'test.ilsp-a.junction')
  const settings = await api.setProviderSettings({ healthCheckSeconds: 0, failoverSeconds: 2, graceSeconds: 1, switchBack: true })
  assert.equal(settings.switchBack, true)
  const [providerA] = await api.listProviders()
  const providerB = await api.addProvider({ name: 'B', url: b.junctionUrl })
  const events: Array<{ from: string; to: string; reason: string }> = []
  j.on('providerFailover', (e) => events.push(e))

  // A dies: failover to B.
  await a.stop()
  await waitUntil(() => j.providers.activeId === providerB.id, 15_000, 'the failover to B')
  assert.equal(j.own.address, 'test.ilsp-b.junction')

  // While A is still down, a health round changes nothing; after the grace period its old link is gone.
  await j.providers.checkHealth()
  assert.equal(j.providers.activeId, providerB.id)
  await waitUntil(() => j.providers.link(providerA.id) === undefined, 10_000, "A's old link to be dropped after the grace period")

  // A is back at the same URL: the next health round finds it, and Junction switches back.
  const a2 = await startBookedIlsp('test.ilsp-a', { again: a.restart })
  defer(() => a2.stop())
  await j.providers.checkHealth()
  await waitUntil(() => j.providers.activeId === providerA.id, 15_000, 'the switch back to A')
  assert.equal(await waitForAddress(j), 'test.ilsp-a.junction')
  assert.deepEqual(
    events.map((e) => [e.from, e.to]),
    [
      [providerA.id, providerB.id],
      [providerB.id, providerA.id],
    ],
  )
  assert.match(events[1].reason, /is reachable again and switch back is on/)

  // Payments go through A again, and A's books match Junction's.
  const receiver = await startStreamReceiver(a2.childUrl('recv'))
  defer(() => receiver.stop())
  const app = await connectPlugin(appUrl(j, 'alice', randomToken()))
  defer(() => disconnectAll(app))
  assert.equal(await streamPay(app, receiver.credentials(), 4321n), 4321n)
  assert.equal(await a2.junctionBalance(), 4321n)

  // The user's own choice is not undone: B made active by hand stays active although A is healthy.
  await api.activateProvider({ id: providerB.id })
  await j.providers.checkHealth()
  await new Promise((r) => setTimeout(r, 300))
  assert.equal(j.providers.activeId, providerB.id)
  assert.equal(events.length, 2)
})
