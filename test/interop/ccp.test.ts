// CCP route exchange with a real ilp-connector 23 as Junction's peer: an account with relation 'peer' whose plugin is
// ilp-plugin-btp listening as a server (Junction connects to it as a BTP client), sendRoutes and receiveRoutes on,
// and its admin API on, whose /routing shows what it learned from Junction. Behind it: mini-accounts children (a
// fulfiller), and for withdrawals a third connector (ilp-connector `test.far`) peered with it.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { Connector } from '../../app/main/engine/connector'
import { createEngineApi } from '../../app/main/engine/api'
import { connectPlugin, startFulfiller } from '../support/ilsp'
import { appUrl, cleanup, disconnectAll, randomToken, sendPrepare, startJunction, waitUntil } from '../support/junction'
import { type AccountConfig, btpClient, btpListener, freePort, miniAccountsChild, type RealConnector, startRealConnector } from '../support/real-connector'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any

const JUNCTION = 'test.junction'
// ilp-plugin-btp keeps a request's 35 s timer after its link closed; a route update in flight at the end of a test
// would hold the test process that long.
const RESPONSE_TIMEOUT = 3000

interface Lab extends RealConnector {
  peerPort: number
  secret: string
  childPort: number
}

/** ilp-connector `address` with a peer account `junction` (ilp-plugin-btp server) and mini-accounts children. */
async function startLab(opts: { address: string; extra?: Record<string, unknown>; extraAccounts?: Record<string, AccountConfig> }): Promise<Lab> {
  const [peerPort, childPort] = [await freePort(), await freePort()]
  const secret = randomToken()
  const lab = await startRealConnector({
    address: opts.address,
    extra: { initialConnectTimeout: 5000, ...opts.extra },
    accounts: {
      junction: { ...btpListener(peerPort, secret, { responseTimeout: RESPONSE_TIMEOUT }), sendRoutes: true, receiveRoutes: true },
      children: miniAccountsChild(childPort),
      ...opts.extraAccounts,
    },
  })
  return { ...lab, peerPort, secret, childPort }
}

function peerUrl(lab: Lab): string {
  return `btp+ws://junction:${lab.secret}@127.0.0.1:${lab.peerPort}`
}

async function startJunctionWithPeer(lab: Lab, extra: Parameters<typeof startJunction>[0] = {}): Promise<Connector> {
  const j = await startJunction({ address: JUNCTION, peers: [{ id: 'lab', url: peerUrl(lab), relation: 'peer' }], ...extra })
  await lab.listening
  return j
}

