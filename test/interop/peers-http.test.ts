// A peer over ILP-over-HTTP (RFC 35): a real ilp-connector 23 whose account `junction` (relation peer, balance
// middleware on) uses ilp-plugin-http 1.6 — Junction POSTs to its incoming port with one token, it POSTs to Junction's
// app port (/ilp) with another and `ILP-Peer-Name: lab`. Routes go both ways by CCP, STREAM payments go both ways with
// both sides' books agreeing, a wrong token is refused with 401 and creates nothing, and removing the peer drops its
// routes.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { startNode } from '../../app/main/node'
import { connectPlugin, startStreamReceiver, streamPay } from '../support/ilsp'
import { appUrl, cleanup, disconnectAll, randomToken, waitUntil } from '../support/junction'
import { freePort, httpLink, miniAccountsChild, startRealConnector } from '../support/real-connector'

const require = createRequire(import.meta.url)
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any
const IlpPacket = require('ilp-packet')

const JUNCTION = 'test.junction'

async function startHttpLab(address: string, junctionAppPort: number, junctionToken: string, peerId: string) {
  const [httpPort, childPort] = [await freePort(), await freePort()]
  const labToken = randomToken()
  const lab = await startRealConnector({
    address,
    accounts: {
      junction: {
        ...httpLink({ port: httpPort, token: labToken }, { url: `http://127.0.0.1:${junctionAppPort}/ilp`, token: junctionToken, name: peerId }),
        sendRoutes: true,
        receiveRoutes: true,
        balance: { minimum: '-1000000000000', maximum: '1000000000000' },
      },
      children: miniAccountsChild(childPort),
    },
  })
  await lab.listening
  return {
    /** What Junction sends with: the lab's incoming port and token. */
    url: `http://junction:${labToken}@127.0.0.1:${httpPort}/`,
    childUrl: (user: string) => `btp+ws://${user}:${user}-secret@127.0.0.1:${childPort}`,
    routing: lab.routing,
    /** The lab's balance for Junction (positive = Junction owes the lab). */
    balance: () => lab.balance('junction'),
    stop: lab.stop,
  }
}

