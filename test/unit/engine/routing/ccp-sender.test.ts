import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import * as Ccp from 'ilp-protocol-ccp'
import * as IlpPacket from 'ilp-packet'
import type { Relation } from '../../../../app/main/engine/accounts/account'
import { createLogger } from '../../../../app/main/engine/log'
import { CcpSender, MAX_EPOCHS_PER_UPDATE } from '../../../../app/main/engine/routing/ccp/ccp-sender'
import { ForwardingTable } from '../../../../app/main/engine/routing/ccp/forwarding-table'
import { RouteExchange } from '../../../../app/main/engine/routing/ccp/route-exchange'
import { RoutingTable } from '../../../../app/main/engine/routing/routing-table'
import { IlpFailure } from '../../../../app/main/engine/ilp/ilp-failure'
import { readPrepare, type Reply } from '../../../../app/main/engine/ilp/packets'
import { account, MemoryLink, prepare, tick } from '../../factories'

const OWN = 'test.junction'
const PEER_CONDITION = createHash('sha256').update(Buffer.alloc(32)).digest()

/** A table as the connector holds it: own address, two apps, a provider and routes from two peers. */
function table(): RoutingTable {
  const t = new RoutingTable()
  t.add({ prefix: '', accountId: 'parent', source: 'parent' })
  t.add({ prefix: OWN, accountId: '', source: 'local' })
  t.add({ prefix: `${OWN}.alice`, accountId: 'alice', source: 'child' })
  t.add({ prefix: 'test.lab', accountId: 'peer:lab', source: 'peer', path: ['test.lab'], auth: Buffer.alloc(32, 9) })
  t.add({ prefix: 'test.far', accountId: 'peer:other', source: 'peer', path: ['test.other', 'test.far'] })
  t.add({ prefix: 'test.up', accountId: 'parent', source: 'parent' })
  return t
}

function sender(forwarding: ForwardingTable, accountId: string, relation: Relation) {
  return new CcpSender({
    accountId,
    relation,
    forwarding,
    ownAddress: () => OWN,
    send: async () => {},
    broadcastIntervalMs: 30_000,
    routeExpiryMs: 45_000,
  })
}

describe('ForwardingTable', () => {
  it('advertises our address and what peers and the provider gave us, with our address first in the path; not the apps nor the default route', () => {
    const f = new ForwardingTable()
    f.update(table().list(), OWN)
    const byPrefix = new Map(f.routes().map((r) => [r.prefix, r]))
    assert.deepEqual([...byPrefix.keys()].sort(), ['test.far', OWN, 'test.lab', 'test.up'])
    assert.deepEqual(byPrefix.get(OWN)!.path, [OWN])
    assert.deepEqual(byPrefix.get('test.far')!.path, [OWN, 'test.other', 'test.far'])
    // A route's auth is forwarded as its hash, as ilp-connector does.
    assert.deepEqual(byPrefix.get('test.lab')!.auth, createHash('sha256').update(Buffer.alloc(32, 9)).digest())
    assert.equal(f.currentEpoch, 4)
  })

  it('logs one epoch per change and nulls superseded entries; a withdrawal is logged once', () => {
    const t = table()
    const f = new ForwardingTable()
    f.update(t.list(), OWN)
    const before = f.currentEpoch
    assert.equal(f.update(t.list(), OWN), false, 'nothing changed, nothing logged')
    t.remove('test.far', 'peer')
    f.update(t.list(), OWN)
    assert.equal(f.currentEpoch, before + 1)
    const last = f.log[before]!
    assert.deepEqual([last.prefix, last.route], ['test.far', undefined])
    assert.equal(f.log.filter((e) => e?.prefix === 'test.far').length, 1, 'the advertisement it replaced is nulled')
    assert.equal(f.update(t.list(), OWN), false)
  })
})

