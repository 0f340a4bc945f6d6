// The event feed (app/main/contract-events.ts) on a real connector in memory: every contract event comes from the
// connector event of the same name, state events coalesce to the latest, packet batches are concatenated (capped).
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createEventFeed, createEventThrottle, MAX_PACKETS_PER_FRAME } from '../../app/main/contract-events'
import { createConnector } from '../../app/main/engine/connector'
import type { PacketView } from '../../app/shared/api-types'
import type { EventName } from '../../app/shared/contract'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

function packets(from: number, n: number): PacketView[] {
  return Array.from({ length: n }, (_, i) => ({
    seq: from + i,
    time: 0,
    app: 'a',
    direction: 'out' as const,
    destination: 'g.x',
    amount: String(from + i),
    result: 'fulfilled',
    message: '',
  }))
}

describe('contract event feed', () => {
  it('turns every connector event into its contract event, and stops listening when stopped', async () => {
    const connector = createConnector({ port: 0 })
    const sent: Array<[EventName, unknown]> = []
    const feed = createEventFeed({ connector, intervalMs: 5, send: (event, data) => sent.push([event, data]) })
    connector.emit('address', 'private.x')
    connector.emit('appConnected', 'bob')
    connector.emit('paused', true)
    connector.emit('routesChanged')
    connector.emit('budgetWarning', 'bob', 'near')
    connector.emit('traffic', { packetsPerSecond: 3, fulfilledPerSecond: 2 })
    connector.emit('packets', packets(1, 2))
    assert.deepEqual(sent, [
      ['address', { address: 'private.x' }],
      ['appConnected', { id: 'bob' }],
      ['paused', { paused: true }],
      ['routesChanged', {}],
      ['budgetWarning', { id: 'bob', kind: 'near' }],
      ['traffic', { packetsPerSecond: 3, fulfilledPerSecond: 2 }],
      ['packets', packets(1, 2)],
    ])
    feed.stop()
    assert.equal(connector.listenerCount('packets'), 0)
    assert.equal(connector.listenerCount('address'), 0)
    connector.emit('address', 'private.y')
    assert.equal(sent.length, 7)
  })

  it('coalesces state events to the latest, per stream', async () => {
    const sent: Array<[EventName, unknown]> = []
    const t = createEventThrottle({ intervalMs: 30, send: (e, d) => sent.push([e, d]) })
    t.publish('paused', { paused: true })
    t.publish('paused', { paused: false })
    t.publish('paused', { paused: true })
    t.publish('appChanged', { id: 'a' })
    t.publish('appChanged', { id: 'b' })
    await sleep(80)
    assert.deepEqual(sent, [
      ['paused', { paused: true }],
      ['appChanged', { id: 'a' }],
      ['appChanged', { id: 'b' }],
      ['paused', { paused: true }],
    ])
    t.stop()
  })

  it('never drops packet batches to coalescing: pending ones are joined in order', async () => {
    const sent: PacketView[][] = []
    const t = createEventThrottle({ intervalMs: 30, send: (e, d) => e === 'packets' && sent.push(d as PacketView[]) })
    t.publish('packets', packets(1, 2))
    t.publish('packets', packets(3, 2))
    t.publish('packets', packets(5, 1))
    await sleep(80)
    assert.deepEqual(
      sent.map((b) => b.map((p) => p.seq)),
      [[1, 2], [3, 4, 5]],
    )
    t.stop()
  })

  it('caps a frame at MAX_PACKETS_PER_FRAME packets, dropping the oldest', async () => {
    const sent: PacketView[][] = []
    const t = createEventThrottle({ intervalMs: 30, send: (_e, d) => sent.push(d as PacketView[]) })
    t.publish('packets', packets(1, MAX_PACKETS_PER_FRAME + 10))
    t.publish('packets', packets(1000, 300))
    t.publish('packets', packets(2000, 300))
    await sleep(80)
    assert.equal(sent[0].length, MAX_PACKETS_PER_FRAME)
    assert.equal(sent[0][0].seq, 11, 'the oldest 10 dropped')
    assert.equal(sent[1].length, MAX_PACKETS_PER_FRAME)
    assert.equal(sent[1][0].seq, 1100)
    assert.equal(sent[1].at(-1)!.seq, 2299)
    t.stop()
  })

  it('sends nothing pending after stop', async () => {
    const sent: unknown[] = []
    const t = createEventThrottle({ intervalMs: 20, send: (_e, d) => sent.push(d) })
    t.publish('paused', { paused: true })
    t.publish('paused', { paused: false })
    t.stop()
    t.publish('paused', { paused: true })
    await sleep(50)
    assert.deepEqual(sent, [{ paused: true }])
  })
})
