// Stored peers with real ilp-connector 23 peers. Outgoing: a peer added through the engine API at runtime is
// connected at once (ilp-plugin-btp listening on its side), routes go both ways by CCP (ours seen in its /routing
// admin API), a packet goes through; removing it drops its routes; the node restarted on the same data folder links
// to it again, and its secret is nowhere in the SQLite file. Incoming: an ilp-connector whose account is an
// ilp-plugin-btp CLIENT pointing at Junction's app port as `<id>:<token>` becomes the peer account, never an app.
import assert from 'node:assert/strict'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import * as Btp from 'btp-packet'
import { createEngineApi } from '../../app/main/engine/api'
import { type JunctionNode, startNode } from '../../app/main/node'
import { connectPlugin, startFulfiller } from '../support/ilsp'
import { appUrl, cleanup, disconnectAll, randomToken, sendPrepare, startJunction, waitUntil } from '../support/junction'
import { RawBtpClient } from '../support/raw-btp'
import { spawnHeadless } from '../support/headless'
import { UiClient } from '../support/ui-client'
import { btpClient, btpListener, freePort, miniAccountsChild, type RealConnector, startRealConnector } from '../support/real-connector'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any

const JUNCTION = 'test.junction'
const RESPONSE_TIMEOUT = 3000

interface Lab extends RealConnector {
  address: string
  childPort: number
  /** Only when it listens for Junction (outgoing peers). */
  peerPort?: number
  secret?: string
}

/**
 * ilp-connector `address` with a peer account `junction` and mini-accounts children. `server` set: its plugin is an
 * ilp-plugin-btp client of that URL (Junction's app port); else it listens and Junction connects to it.
 */
async function startLab(address: string, server?: string): Promise<Lab> {
  const [peerPort, childPort] = [await freePort(), await freePort()]
  const secret = randomToken()
  const link = { responseTimeout: RESPONSE_TIMEOUT }
  const lab = await startRealConnector({
    address,
    extra: { initialConnectTimeout: 5000 },
    accounts: {
      junction: { ...(server ? btpClient(server, link) : btpListener(peerPort, secret, link)), sendRoutes: true, receiveRoutes: true },
      children: miniAccountsChild(childPort),
    },
  })
  return { ...lab, address, childPort, ...(server ? {} : { peerPort, secret }) }
}

