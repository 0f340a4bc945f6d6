// The Activity page's store: the last packets Junction answered, newest first, bounded so a busy node cannot grow the
// page's memory. Seeded from `recentPackets` (the engine keeps the same 1000 in its ring), then fed by `packets`
// events. A paused list keeps collecting (still bounded) but shows nothing new until resumed, so a person can read.
import { create } from 'zustand'
import type { PacketView } from '../../../shared/api-types'
import { clientSubscription, getClient, type LoadStatus } from './client'

/** At most this many packets are kept: the engine's ring size, so a reload shows the same list. */
export const MAX_PACKETS = 1000

interface ActivityState {
  status: LoadStatus
  /** Why the last load failed (a CallError, for errorMessage); null after a success. */
  error: unknown
  /** Shown, newest first. */
  packets: PacketView[]
  /** Arrived while paused, newest first; merged into `packets` on resume. */
  held: PacketView[]
  paused: boolean
  /** Subscribes to the engine (once per client) and loads the list; safe to call on every mount. */
  start(): void
  /** Loads the list again (after an error, or a reconnect). */
  reload(): Promise<void>
  setPaused(paused: boolean): void
  /** Drops the subscription and every packet (tests, and a client change). */
  reset(): void
}

/** A packet's identity: seq restarts with the engine, so seq and time together. */
export const packetKey = (p: PacketView): string => `${p.seq}@${p.time}`

/** Newest first (by time, then seq), no packet twice, at most MAX_PACKETS. */
export function mergePackets(a: PacketView[], b: PacketView[]): PacketView[] {
  const byKey = new Map<string, PacketView>()
  for (const p of a) byKey.set(packetKey(p), p)
  for (const p of b) if (!byKey.has(packetKey(p))) byKey.set(packetKey(p), p)
  return [...byKey.values()].sort((x, y) => y.time - x.time || y.seq - x.seq).slice(0, MAX_PACKETS)
}

/** Puts a batch from a `packets` event (oldest first) on top of a newest-first list, within the bound. */
export function prependBatch(batch: PacketView[], list: PacketView[], max = MAX_PACKETS): PacketView[] {
  const newest = batch.slice(-max).reverse()
  const keys = new Set(newest.map(packetKey))
  const rest = list.filter((p) => !keys.has(packetKey(p)))
  return newest.concat(rest.slice(0, Math.max(0, max - newest.length)))
}

export const useActivity = create<ActivityState>()((set, get) => {
  const receive = (batch: PacketView[]) => {
    if (batch.length === 0) return
    const { paused, held, packets } = get()
    if (!paused) return set({ packets: prependBatch(batch, packets) })
    // Held and shown together stay within the bound: the oldest shown ones make room.
    const nextHeld = prependBatch(batch, held)
    set({ held: nextHeld, packets: packets.slice(0, Math.max(0, MAX_PACKETS - nextHeld.length)) })
  }

  const live = clientSubscription(
    (client) => [client.on('packets', receive)],
    () => void get().reload(),
  )

  return {
    status: 'idle',
    error: null,
    packets: [],
    held: [],
    paused: false,

    start: live.start,

    async reload() {
      const client = getClient()
      if (get().status !== 'ready') set({ status: 'loading', error: null })
      try {
        const recent = await client.call('recentPackets', { limit: MAX_PACKETS })
        // Packets that came by event during the call (or before a reconnect) are kept, in time order with the seed.
        set((s) => ({
          status: 'ready',
          error: null,
          packets: mergePackets(s.packets, recent).slice(0, MAX_PACKETS - s.held.length),
        }))
      } catch (e) {
        set({ status: 'error', error: e })
      }
    },

    setPaused(paused) {
      if (paused) return set({ paused: true })
      set((s) => ({ paused: false, held: [], packets: mergePackets(s.held, s.packets) }))
    },

    reset() {
      live.stop()
      set({ status: 'idle', error: null, packets: [], held: [], paused: false })
    },
  }
})
