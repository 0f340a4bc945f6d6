// The order failover tries providers in: the user's order, except that those whose last health check failed go last
// when any other may work; all in the user's order when none is known to work.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { failoverOrder, type HealthVerdict } from '../../../../app/main/engine/providers/provider-switch'

const rows = (...ids: string[]) => ids.map((id) => ({ id }))
const ids = (list: Array<{ id: string }>) => list.map((r) => r.id)
const verdicts = (map: Record<string, HealthVerdict>) => (id: string) => map[id] ?? 'unknown'

describe('failoverOrder', () => {
  it('skips a failed provider for a healthy one later in the order (it stays as a last resort)', () => {
    assert.deepEqual(ids(failoverOrder(rows('b', 'c'), verdicts({ b: 'failed', c: 'healthy' }))), ['c', 'b'])
  })

  it('tries providers not checked yet before failed ones, in the user order', () => {
    assert.deepEqual(ids(failoverOrder(rows('b', 'c', 'd', 'e'), verdicts({ b: 'failed', c: 'unknown', d: 'failed', e: 'healthy' }))), ['c', 'e', 'b', 'd'])
  })

  it('keeps the user order when nothing failed', () => {
    assert.deepEqual(ids(failoverOrder(rows('b', 'c', 'd'), verdicts({ c: 'healthy' }))), ['b', 'c', 'd'])
  })

  it('still tries every provider, in the user order, when all failed their last check', () => {
    assert.deepEqual(ids(failoverOrder(rows('b', 'c'), verdicts({ b: 'failed', c: 'failed' }))), ['b', 'c'])
    assert.deepEqual(failoverOrder([], verdicts({})), [])
  })
})