describe('CcpSender', () => {
  it('never advertises a route back to the account it leads to: that peer gets it as withdrawn', () => {
    const f = new ForwardingTable()
    f.update(table().list(), OWN)
    const update = sender(f, 'peer:lab', 'peer').nextUpdate()!
    assert.deepEqual(update.newRoutes.map((r) => r.prefix).sort(), ['test.far', OWN, 'test.up'])
    assert.deepEqual(update.withdrawnRoutes, ['test.lab'])
    assert.equal(update.speaker, OWN)
    assert.equal(update.holdDownTime, 45_000)
    assert.equal(update.routingTableId, f.routingTableId)
    assert.deepEqual([update.fromEpochIndex, update.toEpochIndex, update.currentEpochIndex], [0, 4, 4])
  })

  it('gives a parent only our own routes', () => {
    const f = new ForwardingTable()
    f.update(table().list(), OWN)
    const update = sender(f, 'parent', 'parent').nextUpdate()!
    assert.deepEqual(
      update.newRoutes.map((r) => r.prefix),
      [OWN],
    )
    assert.deepEqual(update.withdrawnRoutes.sort(), ['test.far', 'test.lab', 'test.up'])
  })

  it('starts from the epoch the peer has when it knows our table id, from 0 otherwise; at most 50 epochs per update', () => {
    const t = new RoutingTable()
    const f = new ForwardingTable()
    for (let i = 0; i < 120; i++) t.add({ prefix: `test.n${i}`, accountId: 'peer:x', source: 'peer', path: [`test.n${i}`] })
    f.update(t.list(), OWN)
    const s = sender(f, 'peer:y', 'peer')
    s.handleControl({ mode: Ccp.Mode.MODE_IDLE, lastKnownRoutingTableId: f.routingTableId, lastKnownEpoch: 100, features: [] })
    assert.deepEqual([s.nextUpdate()!.fromEpochIndex, s.nextUpdate()!.toEpochIndex], [100, 120])
    s.handleControl({ mode: Ccp.Mode.MODE_IDLE, lastKnownRoutingTableId: '00000000-0000-0000-0000-000000000000', lastKnownEpoch: 100, features: [] })
    const first = s.nextUpdate()!
    assert.deepEqual([first.fromEpochIndex, first.toEpochIndex, first.newRoutes.length], [0, MAX_EPOCHS_PER_UPDATE, MAX_EPOCHS_PER_UPDATE])
    // An epoch from the future (the peer is confused) is capped at ours.
    s.handleControl({ mode: Ccp.Mode.MODE_IDLE, lastKnownRoutingTableId: f.routingTableId, lastKnownEpoch: 999, features: [] })
    assert.equal(s.lastKnownEpoch, 120)
    s.stop()
  })
})

