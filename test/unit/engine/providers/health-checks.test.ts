// Health checks in the provider switch (no network beyond loopback): providers Junction holds no link to are probed
// one at a time (a round already running is joined, not doubled), rounds repeat on their interval, a failed probe
// is recorded with its reason, and a removed provider's result goes with it. The probes meet a TCP server that
// counts connections and closes each: the BTP handshake fails, as against a dead ILSP.
import assert from 'node:assert/strict'
import { createServer, type Server, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import { test, type TestContext } from 'node:test'
import type { Account } from '../../../../app/main/engine/accounts/account'
import { MemoryBalanceStore } from '../../../../app/main/engine/balances/balance-store'
import { createLogger } from '../../../../app/main/engine/log'
import { ProviderSwitch } from '../../../../app/main/engine/providers/provider-switch'
import { MemoryProvidersStore } from '../../../../app/main/engine/store/providers-store'
import { waitUntil } from '../../../support/junction'

/** A TCP server that counts connections and closes each one at once. */
async function closingServer(t: TestContext): Promise<{ port: number; readonly connections: number }> {
  let connections = 0
  const sockets = new Set<Socket>()
  const server: Server = createServer((socket) => {
    connections++
    sockets.add(socket)
    socket.destroy()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return {
    port: (server.address() as AddressInfo).port,
    get connections() {
      return connections
    },
  }
}

function providerSwitch(t: TestContext, opts: { healthCheckMs: number; firstHealthCheckMs?: number }) {
  let changes = 0
  const providers = new ProviderSwitch({
    store: new MemoryProvidersStore(),
    defaultAsset: { assetCode: 'XRP', assetScale: 9 },
    limits: {},
    graceMs: 1000,
    failoverMs: 0,
    connectTimeoutMs: 2000,
    healthCheckMs: opts.healthCheckMs,
    firstHealthCheckMs: opts.firstHealthCheckMs,
    log: createLogger('test'),
    host: {
      accounts: new Map<string, Account>(),
      balances: new MemoryBalanceStore(),
      handle: () => () => {},
      setIdentity: () => {},
      setDefaultRoute: () => {},
      addGraceAddress: () => {},
      removeGraceAddress: () => {},
      changed: () => changes++,
      activeState: () => {},
      failover: () => {},
    },
  })
  t.after(() => providers.stop())
  return {
    providers,
    get changes() {
      return changes
    },
  }
}

test('a round probes each enabled provider without a link once, records why it failed; a second call joins the round', async (t) => {
  const one = await closingServer(t)
  const two = await closingServer(t)
  const { providers } = providerSwitch(t, { healthCheckMs: 0 })
  const a = providers.add('one', `btp+ws://u:s@127.0.0.1:${one.port}`)
  const b = providers.add('two', `btp+ws://u:s@127.0.0.1:${two.port}`)
  const disabled = providers.add('off', `btp+ws://v:s@127.0.0.1:${two.port}`)
  providers.setEnabled(disabled.id, false)
  assert.equal(providers.healthOf(a.id), undefined)

  const before = Date.now()
  await Promise.all([providers.checkHealth(), providers.checkHealth()])
  assert.equal(one.connections, 1, 'one probe of "one" although checkHealth was called twice')
  assert.equal(two.connections, 1, 'one probe of "two"; none of the disabled provider on the same port')
  for (const id of [a.id, b.id]) {
    const h = providers.healthOf(id)!
    assert.equal(h.ok, false)
    assert.ok(h.checkedAt >= before)
    assert.equal(h.latencyMs, null)
    assert.ok(h.error && h.error.length > 0, 'the reason is kept')
  }
  assert.equal(providers.healthOf(disabled.id), undefined)

  providers.remove(a.id)
  assert.equal(providers.healthOf(a.id), undefined, "a removed provider's result goes with it")
})

test('rounds start after start and repeat on their interval; 0 stops them', async (t) => {
  const server = await closingServer(t)
  const s = providerSwitch(t, { healthCheckMs: 60_000, firstHealthCheckMs: 0 })
  s.providers.add('one', `btp+ws://u:s@127.0.0.1:${server.port}`)
  // No provider is enabled-and-active here: start() makes the first one active, so add a second to be checked.
  const other = s.providers.add('two', `btp+ws://w:s@127.0.0.1:${server.port}`)
  s.providers.start()
  await waitUntil(() => s.providers.healthOf(other.id) !== undefined, 5000, 'the first round')
  const first = s.providers.healthOf(other.id)!.checkedAt

  s.providers.healthCheckMs = 20
  await waitUntil(() => s.providers.healthOf(other.id)!.checkedAt > first, 5000, 'another round on the new interval')
  s.providers.healthCheckMs = 0
  // The round under way (if any) ends; then none comes, though ten of the old intervals pass.
  await s.providers.checkHealth()
  const last = s.providers.healthOf(other.id)!.checkedAt
  await new Promise((r) => setTimeout(r, 200))
  assert.equal(s.providers.healthOf(other.id)!.checkedAt, last)
})
