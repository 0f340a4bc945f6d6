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

  it('lets a source replace its own route for a prefix', () => {
    const t = new RoutingTable()
    t.add({ prefix: 'g.x', accountId: 'one', source: 'peer' })
    assert.equal(t.add({ prefix: 'g.x', accountId: 'two', source: 'peer' }), true)
    assert.equal(next(t, 'g.x'), 'two')
    assert.equal(t.list().length, 1)
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
