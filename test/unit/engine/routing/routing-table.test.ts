import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { type RouteSource, RoutingTable } from '../../../../app/main/engine/routing/routing-table'

function table(routes: Array<[prefix: string, accountId: string, source?: RouteSource]>): RoutingTable {
  const t = new RoutingTable()
  for (const [prefix, accountId, source = 'configured'] of routes) t.add({ prefix, accountId, source })
  return t
}

const next = (t: RoutingTable, destination: string) => t.lookup(destination)?.accountId

describe('RoutingTable.lookup', () => {
  it('matches a prefix only on a segment boundary', () => {
    const t = table([['g.a', 'A']])
    assert.equal(next(t, 'g.a'), 'A')
    assert.equal(next(t, 'g.a.b'), 'A')
    assert.equal(next(t, 'g.ab'), undefined)
    assert.equal(next(t, 'g.ab.c'), undefined)
    assert.equal(next(t, 'g'), undefined)
  })

  it('picks the longest matching prefix', () => {
    const t = table([
      ['g', 'G'],
      ['g.a', 'A'],
      ['g.a.b', 'B'],
    ])
    assert.equal(next(t, 'g.a.b.c.d'), 'B')
    assert.equal(next(t, 'g.a.b'), 'B')
    assert.equal(next(t, 'g.a.bc'), 'A')
    assert.equal(next(t, 'g.a.x'), 'A')
    assert.equal(next(t, 'g.x'), 'G')
    assert.equal(next(t, 'test.x'), undefined)
  })

  it("uses the default route '' for anything without a longer match", () => {
    const t = table([
      ['', 'parent', 'parent'],
      ['private.junction.alice', 'alice', 'child'],
    ])
    assert.equal(next(t, 'g.anything.at.all'), 'parent')
    assert.equal(next(t, 'private.junction.alicex'), 'parent')
    assert.equal(next(t, 'private.junction.alice.stream.1'), 'alice')
  })

  it('finds nothing in an empty table', () => {
    assert.equal(new RoutingTable().lookup('g.a'), undefined)
  })
})

describe('RoutingTable preference', () => {
  const order: RouteSource[] = ['configured', 'local', 'child', 'peer', 'parent']

  it('keeps the more preferred source whichever is added first: configured > local > child > peer > parent', () => {
    for (let i = 0; i < order.length; i++) {
      for (let j = i + 1; j < order.length; j++) {
        const better = order[i]
        const worse = order[j]
        const t1 = new RoutingTable()
        assert.equal(t1.add({ prefix: 'g.x', accountId: better, source: better }), true)
        assert.equal(t1.add({ prefix: 'g.x', accountId: worse, source: worse }), false, `${worse} over ${better}`)
        assert.equal(next(t1, 'g.x'), better)

        const t2 = new RoutingTable()
        assert.equal(t2.add({ prefix: 'g.x', accountId: worse, source: worse }), true)
        assert.equal(t2.add({ prefix: 'g.x', accountId: better, source: better }), true, `${better} over ${worse}`)
        assert.equal(next(t2, 'g.x'), better)
      }
    }
  })

  it('lets a source replace its own route for a prefix (peers: each peer its own)', () => {
    const t = new RoutingTable()
    t.add({ prefix: 'g.x', accountId: 'one', source: 'parent' })
    assert.equal(t.add({ prefix: 'g.x', accountId: 'two', source: 'parent' }), true)
    assert.equal(next(t, 'g.x'), 'two')
    assert.equal(t.offers('g.x').length, 1)
    t.add({ prefix: 'g.x', accountId: 'peer:b', source: 'peer', path: ['g.b'] })
    t.add({ prefix: 'g.x', accountId: 'peer:b', source: 'peer', path: ['g.b', 'g.c'] })
    assert.equal(t.offers('g.x').length, 2, 'a peer replaces its own offer')
    assert.equal(t.list().length, 1)
  })

  it('among peers prefers the shorter path, then the lower account id, whatever the order of arrival', () => {
    const t = new RoutingTable()
    assert.equal(t.add({ prefix: 'g.x', accountId: 'peer:far', source: 'peer', path: ['g.a', 'g.b', 'g.x'] }), true)
    assert.equal(t.add({ prefix: 'g.x', accountId: 'peer:near', source: 'peer', path: ['g.c', 'g.x'] }), true)
    assert.equal(t.add({ prefix: 'g.x', accountId: 'peer:z', source: 'peer', path: ['g.d', 'g.e', 'g.f', 'g.x'] }), false)
    assert.equal(next(t, 'g.x.y'), 'peer:near')
    assert.equal(t.add({ prefix: 'g.x', accountId: 'peer:another', source: 'peer', path: ['g.q', 'g.x'] }), true, 'same length, lower id')
    assert.equal(next(t, 'g.x'), 'peer:another')
    // A parent's route never beats a peer's, however short its path.
    assert.equal(t.add({ prefix: 'g.x', accountId: 'parent', source: 'parent' }), false)
  })

  it('falls back to the next best offer when the best one goes', () => {
    const t = new RoutingTable()
    t.add({ prefix: 'g.x', accountId: 'parent', source: 'parent' })
    t.add({ prefix: 'g.x', accountId: 'peer:a', source: 'peer', path: ['g.a'] })
    t.add({ prefix: 'g.x', accountId: 'peer:b', source: 'peer', path: ['g.b', 'g.x'] })
    t.add({ prefix: 'g.x', accountId: 'x', source: 'configured' })
    assert.equal(next(t, 'g.x'), 'x')
    t.remove('g.x', 'configured')
    assert.equal(next(t, 'g.x'), 'peer:a')
    t.removeSource('peer', 'peer:a')
    assert.equal(next(t, 'g.x'), 'peer:b')
    t.remove('g.x', 'peer', 'peer:b')
    assert.equal(next(t, 'g.x'), 'parent')
    t.remove('g.x', 'parent')
    assert.equal(t.get('g.x'), undefined)
    assert.deepEqual(t.list(), [])
  })

  it('applies preference per prefix, not across prefixes', () => {
    const t = table([
      ['g', 'configured-g', 'configured'],
      ['g.a', 'parent-ga', 'parent'],
    ])
    // The longer prefix wins even though its source is less preferred.
    assert.equal(next(t, 'g.a.b'), 'parent-ga')
  })
})

