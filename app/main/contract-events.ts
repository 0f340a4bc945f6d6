// The contract's events (app/shared/contract.ts) fed from the engine: each connector event becomes the contract event
// of the same name, throttled per stream so a UI never gets more than about 10 frames a second of one kind. Headless
// mode's WebSocket server (api-server.ts) and the desktop app's IPC both send what this feed gives them.
//
// A stream is an event name, plus the app id for events about one app (a burst about one app never delays news of
// another). The first event of a quiet stream goes out at once; what comes within the interval after it is coalesced
// and sent when the interval is over:
// - state events (address, provider, appChanged, paused, traffic, settingsChanged, …): the latest wins, since each
//   says "this is how it is now" (or "fetch it again");
// - packet batches (`packets`) are not state: pending batches are concatenated, so no packet is lost to coalescing.
//   One frame carries at most MAX_PACKETS_PER_FRAME packets; beyond that the oldest are dropped. The Activity page
//   keeps a bounded list anyway, and recentPackets can always fetch the newest 1000 again, so a UI that fell that
//   far behind loses only rows it would scroll away.
import type { EventName, EventPayload } from '../shared/contract'
import type { PacketView, ProviderLinkState } from '../shared/api-types'
import type { Connector, ConnectorEvents } from './engine/connector'

/** At most one frame per event stream per this many ms (≈10/s). */
export const EVENT_INTERVAL_MS = 100
/** The most packets one `packets` frame carries (the oldest beyond it are dropped). */
export const MAX_PACKETS_PER_FRAME = 500

export type SendEvent = <E extends EventName>(event: E, data: EventPayload<E>) => void

export interface EventThrottle {
  /** Sends at once, or coalesced at the end of the stream's interval. */
  publish<E extends EventName>(event: E, data: EventPayload<E>): void
  /** Drops whatever is pending. */
  stop(): void
}

interface Stream {
  event: EventName
  last: number
  pending: unknown
  hasPending: boolean
  timer: ReturnType<typeof setTimeout> | undefined
}

/** The per-stream throttle alone (the feed below uses it; `publish` lets a server push events of its own). */
export function createEventThrottle(opts: { intervalMs?: number; send: SendEvent }): EventThrottle {
  const interval = opts.intervalMs ?? EVENT_INTERVAL_MS
  const streams = new Map<string, Stream>()
  const send = (event: EventName, data: unknown) => opts.send(event, data as never)
  let stopped = false

  return {
    publish(event, data) {
      if (stopped) return
      const id = Array.isArray(data) ? undefined : (data as { id?: unknown }).id
      const key = typeof id === 'string' ? `${event}\u0000${id}` : event
      let s = streams.get(key)
      if (!s) streams.set(key, (s = { event, last: 0, pending: undefined, hasPending: false, timer: undefined }))
      const now = Date.now()
      if (s.timer === undefined && now - s.last >= interval) {
        s.last = now
        send(event, event === 'packets' ? capPackets(data as PacketView[]) : data)
        return
      }
      if (event === 'packets') {
        const batch = data as PacketView[]
        s.pending = s.hasPending ? capPackets((s.pending as PacketView[]).concat(batch)) : capPackets(batch)
      } else {
        s.pending = data
      }
      s.hasPending = true
      const stream = s
      stream.timer ??= setTimeout(
        () => {
          stream.timer = undefined
          stream.last = Date.now()
          const latest = stream.pending
          stream.pending = undefined
          stream.hasPending = false
          send(stream.event, latest)
        },
        Math.max(0, stream.last + interval - now),
      )
    },
    stop() {
      stopped = true
      for (const s of streams.values()) clearTimeout(s.timer)
      streams.clear()
    },
  }
}

function capPackets(batch: PacketView[]): PacketView[] {
  return batch.length > MAX_PACKETS_PER_FRAME ? batch.slice(batch.length - MAX_PACKETS_PER_FRAME) : batch
}

/**
 * Connector event → contract payload. Every contract event has its source here and the other way round (the mapped
 * type makes a missing or extra one a compile error); the one table is used to add and to remove the listeners.
 */
const payloads: { [E in EventName]: (...args: ConnectorEvents[E]) => EventPayload<E> } = {
  address: (address) => ({ address }),
  provider: (state) => state as ProviderLinkState,
  appConnected: (id) => ({ id }),
  appDisconnected: (id) => ({ id }),
  appChanged: (id) => ({ id }),
  appForgotten: (id) => ({ id }),
  packets: (batch) => batch,
  traffic: (view) => view,
  paused: (paused) => ({ paused }),
  routesChanged: () => ({}),
  budgetWarning: (id, kind) => ({ id, kind }),
  settingsChanged: (settings) => settings,
  providersChanged: () => ({}),
  providerFailover: (event) => event,
  peersChanged: () => ({}),
  ratesChanged: (rates) => rates,
}

export type EventFeed = EventThrottle

/**
 * Listens to the connector and sends every contract event, throttled, to `send` until stopped. While a feed runs the
 * engine builds packet views for it (10 times a second at most); stop it when nobody is watching.
 */
export function createEventFeed(opts: { connector: Connector; intervalMs?: number; send: SendEvent }): EventFeed {
  const throttle = createEventThrottle({ intervalMs: opts.intervalMs, send: opts.send })
  type Listener = (...args: unknown[]) => void
  const emitter = opts.connector as unknown as { on(name: string, fn: Listener): void; off(name: string, fn: Listener): void }
  const listeners = (Object.keys(payloads) as EventName[]).map((name): [EventName, Listener] => {
    const toPayload = payloads[name] as (...args: unknown[]) => EventPayload<EventName>
    return [name, (...args) => throttle.publish(name, toPayload(...args))]
  })
  for (const [name, fn] of listeners) emitter.on(name, fn)
  let stopped = false
  return {
    publish: throttle.publish,
    stop() {
      if (stopped) return
      stopped = true
      for (const [name, fn] of listeners) emitter.off(name, fn)
      throttle.stop()
    },
  }
}
