import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { CcpRouteUpdateRequest } from 'ilp-protocol-ccp'
import { CcpReceiver } from '../../../../app/main/engine/routing/ccp/ccp-receiver'
import { globalPrefixOf, routeProblem } from '../../../../app/main/engine/routing/ccp/route-filter'
import { RoutingTable } from '../../../../app/main/engine/routing/routing-table'

const OWN = 'test.junction'
const TABLE_A = '3b5e0fb1-5a1b-4d47-8f4c-1a0d0e1b6f01'
const TABLE_B = '9c2a4e11-0d33-4c1e-9a77-6b1f3e2d8a02'
const PEER = 'peer:lab'

function update(fields: Partial<CcpRouteUpdateRequest>): CcpRouteUpdateRequest {
  return {
    routingTableId: TABLE_A,
    currentEpochIndex: 0,
    fromEpochIndex: 0,
    toEpochIndex: 0,
    holdDownTime: 45_000,
    speaker: 'test.lab',
    newRoutes: [],
    withdrawnRoutes: [],
    ...fields,
  }
}

const route = (prefix: string, path: string[] = ['test.lab']) => ({ prefix, path, auth: Buffer.alloc(32, 1), props: [] })

function setup() {
  let now = 1_000_000
  const table = new RoutingTable()
  const expired: number[] = []
  const receiver = new CcpReceiver({ accountId: PEER, table, ownAddress: () => OWN, now: () => now, onExpired: (n) => expired.push(n) })
  return {
    table,
    receiver,
    expired,
    advance: (ms: number) => {
      now += ms
    },
    now: () => now,
  }
}

describe('route filter', () => {
  it('takes the global prefix from the first segment of our address', () => {
    assert.equal(globalPrefixOf('g.alice.junction'), 'g')
    assert.equal(globalPrefixOf('test.junction'), 'test')
    assert.equal(globalPrefixOf('private.junction'), 'private')
  })

  it('refuses routes outside the global prefix, the global prefix itself, loops and our own address space', () => {
    assert.equal(routeProblem('test.lab', ['test.lab'], OWN), undefined)
    assert.match(routeProblem('g.lab', ['g.lab'], OWN)!, /outside the global prefix test/)
    assert.match(routeProblem('test', ['test.lab'], OWN)!, /outside the global prefix/)
    assert.match(routeProblem('testnet.x', ['test.lab'], OWN)!, /outside the global prefix/, 'a segment boundary, not a string prefix')
    assert.match(routeProblem('test.far', ['test.lab', OWN, 'test.far'], OWN)!, /loop/)
    assert.match(routeProblem(OWN, ['test.lab'], OWN)!, /own address space/)
    assert.match(routeProblem(`${OWN}.alice`, ['test.lab'], OWN)!, /own address space/)
    assert.equal(routeProblem(`${OWN}x.alice`, ['test.lab'], OWN), undefined, 'test.junctionx is another node')
  })
})