describe('RoutingTable change notices', () => {
  it('tells watchers of every change, once per batch', () => {
    let calls = 0
    const t = new RoutingTable(() => calls++)
    t.add({ prefix: 'g.a', accountId: 'A', source: 'configured' })
    assert.equal(calls, 1)
    t.batch(() => {
      t.add({ prefix: 'g.b', accountId: 'peer:p', source: 'peer' })
      t.add({ prefix: 'g.c', accountId: 'peer:p', source: 'peer' })
      t.remove('g.a', 'configured')
    })
    assert.equal(calls, 2)
    t.remove('g.nothing', 'peer')
    t.removeSource('child')
    assert.equal(calls, 2, 'no notice when nothing changed')
    t.removeSource('peer', 'peer:p')
    assert.equal(calls, 3, 'removing a source is one change')
  })
})

describe('RoutingTable removal', () => {
  it('remove() deletes a route only when it comes from the given source', () => {
    const t = table([['g.x', 'X', 'child']])
    t.remove('g.x', 'peer')
    assert.equal(next(t, 'g.x'), 'X')
    t.remove('g.x', 'child')
    assert.equal(next(t, 'g.x'), undefined)
    t.remove('g.x', 'child') // removing again is harmless
  })

  it('removeSource() deletes every route of one source and nothing else', () => {
    const t = table([
      ['', 'parent', 'parent'],
      ['g.p', 'parent', 'parent'],
      ['private.junction.alice', 'alice', 'child'],
      ['private.junction', '', 'local'],
    ])
    t.removeSource('parent')
    assert.equal(next(t, 'g.p.x'), undefined)
    assert.equal(next(t, 'g.other'), undefined)
    assert.equal(next(t, 'private.junction.alice'), 'alice')
    assert.equal(next(t, 'private.junction.bob'), '')
    assert.deepEqual(
      t.list().map((r) => r.prefix),
      ['private.junction', 'private.junction.alice'],
    )
  })

  it('list() returns every route sorted by prefix', () => {
    const t = table([
      ['g.b', 'B'],
      ['', 'D'],
      ['g.a', 'A'],
    ])
    assert.deepEqual(
      t.list().map((r) => [r.prefix, r.accountId]),
      [
        ['', 'D'],
        ['g.a', 'A'],
        ['g.b', 'B'],
      ],
    )
  })
})
