// Node status for the status strip and the Overview: the engine's StatusView, the connection to the engine, and live
// traffic. Loaded once, then kept fresh from events (address, provider, paused, app and settings changes) with a
// coalesced re-fetch where an event only says "something changed".
import { create } from 'zustand'
import type { Client, ConnectionState } from '../api/client'
import type { StatusView, TrafficView } from '../../../shared/api-types'
import { getClient } from './client'

export interface Asset {
  assetCode: string
  assetScale: number
}

export interface StatusState {
  status: StatusView | null
  /** The link between this page and the engine (not the provider link, which is status.provider.state). */
  connection: ConnectionState
  /** Why the last load failed; null after a success. */
  error: unknown
  loading: boolean
  /** The newest `traffic` event; null before the first. */
  traffic: TrafficView | null
  load(): Promise<void>
  /** Pause or resume every app; throws the CallError for the caller to report. */
  setPaused(paused: boolean): Promise<void>
}

const initial = { status: null, connection: 'connecting' as ConnectionState, error: null, loading: false, traffic: null }

export const useStatus = create<StatusState>()((set, get) => ({
  ...initial,
  async load() {
    set({ loading: true })
    try {
      const status = await getClient().call('status', undefined)
      set({ status, error: null, loading: false })
    } catch (error) {
      set({ error, loading: false })
    }
  },
  async setPaused(paused) {
    const result = paused ? await getClient().call('pause', undefined) : await getClient().call('resume', undefined)
    const status = get().status
    if (status) set({ status: { ...status, paused: result.paused } })
  },
}))

/** The asset amounts are shown in; null until the status is loaded. */
export function useAsset(): Asset | null {
  const status = useStatus((s) => s.status)
  return status ? { assetCode: status.assetCode, assetScale: status.assetScale } : null
}

export function resetStatusStore(): void {
  useStatus.setState(initial)
}

/** How often the status is re-read while packets flow (the provider balance has no event of its own). */
const REFRESH_WHILE_BUSY_MS = 3000

/** Subscribes the store to the client's events and connection; returns the unsubscribe. Loads at once. */
export function bindStatusStore(client: Client): () => void {
  const store = useStatus
  let timer: ReturnType<typeof setTimeout> | undefined
  let lastBusyRefresh = 0
  // Many events in a burst (ten apps connecting) become one status call.
  const refreshSoon = () => {
    if (timer) return
    timer = setTimeout(() => {
      timer = undefined
      void store.getState().load()
    }, 50)
  }
  const patch = (fn: (s: StatusView) => StatusView) => {
    const s = store.getState().status
    if (s) store.setState({ status: fn(s) })
  }
  store.setState({ connection: client.state })
  const offs = [
    client.onState((connection) => {
      store.setState({ connection })
      if (connection === 'open') refreshSoon()
    }),
    client.on('address', ({ address }) => patch((s) => ({ ...s, address }))),
    client.on('provider', (state) => {
      patch((s) => ({ ...s, provider: { ...s.provider, state } }))
      // Balance and latency change with the link: read them again.
      refreshSoon()
    }),
    client.on('paused', ({ paused }) => patch((s) => ({ ...s, paused }))),
    // The active provider renamed, or another one active: the strip names it.
    client.on('providersChanged', refreshSoon),
    client.on('appConnected', refreshSoon),
    client.on('appDisconnected', refreshSoon),
    client.on('appChanged', refreshSoon),
    client.on('appForgotten', refreshSoon),
    client.on('settingsChanged', (settings) =>
      patch((s) => ({ ...s, newAppPolicy: settings.newAppPolicy, defaultBudget: settings.defaultBudget, appPort: settings.appPort })),
    ),
    client.on('traffic', (traffic) => store.setState({ traffic })),
    client.on('packets', () => {
      const now = Date.now()
      if (now - lastBusyRefresh < REFRESH_WHILE_BUSY_MS) return
      lastBusyRefresh = now
      refreshSoon()
    }),
  ]
  // Before the page's link to the engine is open a call would only fail: the 'open' state loads instead.
  if (client.state === 'open') void store.getState().load()
  return () => {
    if (timer) clearTimeout(timer)
    for (const off of offs) off()
  }
}