/** Polls the lab's /routing until it has a route to `prefix`. */
async function labLearns(lab: Lab, prefix: string): Promise<Any> {
  const deadline = Date.now() + 10_000
  for (;;) {
    const routing = await lab.routing()
    if (routing.localRoutingTable[prefix]) return routing
    if (Date.now() > deadline) throw new Error(`${lab.address} did not learn ${prefix}: ${JSON.stringify(routing.localRoutingTable)}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

function dataFolder(defer: (step: () => unknown) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'junction-peers-'))
  defer(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** Every file of the data folder's database (the main file and its WAL, if any), as text. */
function databaseText(folder: string): string {
  return readdirSync(folder)
    .filter((f) => f.startsWith('junction.db'))
    .map((f) => readFileSync(join(folder, f)).toString('latin1'))
    .join('\n')
}

describe('stored peers with real ilp-connector peers', { timeout: 120_000 }, () => {
  test('addPeer at runtime connects and exchanges routes; removePeer drops them; a restart links it again', { timeout: 90_000 }, async (t) => {
    const defer = cleanup(t)
    const lab = await startLab('test.lab')
    defer(() => lab.stop())
    const folder = dataFolder(defer)
    const start = () => startNode({ config: { port: 0, address: JUNCTION }, dataFolder: folder, shell: 'headless', logToFile: false })
    let node: JunctionNode = await start()
    defer(() => node.stop())
    const j = node.connector
    let peerEvents = 0
    j.on('peersChanged', () => peerEvents++)

    const url = `btp+ws://junction:${lab.secret}@127.0.0.1:${lab.peerPort}`
    const added = await node.api.addPeer({ id: 'lab', name: 'The lab', url })
    assert.equal(added.url, `btp+ws://junction:***@127.0.0.1:${lab.peerPort}`)
    assert.equal(added.incoming, false)
    await lab.listening
    await waitUntil(() => j.routes.get('test.lab')?.accountId === 'peer:lab', 10_000, 'the peer’s route test.lab in Junction’s table')
    const route = (await node.api.listRoutes()).find((r) => r.prefix === 'test.lab')!
    assert.deepEqual([route.nextHop, route.source, route.path], ['peer:lab', 'peer', ['test.lab']])
    const [view] = await node.api.listPeers()
    assert.deepEqual([view.id, view.name, view.connected, view.state?.state, view.routes], ['lab', 'The lab', true, 'connected', 1])
    assert.ok(peerEvents >= 2, `peersChanged on add and on link up (${peerEvents})`)
    const routing = await labLearns(lab, JUNCTION)
    assert.deepEqual(routing.localRoutingTable[JUNCTION], { nextHop: 'junction', path: JUNCTION })
    assert.equal((await node.api.listAccounts()).find((a) => a.id === 'peer:lab')?.label, 'The lab')

    // App → Junction → the lab → a fulfiller among its children.
    const fulfiller = await startFulfiller(`btp+ws://f:${randomToken()}@127.0.0.1:${lab.childPort}`)
    defer(() => fulfiller.stop())
    const app = await connectPlugin(appUrl(j, 'payer', randomToken()))
    defer(() => disconnectAll(app))
    const paid = await sendPrepare(app, { destination: fulfiller.address, amount: 777, executionCondition: fulfiller.condition })
    assert.equal(paid.type, 'fulfill', paid.type === 'reject' ? `${paid.code} ${paid.message}` : '')
    assert.equal(j.accounts.get('peer:lab')!.balance, -777n)

    // Removed: disconnected, its routes gone (packets to it now have no route), its balance kept in the database.
    let routeEvents = 0
    j.on('routesChanged', () => routeEvents++)
    await node.api.removePeer({ id: 'lab' })
    assert.equal(j.routes.get('test.lab'), undefined)
    assert.equal((await node.api.listRoutes()).some((r) => r.nextHop === 'peer:lab'), false)
    assert.deepEqual(await node.api.listPeers(), [])
    assert.ok(routeEvents > 0, 'routesChanged on removal')
    const gone = await sendPrepare(app, { destination: fulfiller.address, amount: 1, executionCondition: fulfiller.condition })
    assert.equal(gone.type, 'reject')
    const kept = node.db.prepare<[string], { balance: bigint }>('SELECT balance FROM accounts WHERE id = ?').get('peer:lab')
    assert.equal(kept?.balance, -777n, 'the removed peer’s balance row stays')

    // Added again, then the node restarts on the same folder: the peer is back and reconnects by itself.
    await node.api.addPeer({ id: 'lab', name: 'The lab', url })
    await waitUntil(() => j.routes.get('test.lab')?.accountId === 'peer:lab', 10_000, 'test.lab again after adding the peer again')
    await node.stop()
    assert.ok(!databaseText(folder).includes(lab.secret!), 'the peer’s secret is not in the SQLite files')
    assert.ok(readdirSync(join(folder, 'secrets')).includes('peer-lab.json'), 'it is in the secret store beside the database')
    node = await start()
    const [back] = await node.api.listPeers()
    assert.deepEqual([back.id, back.name, back.url], ['lab', 'The lab', `btp+ws://junction:***@127.0.0.1:${lab.peerPort}`])
    await waitUntil(() => node.connector.routes.get('test.lab')?.accountId === 'peer:lab', 10_000, 'test.lab after the restart')
    assert.equal(node.connector.accounts.get('peer:lab')!.balance, -777n, 'its balance survived removal, re-adding and the restart')
    const app2 = await connectPlugin(appUrl(node.connector, 'payer', randomToken()))
    defer(() => disconnectAll(app2))
    const again = await sendPrepare(app2, { destination: fulfiller.address, amount: 23, executionCondition: fulfiller.condition })
    assert.equal(again.type, 'fulfill', again.type === 'reject' ? `${again.code} ${again.message}` : '')
  })

  test('an incoming peer (ilp-connector as BTP client on the app port) is the peer account: routes and packets both ways', { timeout: 60_000 }, async (t) => {
    const defer = cleanup(t)
    const j = await startJunction({ address: JUNCTION })
    defer(() => j.stop())
    const api = createEngineApi(j)
    const token = randomToken()
    const added = await api.addPeer({ id: 'lab', name: 'Lab (incoming)', incomingToken: token })
    assert.deepEqual([added.url, added.transport, added.incoming, added.connected, added.state], [null, null, true, false, null])

    const lab = await startLab('test.lab', `btp+ws://lab:${token}@127.0.0.1:${j.port}`)
    defer(() => lab.stop())
    await lab.listening
    await waitUntil(() => j.routes.get('test.lab')?.accountId === 'peer:lab', 10_000, 'the incoming peer’s route test.lab')
    await labLearns(lab, JUNCTION)
    const [view] = await api.listPeers()
    assert.deepEqual([view.connected, view.state?.state, view.routes], [true, 'connected', 1])
    assert.equal(j.apps.get('lab'), undefined, 'no app was created for the peer')
    assert.equal(j.accounts.has('lab'), false)
    assert.equal(j.isAppConnected('lab'), false)

    // Junction's app → the lab's child.
    const fulfiller = await startFulfiller(`btp+ws://f:${randomToken()}@127.0.0.1:${lab.childPort}`)
    defer(() => fulfiller.stop())
    const app = await connectPlugin(appUrl(j, 'payer', randomToken()))
    defer(() => disconnectAll(app))
    const out = await sendPrepare(app, { destination: fulfiller.address, amount: 1000, executionCondition: fulfiller.condition })
    assert.equal(out.type, 'fulfill', out.type === 'reject' ? `${out.code} ${out.message}` : '')
    // The lab's child → Junction's app.
    const shop = await startFulfiller(appUrl(j, 'shop', randomToken()))
    defer(() => shop.stop())
    const sender = await connectPlugin(`btp+ws://s:${randomToken()}@127.0.0.1:${lab.childPort}`)
    defer(() => disconnectAll(sender))
    const back = await sendPrepare(sender, { destination: shop.address, amount: 400, executionCondition: shop.condition })
    assert.equal(back.type, 'fulfill', back.type === 'reject' ? `${back.code} ${back.message}` : '')
    assert.equal(j.accounts.get('peer:lab')!.balance, -1000n + 400n)

    // The wrong token: refused with a BTP error naming the peer; no app is created under its name.
    const raw = await RawBtpClient.open(`ws://127.0.0.1:${j.port}`)
    defer(() => raw.terminate())
    const answer = await raw.auth('lab', 'not-the-token', 9)
    assert.equal(answer.type, Btp.TYPE_ERROR)
    assert.equal(answer.error!.code, 'F00')
    assert.match(answer.error!.data, /wrong auth_token for peer "lab"/)
    assert.equal((await raw.closed).code, 1008)
    assert.equal(j.apps.get('lab'), undefined)
    assert.ok(j.accounts.get('peer:lab')!.link?.open, 'the real peer’s connection stays')
  })

  test('headless --peer: the peer is stored (its secret in the secret store) and linked; listPeers over the UI API shows it', { timeout: 60_000 }, async (t) => {
    const defer = cleanup(t)
    const lab = await startLab('test.lab')
    defer(() => lab.stop())
    const folder = dataFolder(defer)
    const url = `btp+ws://junction:${lab.secret}@127.0.0.1:${lab.peerPort}`
    const junction = spawnHeadless(['--data', folder, '--port', '0', '--address', JUNCTION, '--peer', `lab=${url}`])
    defer(() => junction.stop())
    await junction.ready()
    const [, uiPort, token] = (await junction.line(/ ui=http:\/\/127\.0\.0\.1:(\d+)\/#token=(\S+)/))!
    const ui = await UiClient.connect(t, Number(uiPort), token!)
    await lab.listening
    await labLearns(lab, JUNCTION)
    let peers: Any[] = []
    const deadline = Date.now() + 10_000
    while (!(peers[0]?.routes >= 1) && Date.now() < deadline) {
      peers = await ui.call('listPeers')
      await new Promise((r) => setTimeout(r, 50))
    }
    assert.deepEqual(peers.map((p) => [p.id, p.name, p.url, p.connected, p.routes]), [['lab', 'lab', `btp+ws://junction:***@127.0.0.1:${lab.peerPort}`, true, 1]])
    assert.ok(readdirSync(join(folder, 'secrets')).includes('peer-lab.json'))
    assert.ok(!databaseText(folder).includes(lab.secret!), 'the --peer secret is not in the SQLite files')
  })

  test('one connection per incoming peer: the same token replaces the first, as for apps', async (t) => {
    const defer = cleanup(t)
    const j = await startJunction({ address: JUNCTION })
    defer(() => j.stop())
    const token = randomToken()
    await createEngineApi(j).addPeer({ id: 'lab', incomingToken: token })
    const ws = `ws://127.0.0.1:${j.port}`
    const first = await RawBtpClient.connect(ws, 'lab', token)
    defer(() => first.terminate())
    const second = await RawBtpClient.connect(ws, 'lab', token)
    defer(() => second.terminate())
    assert.equal((await first.closed).code, 4001, 'the first connection is replaced')
    assert.equal(second.isClosed, false)
    assert.equal(j.apps.get('lab'), undefined)
    assert.equal(j.accounts.get('lab'), undefined)
    // An id that is an app's name cannot become a peer.
    await connectPlugin(appUrl(j, 'alice', randomToken())).then((p) => defer(() => disconnectAll(p)))
    await assert.rejects(createEngineApi(j).addPeer({ id: 'alice', incomingToken: token }), /"alice" is the name of an app/)
    // Nor can an incoming peer's id become an app's name: the app could never connect with it.
    await assert.rejects(createEngineApi(j).registerApp({ name: 'lab' }), (err: Error & { code?: string }) => {
      assert.match(err.message, /cannot register app "lab": it is the id of a peer/)
      return true
    })
    assert.equal(j.apps.get('lab'), undefined, 'nothing registered')
    assert.equal(second.isClosed, false, 'the peer keeps its connection')
  })
})
