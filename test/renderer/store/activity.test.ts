// The Activity store: seeded from recentPackets, fed by `packets` events, newest first, never more than 1000 packets
// (shown and held while paused together), reloaded after a reconnect.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { PacketView } from '../../../app/shared/api-types'
import { MAX_PACKETS, mergePackets, prependBatch, useActivity } from '../../../app/renderer/src/store/activity'
import { engineError } from '../support/fake-transport'
import { setupEngine } from '../support/render'

const T0 = 1_700_000_000_000

function packet(seq: number, over: Partial<PacketView> = {}): PacketView {
  return { seq, time: T0 + seq, app: 'alice', direction: 'out', destination: 'g.shop.x', amount: String(seq), result: 'fulfilled', message: '', ...over }
}

/** Packets seq from..to, newest first (as recentPackets answers). */
function newestFirst(from: number, to: number): PacketView[] {
  const out: PacketView[] = []
  for (let s = to; s >= from; s--) out.push(packet(s))
  return out
}

/** Packets seq from..to, oldest first (as a `packets` event carries them). */
function oldestFirst(from: number, to: number): PacketView[] {
  return newestFirst(from, to).reverse()
}

const seqs = () => useActivity.getState().packets.map((p) => p.seq)

beforeEach(() => useActivity.getState().reset())
afterEach(() => useActivity.getState().reset())

describe('activity store', () => {
  it('asks for the last 1000 packets and keeps them newest first', async () => {
    const engine = setupEngine({ recentPackets: () => newestFirst(1, 3) })
    useActivity.getState().start()
    await vi.waitFor(() => expect(useActivity.getState().status).toBe('ready'))
    expect(engine.callsTo('recentPackets')).toEqual([{ limit: 1000 }])
    expect(seqs()).toEqual([3, 2, 1])
  })

  it('subscribes once however often the page mounts', async () => {
    const engine = setupEngine({ recentPackets: () => [] })
    useActivity.getState().start()
    useActivity.getState().start()
    await vi.waitFor(() => expect(useActivity.getState().status).toBe('ready'))
    engine.emit('packets', [packet(1)])
    expect(seqs()).toEqual([1])
    expect(engine.callsTo('recentPackets')).toHaveLength(1)
  })

  it('puts event batches (oldest first) on top, newest first', async () => {
    const engine = setupEngine({ recentPackets: () => newestFirst(1, 2) })
    useActivity.getState().start()
    await vi.waitFor(() => expect(useActivity.getState().status).toBe('ready'))
    engine.emit('packets', oldestFirst(3, 5))
    expect(seqs()).toEqual([5, 4, 3, 2, 1])
  })

  it('keeps at most 1000 packets, dropping the oldest', async () => {
    const engine = setupEngine({ recentPackets: () => newestFirst(1, 1000) })
    useActivity.getState().start()
    await vi.waitFor(() => expect(useActivity.getState().status).toBe('ready'))
    expect(seqs()).toHaveLength(MAX_PACKETS)
    engine.emit('packets', oldestFirst(1001, 1050))
    expect(seqs()).toHaveLength(1000)
    expect(seqs()[0]).toBe(1050)
    expect(seqs().at(-1)).toBe(51)
    // One batch larger than the bound keeps only its newest 1000.
    engine.emit('packets', oldestFirst(2001, 3500))
    expect(seqs()).toHaveLength(1000)
    expect(seqs()[0]).toBe(3500)
    expect(seqs().at(-1)).toBe(2501)
  })

  it('does not lose packets that arrive while the seed is on its way, nor count one twice', async () => {
    let answer!: (p: PacketView[]) => void
    const engine = setupEngine({ recentPackets: () => new Promise<PacketView[]>((r) => (answer = r)) })
    useActivity.getState().start()
    await vi.waitFor(() => expect(answer).toBeTypeOf('function'))
    engine.emit('packets', oldestFirst(3, 4))
    answer(newestFirst(1, 3))
    await vi.waitFor(() => expect(useActivity.getState().status).toBe('ready'))
    expect(seqs()).toEqual([4, 3, 2, 1])
  })

  it('holds new packets while paused and shows them on resume, within the bound', async () => {
    const engine = setupEngine({ recentPackets: () => newestFirst(1, 1000) })
    useActivity.getState().start()
    await vi.waitFor(() => expect(useActivity.getState().status).toBe('ready'))
    useActivity.getState().setPaused(true)
    engine.emit('packets', oldestFirst(1001, 1010))
    const s = useActivity.getState()
    expect(s.held.map((p) => p.seq)).toEqual(newestFirst(1001, 1010).map((p) => p.seq))
    // The list being read does not move at the top; room is made at its old end.
    expect(s.packets[0]!.seq).toBe(1000)
    expect(s.packets.length + s.held.length).toBe(1000)
    useActivity.getState().setPaused(false)
    expect(useActivity.getState().held).toEqual([])
    expect(seqs()).toHaveLength(1000)
    expect(seqs().slice(0, 3)).toEqual([1010, 1009, 1008])
  })

  it('reports a failed load and recovers on reload', async () => {
    const engine = setupEngine({
      recentPackets: () => {
        throw engineError('unavailable', 'the engine is starting')
      },
    })
    useActivity.getState().start()
    await vi.waitFor(() => expect(useActivity.getState().status).toBe('error'))
    expect((useActivity.getState().error as Error).message).toBe('the engine is starting')
    engine.handle('recentPackets', () => newestFirst(1, 1))
    await useActivity.getState().reload()
    expect(useActivity.getState().status).toBe('ready')
    expect(useActivity.getState().error).toBeNull()
    expect(seqs()).toEqual([1])
  })

  it('loads again when the connection to Junction is back', async () => {
    const engine = setupEngine({ recentPackets: () => newestFirst(1, 1) })
    useActivity.getState().start()
    await vi.waitFor(() => expect(useActivity.getState().status).toBe('ready'))
    engine.handle('recentPackets', () => newestFirst(1, 3))
    engine.setState('closed')
    engine.setState('open')
    await vi.waitFor(() => expect(seqs()).toEqual([3, 2, 1]))
    expect(engine.callsTo('recentPackets')).toHaveLength(2)
  })
})

describe('merging packet lists', () => {
  it('orders by time, then seq, and drops duplicates', () => {
    const merged = mergePackets([packet(2), packet(1)], [packet(3), packet(2)])
    expect(merged.map((p) => p.seq)).toEqual([3, 2, 1])
  })

  it('tells apart packets of two engine runs that share a seq', () => {
    const merged = mergePackets([packet(1, { time: T0 + 5000 })], [packet(1)])
    expect(merged).toHaveLength(2)
  })

  it('prepends a batch within a bound', () => {
    expect(prependBatch(oldestFirst(4, 6), newestFirst(1, 3), 4).map((p) => p.seq)).toEqual([6, 5, 4, 3])
  })
})