test('an HTTP peer: CCP both ways, STREAM both ways with agreeing books, a wrong token is 401, removePeer drops routes', { timeout: 90_000 }, async (t) => {
  const defer = cleanup(t)
  const folder = mkdtempSync(join(tmpdir(), 'junction-peers-http-'))
  defer(() => rmSync(folder, { recursive: true, force: true }))
  const node = await startNode({ config: { port: 0, address: JUNCTION }, dataFolder: folder, shell: 'headless', logToFile: false })
  defer(() => node.stop())
  const j = node.connector
  const incomingToken = randomToken()
  const lab = await startHttpLab('test.lab', j.port, incomingToken, 'lab')
  defer(() => lab.stop())

  const added = await node.api.addPeer({ id: 'lab', name: 'The lab', url: lab.url, incomingToken })
  assert.equal(added.transport, 'http')
  assert.match(added.url!, /^http:\/\/junction:\*\*\*@127\.0\.0\.1:\d+$/)
  assert.equal(added.incoming, true)

  // Routes both ways: our route control is Junction's first POST; the lab's comes as a POST to the app port.
  await waitUntil(() => j.routes.get('test.lab')?.accountId === 'peer:lab', 15_000, 'the lab’s route in Junction’s table')
  const route = (await node.api.listRoutes()).find((r) => r.prefix === 'test.lab')!
  assert.deepEqual([route.nextHop, route.source, route.path], ['peer:lab', 'peer', ['test.lab']])
  const deadline = Date.now() + 15_000
  let routing: Any
  for (;;) {
    routing = await lab.routing()
    if (routing.localRoutingTable[JUNCTION] || Date.now() > deadline) break
    await new Promise((r) => setTimeout(r, 100))
  }
  assert.deepEqual(routing.localRoutingTable[JUNCTION], { nextHop: 'junction', path: JUNCTION })
  const [view] = await node.api.listPeers()
  assert.deepEqual([view.transport, view.connected, view.state?.state, view.routes], ['http', true, 'connected', 1])

  // An app behind Junction pays a receiver at the lab: every packet a POST to ilp-plugin-http.
  const shop = await startStreamReceiver(lab.childUrl('shop'))
  defer(() => shop.stop())
  const alice = await connectPlugin(appUrl(j, 'alice', randomToken()))
  defer(() => disconnectAll(alice))
  assert.equal(await streamPay(alice, shop.credentials(), 123_456_789n), 123_456_789n)
  assert.equal(shop.total, 123_456_789n)
  assert.equal(await lab.balance(), 123_456_789n)
  assert.equal(j.accounts.get('peer:lab')!.balance, -123_456_789n)

  // The lab's child pays an app behind Junction: every packet a POST to Junction's app port.
  const bob = await startStreamReceiver(appUrl(j, 'bob', randomToken()))
  defer(() => bob.stop())
  assert.equal(bob.address, `${JUNCTION}.bob`)
  const outsider = await connectPlugin(lab.childUrl('outsider'))
  defer(() => disconnectAll(outsider))
  assert.equal(await streamPay(outsider, bob.credentials(), 2_000_000n), 2_000_000n)
  assert.equal(bob.total, 2_000_000n)
  assert.equal(await lab.balance(), 121_456_789n)
  assert.equal(j.accounts.get('peer:lab')!.balance, -121_456_789n)

  // A wrong token, a missing name, an unknown peer name: 401, and no app or account appears.
  const accountsBefore = (await node.api.listAccounts()).map((a) => a.id).sort()
  const prepare = IlpPacket.serializeIlpPrepare({
    amount: '1',
    destination: `${JUNCTION}.bob`,
    executionCondition: Buffer.alloc(32, 1),
    expiresAt: new Date(Date.now() + 10_000),
    data: Buffer.alloc(0),
  })
  const post = (headers: Record<string, string>, body: Buffer = prepare, path = '/ilp', method = 'POST') =>
    fetch(`http://127.0.0.1:${j.port}${path}`, { method, headers: { 'content-type': 'application/octet-stream', ...headers }, body: method === 'POST' ? new Uint8Array(body) : undefined })
  assert.equal((await post({ authorization: `Bearer ${randomToken()}`, 'ilp-peer-name': 'lab' })).status, 401)
  assert.equal((await post({ authorization: `Bearer ${incomingToken}` })).status, 401)
  assert.equal((await post({ authorization: `Bearer ${incomingToken}`, 'ilp-peer-name': 'stranger' })).status, 401)
  assert.equal((await post({ 'ilp-peer-name': 'lab' })).status, 401)
  assert.equal((await post({ authorization: `Bearer ${incomingToken}`, 'ilp-peer-name': 'lab', origin: 'https://evil.example' })).status, 403)
  assert.equal((await post({ authorization: `Bearer ${incomingToken}`, 'ilp-peer-name': 'lab' }, Buffer.from('hello'))).status, 400)
  assert.equal((await post({ authorization: `Bearer ${incomingToken}`, 'ilp-peer-name': 'lab' }, Buffer.alloc(40_000, 12))).status, 413)
  assert.equal((await post({}, prepare, '/ilp', 'GET')).status, 405)
  assert.equal((await post({}, prepare, '/other')).status, 404)
  // A body that starts like a Prepare but is not one: the pipeline's ILP Reject in a 200, and the node runs on.
  const garbled = await post({ authorization: `Bearer ${incomingToken}`, 'ilp-peer-name': 'lab' }, Buffer.from([12, 0xff, 1, 2, 3]))
  assert.equal(garbled.status, 200, await garbled.clone().text())
  assert.equal(Buffer.from(await garbled.arrayBuffer())[0], IlpPacket.Type.TYPE_ILP_REJECT)
  assert.deepEqual((await node.api.listAccounts()).map((a) => a.id).sort(), accountsBefore)
  // The right token, bare (ilp-plugin-http's older form): a 200 carrying the ILP answer (bob's STREAM rejects it).
  const ok = await post({ authorization: incomingToken, 'ilp-peer-name': 'lab' })
  assert.equal(ok.status, 200)
  assert.equal(ok.headers.get('content-type'), 'application/octet-stream')
  assert.equal(Buffer.from(await ok.arrayBuffer())[0], IlpPacket.Type.TYPE_ILP_REJECT)

  // Removed: its routes go, and its POSTs are refused.
  await node.api.removePeer({ id: 'lab' })
  assert.equal(j.routes.get('test.lab'), undefined)
  assert.equal((await node.api.listRoutes()).some((r) => r.prefix === 'test.lab'), false)
  assert.equal((await post({ authorization: `Bearer ${incomingToken}`, 'ilp-peer-name': 'lab' })).status, 401)
})