describe('CCP with a real ilp-connector as a peer', { timeout: 120_000 }, () => {
  test('its routes appear in Junction’s table with path and expiry, ours in its /routing; packets route both ways', { timeout: 60_000 }, async (t) => {
    const defer = cleanup(t)
    const lab = await startLab({ address: 'test.lab' })
    defer(() => lab.stop())
    const j = await startJunctionWithPeer(lab)
    defer(() => j.stop())
    let changes = 0
    j.on('routesChanged', () => changes++)

    await waitUntil(() => j.routes.get('test.lab')?.source === 'peer', 10_000, 'the peer’s route test.lab in Junction’s table')
    const api = createEngineApi(j)
    const view = (await api.listRoutes()).find((r) => r.prefix === 'test.lab')!
    assert.equal(view.nextHop, 'peer:lab')
    assert.equal(view.source, 'peer')
    assert.deepEqual(view.path, ['test.lab'])
    // ilp-connector sends its default hold-down time, 45 s.
    assert.ok(view.expiresAt !== null && view.expiresAt > Date.now() + 30_000 && view.expiresAt <= Date.now() + 45_000, `expiresAt ${view.expiresAt}`)
    // Its children are reached through its own address; it does not advertise them one by one.
    assert.equal(j.routes.get('test.lab.children'), undefined)

    let routing: Any
    const deadline = Date.now() + 10_000
    for (;;) {
      routing = await lab.routing()
      if (routing.localRoutingTable[JUNCTION] || Date.now() > deadline) break
      await new Promise((r) => setTimeout(r, 100))
    }
    assert.deepEqual(routing.localRoutingTable[JUNCTION], { nextHop: 'junction', path: JUNCTION })
    // Nothing of its own came back to it through us, and our apps are not advertised one by one.
    assert.deepEqual(Object.keys(routing.localRoutingTable).filter((p) => p.startsWith(JUNCTION)), [JUNCTION])
    assert.equal(routing.peers.junction.receive.routingTableId, j.routeExchange.forwarding.routingTableId)
    assert.ok(changes > 0, 'routesChanged was emitted')

    // App → Junction → peer → a fulfiller among its children.
    const fulfiller = await startFulfiller(`btp+ws://f:${randomToken()}@127.0.0.1:${lab.childPort}`)
    defer(() => fulfiller.stop())
    assert.ok(fulfiller.address.startsWith('test.lab.children.'))
    const app = await connectPlugin(appUrl(j, 'payer', randomToken()))
    defer(() => disconnectAll(app))
    const answer = await sendPrepare(app, { destination: fulfiller.address, amount: 1234, executionCondition: fulfiller.condition })
    assert.equal(answer.type, 'fulfill', answer.type === 'reject' ? `${answer.code} ${answer.message}` : '')
    assert.equal(fulfiller.received.amount, 1234n)
    const peerAccount = j.accounts.get('peer:lab')!
    assert.equal(peerAccount.relation, 'peer')
    assert.equal(peerAccount.balance, -1234n, 'Junction owes the peer what it forwarded')
    assert.equal(peerAccount.stats.fulfilledOut, 1)

    // A child of the peer → the peer → Junction (by the route we advertised) → an app of Junction.
    const appFulfiller = await startFulfiller(appUrl(j, 'shop', randomToken()))
    defer(() => appFulfiller.stop())
    assert.equal(appFulfiller.address, `${JUNCTION}.shop`)
    const sender = await connectPlugin(`btp+ws://s:${randomToken()}@127.0.0.1:${lab.childPort}`)
    defer(() => disconnectAll(sender))
    const back = await sendPrepare(sender, { destination: appFulfiller.address, amount: 500, executionCondition: appFulfiller.condition })
    assert.equal(back.type, 'fulfill', back.type === 'reject' ? `${back.code} ${back.message}` : '')
    assert.equal(peerAccount.balance, -1234n + 500n)
  })

  test('a route the peer withdraws disappears from Junction’s table', { timeout: 60_000 }, async (t) => {
    const defer = cleanup(t)
    const farPort = await freePort()
    const farSecret = randomToken()
    const far = await startRealConnector({
      address: 'test.far',
      adminApi: false,
      accounts: { lab: btpListener(farPort, farSecret, { responseTimeout: RESPONSE_TIMEOUT }) },
    })
    defer(() => far.stop())
    // lab has a second peer, far, which it connects to as an ilp-plugin-btp client. (This way round: a client
    // ilp-connector refuses the route control its server peer sends at once, before it has set the link up, and asks
    // again only 30 s later; lab must not be that client's server, or it would learn test.far that late.)
    // ilp-connector sends a withdrawal caused by a lost peer with its next heartbeat (it does not schedule an update
    // then, unlike for routes learned by CCP): heartbeats every second here instead of 30 s.
    const lab = await startLab({
      address: 'test.lab',
      extra: { routeBroadcastInterval: 1000 },
      extraAccounts: { far: btpClient(`btp+ws://lab:${farSecret}@127.0.0.1:${farPort}`, { responseTimeout: RESPONSE_TIMEOUT }) },
    })
    defer(() => lab.stop())
    const j = await startJunctionWithPeer(lab)
    defer(() => j.stop())
    await far.listening

    await waitUntil(() => j.routes.get('test.far') !== undefined, 10_000, 'test.far (through lab) in Junction’s table')
    const route = j.routes.get('test.far')!
    assert.deepEqual([route.accountId, route.source, route.path], ['peer:lab', 'peer', ['test.lab', 'test.far']])

    // lab drops its link to far (removes the account; shutting far down instead would leave lab's ilp-plugin-btp
    // client reconnecting forever): lab loses its route to test.far and withdraws it from Junction.
    await lab.app.removePlugin('far')
    await waitUntil(() => j.routes.get('test.far') === undefined, 10_000, 'the withdrawn route test.far to leave Junction’s table')
    assert.equal(j.routes.get('test.lab')?.accountId, 'peer:lab', 'the peer’s own route stays')
    assert.equal(j.accounts.get('peer:lab')!.link?.open, true)
  })

  test('a route whose hold-down time passes without an update is purged, though the link stays up', { timeout: 60_000 }, async (t) => {
    const defer = cleanup(t)
    // Routes held for 1.5 s, and no heartbeat for 10 minutes: ilp-connector stops confirming them.
    const lab = await startLab({ address: 'test.lab', extra: { routeExpiry: 1500, routeBroadcastInterval: 600_000 } })
    defer(() => lab.stop())
    const j = await startJunctionWithPeer(lab)
    defer(() => j.stop())
    await waitUntil(() => j.routes.get('test.lab') !== undefined, 10_000, 'the peer’s route test.lab')
    const expiresAt = j.routes.get('test.lab')!.expiresAt!
    assert.ok(expiresAt <= Date.now() + 1500)
    await waitUntil(() => j.routes.get('test.lab') === undefined, 10_000, 'the expired route to be purged')
    assert.ok(Date.now() >= expiresAt, 'not before its expiry')
    assert.equal(j.accounts.get('peer:lab')!.link?.open, true, 'the link is still up: the route went by expiry')
    assert.equal((await createEngineApi(j).listRoutes()).some((r) => r.source === 'peer'), false)
  })
})