describe('CcpReceiver', () => {
  it('puts new routes in the table as the peer’s offers with path and expiry, and withdraws them', () => {
    const { table, receiver, now } = setup()
    const out = receiver.handleUpdate(update({ toEpochIndex: 2, newRoutes: [route('test.lab'), route('test.far', ['test.lab', 'test.far'])] }))
    assert.deepEqual(out, { applied: true, added: 2, withdrawn: 0, refused: [] })
    const far = table.lookup('test.far.bob')!
    assert.deepEqual([far.accountId, far.source, far.path, far.expiresAt], [PEER, 'peer', ['test.lab', 'test.far'], now() + 45_000])
    assert.equal(receiver.epoch, 2)

    receiver.handleUpdate(update({ fromEpochIndex: 2, toEpochIndex: 3, withdrawnRoutes: ['test.far', 'test.never-had'] }))
    assert.equal(table.lookup('test.far.bob'), undefined)
    assert.equal(table.lookup('test.lab.x')?.accountId, PEER)
    assert.equal(receiver.epoch, 3)
  })

  it('drops routes outside the global prefix, through our address or inside it, and a known route that now loops', () => {
    const { table, receiver } = setup()
    receiver.handleUpdate(update({ toEpochIndex: 1, newRoutes: [route('test.far', ['test.lab', 'test.far'])] }))
    const out = receiver.handleUpdate(
      update({
        fromEpochIndex: 1,
        toEpochIndex: 5,
        newRoutes: [route('g.live'), route('test.far', ['test.lab', OWN, 'test.far']), route(`${OWN}.alice`), route('test.ok')],
      }),
    )
    assert.ok(out.applied)
    assert.deepEqual(
      out.refused.map((r) => r.prefix),
      ['g.live', 'test.far', `${OWN}.alice`],
    )
    assert.deepEqual(
      table.list().map((r) => r.prefix),
      ['test.ok'],
    )
  })

  it('does not apply an update with a gap, and says which epoch it has', () => {
    const { table, receiver } = setup()
    receiver.handleUpdate(update({ toEpochIndex: 4, newRoutes: [route('test.a')] }))
    const out = receiver.handleUpdate(update({ fromEpochIndex: 6, toEpochIndex: 9, newRoutes: [route('test.b')] }))
    assert.deepEqual(out, { applied: false, gap: true, epoch: 4 })
    assert.equal(table.get('test.b'), undefined)
    assert.equal(receiver.epoch, 4)
    // The resent update from epoch 4 then applies.
    assert.ok(receiver.handleUpdate(update({ fromEpochIndex: 4, toEpochIndex: 9, newRoutes: [route('test.b')] })).applied)
    assert.equal(table.get('test.b')?.accountId, PEER)
  })

  it('ignores an update older than the epoch it has, and applies an overlapping one', () => {
    const { table, receiver } = setup()
    receiver.handleUpdate(update({ toEpochIndex: 5, newRoutes: [route('test.a')] }))
    assert.deepEqual(receiver.handleUpdate(update({ fromEpochIndex: 1, toEpochIndex: 3, withdrawnRoutes: ['test.a'] })), { applied: false, gap: false })
    assert.equal(table.get('test.a')?.accountId, PEER)
    assert.ok(receiver.handleUpdate(update({ fromEpochIndex: 3, toEpochIndex: 7, newRoutes: [route('test.b')] })).applied)
    assert.equal(receiver.epoch, 7)
  })

  it('starts again at epoch 0 and forgets the old table’s routes when the routing-table id changes', () => {
    const { table, receiver } = setup()
    receiver.handleUpdate(update({ toEpochIndex: 8, newRoutes: [route('test.old')] }))
    const gap = receiver.handleUpdate(update({ routingTableId: TABLE_B, fromEpochIndex: 3, toEpochIndex: 4, newRoutes: [route('test.new')] }))
    assert.deepEqual(gap, { applied: false, gap: true, epoch: 0 })
    assert.equal(table.get('test.old'), undefined)
    assert.equal(receiver.routingTableId, TABLE_B)
    assert.ok(receiver.handleUpdate(update({ routingTableId: TABLE_B, toEpochIndex: 4, newRoutes: [route('test.new')] })).applied)
    assert.deepEqual(
      table.list().map((r) => r.prefix),
      ['test.new'],
    )
  })

  it('purges the peer’s routes once their hold-down time passes without an update; a heartbeat renews them', () => {
    const { table, receiver, advance, now, expired } = setup()
    receiver.handleUpdate(update({ toEpochIndex: 2, holdDownTime: 1000, newRoutes: [route('test.a'), route('test.b')] }))
    advance(900)
    assert.equal(receiver.purgeIfExpired(), 0)
    // A heartbeat: no routes, the next epochs; every route gets a new expiry.
    receiver.handleUpdate(update({ fromEpochIndex: 2, toEpochIndex: 2, holdDownTime: 1000 }))
    assert.equal(table.get('test.a')?.expiresAt, now() + 1000)
    advance(900)
    assert.equal(receiver.purgeIfExpired(), 0)
    assert.equal(table.list().length, 2)
    advance(100)
    assert.equal(receiver.purgeIfExpired(), 2)
    assert.deepEqual(table.list(), [])
    assert.deepEqual(expired, [2])
    // Epoch 0 again: the peer's next update (from epoch 2) is a gap, which asks it for everything.
    assert.equal(receiver.epoch, 0)
    assert.deepEqual(receiver.handleUpdate(update({ fromEpochIndex: 2, toEpochIndex: 2 })), { applied: false, gap: true, epoch: 0 })
    receiver.stop()
  })

  it('purges by its own timer', async () => {
    const table = new RoutingTable()
    const receiver = new CcpReceiver({ accountId: PEER, table, ownAddress: () => OWN })
    let purged = false
    const changed = new Promise<void>((resolve) =>
      table.watch(() => {
        if (table.list().length === 0) {
          purged = true
          resolve()
        }
      }),
    )
    receiver.handleUpdate(update({ toEpochIndex: 1, holdDownTime: 30, newRoutes: [route('test.a')] }))
    assert.equal(table.list().length, 1)
    // The purge timer does not keep a process alive (unref); this test must.
    const keepAlive = setInterval(() => {}, 1000)
    await changed.finally(() => clearInterval(keepAlive))
    assert.ok(purged)
    assert.equal(receiver.routeCount, 0)
  })

  it('reset() (the link went down) removes only this peer’s offers', () => {
    const { table, receiver } = setup()
    table.add({ prefix: 'test.a', accountId: 'peer:other', source: 'peer', path: ['test.other', 'test.a'] })
    receiver.handleUpdate(update({ toEpochIndex: 1, newRoutes: [route('test.a')] }))
    assert.equal(table.get('test.a')?.accountId, PEER)
    receiver.reset()
    assert.equal(table.get('test.a')?.accountId, 'peer:other')
    assert.equal(receiver.epoch, 0)
  })
})