describe('RouteExchange', () => {
  function setup() {
    const t = new RoutingTable()
    t.add({ prefix: OWN, accountId: '', source: 'local' })
    const exchange = new RouteExchange({ table: t, ownAddress: () => OWN, log: createLogger('test', () => {}) })
    const peer = account('peer:lab', { relation: 'peer' })
    const fulfillAll = () => IlpPacket.serializeIlpFulfill({ fulfillment: Buffer.alloc(32), data: Buffer.alloc(0) })
    const link = new MemoryLink(fulfillAll)
    peer.link = link
    return { t, exchange, peer, link }
  }

  const ccp = (destination: string, data: Buffer) => prepare({ amount: 0n, destination, executionCondition: PEER_CONDITION, data })

  it('asks a peer for its routes as soon as it is attached, in sync mode from epoch 0', async () => {
    const { exchange, peer, link } = setup()
    exchange.attach(peer, { send: true, receive: true })
    await tick()
    const sent = readPrepare(link.sent[0])
    assert.equal(sent.destination, 'peer.route.control')
    assert.equal(sent.amount, 0n)
    assert.deepEqual(sent.executionCondition, PEER_CONDITION)
    const control = Ccp.deserializeCcpRouteControlRequestPayload(sent.data)
    assert.deepEqual([control.mode, control.lastKnownEpoch], [Ccp.Mode.MODE_SYNC, 0])
    exchange.stop()
  })

  it('answers route control and update with the peer-protocol fulfillment, and applies the update', () => {
    const { t, exchange, peer } = setup()
    exchange.attach(peer, { send: true, receive: true })
    const control = Ccp.serializeCcpRouteControlRequestPayload({
      mode: Ccp.Mode.MODE_SYNC,
      lastKnownRoutingTableId: '00000000-0000-0000-0000-000000000000',
      lastKnownEpoch: 0,
      features: [],
    })
    const answer = exchange.handle(peer, ccp('peer.route.control', control)) as Reply
    assert.deepEqual(answer.fulfillment, Buffer.alloc(32))
    assert.equal(exchange.sender(peer.id)!.mode, Ccp.Mode.MODE_SYNC)
    const update = Ccp.serializeCcpRouteUpdateRequestPayload({
      routingTableId: '3b5e0fb1-5a1b-4d47-8f4c-1a0d0e1b6f01',
      currentEpochIndex: 1,
      fromEpochIndex: 0,
      toEpochIndex: 1,
      holdDownTime: 45_000,
      speaker: 'test.lab',
      newRoutes: [{ prefix: 'test.lab', path: ['test.lab'], auth: Buffer.alloc(32), props: [] }],
      withdrawnRoutes: [],
    })
    assert.ok((exchange.handle(peer, ccp('peer.route.update', update)) as Reply).fulfillment)
    assert.equal(t.lookup('test.lab.bob')?.accountId, 'peer:lab')
    exchange.stop()
  })

  it('asks again from the epoch it has when an update has a gap (and still fulfills it)', async () => {
    const { exchange, peer, link } = setup()
    exchange.attach(peer, { send: false, receive: true })
    await tick()
    const update = Ccp.serializeCcpRouteUpdateRequestPayload({
      routingTableId: '3b5e0fb1-5a1b-4d47-8f4c-1a0d0e1b6f01',
      currentEpochIndex: 9,
      fromEpochIndex: 5,
      toEpochIndex: 9,
      holdDownTime: 45_000,
      speaker: 'test.lab',
      newRoutes: [],
      withdrawnRoutes: [],
    })
    assert.ok((exchange.handle(peer, ccp('peer.route.update', update)) as Reply).fulfillment)
    await tick()
    assert.equal(link.sent.length, 2)
    const control = Ccp.deserializeCcpRouteControlRequestPayload(readPrepare(link.sent[1]).data)
    assert.deepEqual([control.lastKnownRoutingTableId, control.lastKnownEpoch], ['3b5e0fb1-5a1b-4d47-8f4c-1a0d0e1b6f01', 0])
    exchange.stop()
  })

  it('refuses route messages from apps, without the peer condition, malformed, or from a peer it does not exchange with', () => {
    const { exchange, peer } = setup()
    const app = account('alice')
    const code = (r: unknown) => (r instanceof IlpFailure ? `${r.code} ${r.message}` : 'a reply')
    assert.match(code(exchange.handle(app, ccp('peer.route.control', Buffer.alloc(0)))), /^F00 .*apps \(children\) never/)
    exchange.attach(peer, { send: false, receive: false })
    assert.match(code(exchange.handle(peer, ccp('peer.route.control', Buffer.alloc(30)))), /^F00 Junction does not send routes to peer:lab/)
    assert.match(code(exchange.handle(peer, ccp('peer.route.update', Buffer.alloc(30)))), /^F00 Junction does not take routes from peer:lab/)
    exchange.attach(peer, { send: true, receive: true })
    assert.match(code(exchange.handle(peer, ccp('peer.route.update', Buffer.from('garbage')))), /^F00 malformed route update/)
    assert.match(code(exchange.handle(peer, ccp('peer.route.control', Buffer.alloc(0)))), /^F00 malformed route control/)
    assert.match(code(exchange.handle(peer, { ...ccp('peer.route.control', Buffer.alloc(0)), executionCondition: Buffer.alloc(32, 1) })), /^F00 .*peer-protocol condition/)
    exchange.stop()
  })

  it('withdraws a peer’s routes when it is detached (its link went down)', () => {
    const { t, exchange, peer } = setup()
    exchange.attach(peer, { send: true, receive: true })
    const update = Ccp.serializeCcpRouteUpdateRequestPayload({
      routingTableId: '3b5e0fb1-5a1b-4d47-8f4c-1a0d0e1b6f01',
      currentEpochIndex: 1,
      fromEpochIndex: 0,
      toEpochIndex: 1,
      holdDownTime: 45_000,
      speaker: 'test.lab',
      newRoutes: [{ prefix: 'test.lab', path: ['test.lab'], auth: Buffer.alloc(32), props: [] }],
      withdrawnRoutes: [],
    })
    exchange.handle(peer, ccp('peer.route.update', update))
    assert.ok(t.get('test.lab'))
    exchange.detach(peer.id)
    assert.equal(t.get('test.lab'), undefined)
    exchange.stop()
  })
})