test('an HTTP peer that cannot be reached is shown unreachable, and connected again at its next answer', { timeout: 30_000 }, async (t) => {
  const defer = cleanup(t)
  const folder = mkdtempSync(join(tmpdir(), 'junction-peers-http-'))
  defer(() => rmSync(folder, { recursive: true, force: true }))
  const node = await startNode({ config: { port: 0, address: JUNCTION }, dataFolder: folder, shell: 'headless', logToFile: false })
  defer(() => node.stop())
  const port = await freePort()
  await node.api.addPeer({ id: 'gone', url: `http://junction:${randomToken()}@127.0.0.1:${port}/ilp` })
  // The CCP route control is the link's first request: nobody listens, so the peer turns unreachable.
  await waitUntil(() => node.connector.peers.state('gone')?.state === 'waiting', 10_000, 'the peer shown unreachable')
  const [down] = await node.api.listPeers()
  assert.ok(down.state?.state === 'waiting' && /could not be reached: connection refused/.test(down.state.lastError), JSON.stringify(down.state))

  // Something answers on that port now (a Reject to anything): the next request brings the link back.
  const reject = IlpPacket.serializeIlpReject({ code: 'F02', triggeredBy: 'test.gone', message: 'no route', data: Buffer.alloc(0) })
  const server = createServer((req, res) => {
    req.resume()
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(reject))
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  defer(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()) }))
  const link = node.connector.accounts.get('peer:gone')!.link!
  const answer = await new Promise<Buffer>((resolve, reject) =>
    link.sendPrepare(
      IlpPacket.serializeIlpPrepare({ amount: '1', destination: 'test.gone.x', executionCondition: Buffer.alloc(32, 1), expiresAt: new Date(Date.now() + 10_000), data: Buffer.alloc(0) }),
      (err, reply) => (err ? reject(err) : resolve(reply!)),
    ),
  )
  assert.equal(answer[0], IlpPacket.Type.TYPE_ILP_REJECT)
  const [up] = await node.api.listPeers()
  assert.equal(up.state?.state, 'connected')
  assert.equal(up.connected, true)
})

test('an HTTP peer from the config (--peer): its packets and route updates are refused until Edit gives it an incoming token; then routes come and payments go', { timeout: 90_000 }, async (t) => {
  const defer = cleanup(t)
  const folder = mkdtempSync(join(tmpdir(), 'junction-peers-http-config-'))
  defer(() => rmSync(folder, { recursive: true, force: true }))
  const port = await freePort()
  const incomingToken = randomToken()
  const lab = await startHttpLab('test.lab', port, incomingToken, 'lab')
  defer(() => lab.stop())
  const node = await startNode({ config: { port, address: JUNCTION, peers: [{ id: 'lab', url: lab.url, relation: 'peer' }] }, dataFolder: folder, shell: 'headless', logToFile: false })
  defer(() => node.stop())
  const j = node.connector
  const [view] = await node.api.listPeers()
  assert.deepEqual([view.transport, view.fromConfig, view.incoming], ['http', true, false])
  // Junction's route control reaches the lab (the link is up), but the lab's route updates to Junction are refused.
  await waitUntil(() => j.peers.state('lab')?.state === 'connected', 10_000, 'the link up')
  await new Promise((r) => setTimeout(r, 1500))
  assert.equal(j.routes.get('test.lab'), undefined, "no route from the lab: its POSTs carry a token Junction does not know")

  // Edit: the token the lab sends. Junction asks for its routes again, takes them, and an app pays through the lab.
  await node.api.updatePeer({ id: 'lab', incomingToken })
  await waitUntil(() => j.routes.get('test.lab')?.accountId === 'peer:lab', 15_000, "the lab's route after the token")
  const shop = await startStreamReceiver(lab.childUrl('shop'))
  defer(() => shop.stop())
  const alice = await connectPlugin(appUrl(j, 'alice', randomToken()))
  defer(() => disconnectAll(alice))
  assert.equal(await streamPay(alice, shop.credentials(), 2_000_000n), 2_000_000n)
  assert.equal(await lab.balance(), 2_000_000n)
  assert.equal(j.accounts.get('peer:lab')!.balance, -2_000_000n)
})