describe('CcpReceiver without an address', () => {
  it('applies nothing before Junction has its address, so the next update is a gap that brings everything again', () => {
    let own: string | undefined
    const table = new RoutingTable()
    const receiver = new CcpReceiver({ accountId: PEER, table, ownAddress: () => own })
    assert.deepEqual(receiver.handleUpdate(update({ toEpochIndex: 3, newRoutes: [route('test.a')] })), { applied: false, gap: false })
    assert.equal(table.list().length, 0)
    own = OWN
    assert.deepEqual(receiver.handleUpdate(update({ fromEpochIndex: 3, toEpochIndex: 4 })), { applied: false, gap: true, epoch: 0 })
    assert.ok(receiver.handleUpdate(update({ toEpochIndex: 4, newRoutes: [route('test.a')] })).applied)
    assert.equal(table.get('test.a')?.accountId, PEER)
    receiver.stop()
  })
})

describe('CCP receiver after an address change', () => {
  it('drops the routes that loop through the new address or fall inside it and keeps the rest', () => {
    const { table, receiver } = setup()
    const outcome = receiver.handleUpdate(
      update({
        toEpochIndex: 1,
        newRoutes: [route('test.lab'), route('test.far', ['test.lab', 'test.ilsp-b.junction', 'test.far']), route('test.ilsp-b.junction.shop')],
      }),
    )
    assert.equal(outcome.applied && outcome.added, 3)
    assert.equal(receiver.routeCount, 3)

    const dropped = receiver.recheck('test.ilsp-b.junction')
    assert.deepEqual(
      dropped.map((d) => d.prefix),
      ['test.far', 'test.ilsp-b.junction.shop'],
    )
    assert.match(dropped[0].why, /loop/)
    assert.match(dropped[1].why, /own address space/)
    assert.deepEqual(
      table.list().map((r) => r.prefix),
      ['test.lab'],
    )
    assert.equal(receiver.routeCount, 1)
    // Nothing to drop the second time.
    assert.deepEqual(receiver.recheck('test.ilsp-b.junction'), [])
  })
})
