// Editing a peer in place (updatePeer) with real ilp-connector 23 peers: the peer `lab` is first the connector
// test.lab-one, then is pointed at test.lab-two. Its account, balance and (by CCP) routes move with it: lab-one's
// routes go, lab-two's come, lab-two learns Junction's, payments reach lab-two's children, and the balance adds up
// across both. Each connector's own books (admin API /balance) equal what went through it.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createEngineApi } from '../../app/main/engine/api'
import { connectPlugin, startFulfiller } from '../support/ilsp'
import { appUrl, cleanup, disconnectAll, randomToken, sendPrepare, startJunction, waitUntil } from '../support/junction'
import { btpListener, freePort, miniAccountsChild, type RealConnector, startRealConnector } from '../support/real-connector'

const JUNCTION = 'test.junction'

interface Lab {
  connector: RealConnector
  /** What Junction connects with. */
  url: string
  childPort: number
}

/** ilp-connector `address`: a BTP listener account `junction` (relation peer, CCP both ways, books on) and children. */
async function startLab(address: string): Promise<Lab> {
  const [peerPort, childPort] = [await freePort(), await freePort()]
  const secret = randomToken()
  const connector = await startRealConnector({
    address,
    accounts: {
      junction: {
        ...btpListener(peerPort, secret, { responseTimeout: 3000 }),
        sendRoutes: true,
        receiveRoutes: true,
        balance: { minimum: '-1000000000000', maximum: '1000000000000' },
      },
      children: miniAccountsChild(childPort),
    },
    // It waits for Junction's first connection before it calls itself listening; not longer than this.
    extra: { initialConnectTimeout: 5000 },
  })
  return { connector, url: `btp+ws://junction:${secret}@127.0.0.1:${peerPort}`, childPort }
}

/** Polls the lab's /routing until it has a route to `prefix`. */
async function learns(lab: Lab, prefix: string): Promise<void> {
  const deadline = Date.now() + 10_000
  while (!(await lab.connector.routing()).localRoutingTable[prefix]) {
    if (Date.now() > deadline) throw new Error(`the lab did not learn ${prefix}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

test('a peer pointed at another connector keeps its account and balance; routes and payments follow the new URL', { timeout: 90_000 }, async (t) => {
  const defer = cleanup(t)
  const [one, two] = [await startLab('test.lab-one'), await startLab('test.lab-two')]
  defer(() => one.connector.stop())
  defer(() => two.connector.stop())
  const j = await startJunction({ address: JUNCTION })
  defer(() => j.stop())
  const api = createEngineApi(j)
  await api.addPeer({ id: 'lab', name: 'The lab', url: one.url })
  await waitUntil(() => j.routes.get('test.lab-one')?.accountId === 'peer:lab', 10_000, "lab-one's route")
  await learns(one, JUNCTION)
  const account = j.accounts.get('peer:lab')

  const app = await connectPlugin(appUrl(j, 'payer', randomToken()))
  defer(() => disconnectAll(app))
  const atOne = await startFulfiller(`btp+ws://f:${randomToken()}@127.0.0.1:${one.childPort}`)
  defer(() => atOne.stop())
  const first = await sendPrepare(app, { destination: atOne.address, amount: 1000, executionCondition: atOne.condition })
  assert.equal(first.type, 'fulfill', first.type === 'reject' ? `${first.code} ${first.message}` : '')

  // Pointed at lab-two: Junction leaves lab-one, its routes go; lab-two's come and it learns Junction's.
  const updated = await api.updatePeer({ id: 'lab', url: two.url })
  assert.match(updated.url!, /^btp\+ws:\/\/junction:\*+@127\.0\.0\.1:\d+$/)
  await waitUntil(() => j.routes.get('test.lab-two')?.accountId === 'peer:lab', 10_000, "lab-two's route")
  assert.equal(j.routes.get('test.lab-one'), undefined, "lab-one's route is gone")
  await learns(two, JUNCTION)
  assert.equal(j.accounts.get('peer:lab'), account, 'the same account')

  const atTwo = await startFulfiller(`btp+ws://f:${randomToken()}@127.0.0.1:${two.childPort}`)
  defer(() => atTwo.stop())
  const second = await sendPrepare(app, { destination: atTwo.address, amount: 500, executionCondition: atTwo.condition })
  assert.equal(second.type, 'fulfill', second.type === 'reject' ? `${second.code} ${second.message}` : '')
  const stale = await sendPrepare(app, { destination: atOne.address, amount: 1, executionCondition: atOne.condition })
  assert.equal(stale.type === 'reject' && stale.code, 'F02', 'no route to lab-one any more')

  // The balance adds up across both; each connector's books hold what went through it.
  assert.equal(j.accounts.get('peer:lab')!.balance, -1500n)
  assert.equal(await one.connector.balance('junction'), 1000n)
  assert.equal(await two.connector.balance('junction'), 500n)
  const [view] = await api.listPeers()
  assert.deepEqual([view.name, view.connected, view.balance, view.routes], ['The lab', true, '-1500', 1])
})
