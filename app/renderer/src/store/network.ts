// The node's accounts (provider, apps, peers) and its routing table, for the Peers & Routes, Settlements and Providers
// pages. Routes are fetched again on `routesChanged`; accounts when the provider link changes and, while packets
// move, at most every few seconds (balances and packet counts change with every packet, the engine pushes none).
import { create } from 'zustand'
import type { AccountView, RouteView } from '../../../shared/api-types'
import { clientSubscription, getClient, type LoadStatus } from './client'

/** How often balances are fetched again while packets move. */
export const ACCOUNTS_REFRESH_MS = 3000

interface Slice<T> {
  status: LoadStatus
  /** Why the last load failed; kept while older rows stay on screen. */
  error: unknown
  items: T[]
}

interface NetworkState {
  accounts: Slice<AccountView>
  routes: Slice<RouteView>
  /** Subscribes to the engine (once per client) and loads both lists; safe to call on every mount. */
  start(): void
  loadAccounts(): Promise<void>
  loadRoutes(): Promise<void>
  reset(): void
}

const empty = <T>(): Slice<T> => ({ status: 'idle', error: null, items: [] })

let refreshTimer: ReturnType<typeof setTimeout> | undefined

export const useNetwork = create<NetworkState>()((set, get) => {
  // Loads one list; a reload keeps the rows on screen and only shows an error if there was nothing to show.
  const load = async <K extends 'accounts' | 'routes'>(key: K, fetch: () => Promise<NetworkState[K]['items']>) => {
    const before = get()[key]
    if (before.status !== 'ready') set({ [key]: { ...before, status: 'loading', error: null } } as Partial<NetworkState>)
    try {
      const items = await fetch()
      set({ [key]: { status: 'ready', error: null, items } } as Partial<NetworkState>)
    } catch (e) {
      const now = get()[key]
      set({ [key]: { ...now, status: now.status === 'ready' ? 'ready' : 'error', error: e } } as Partial<NetworkState>)
    }
  }

  const scheduleAccounts = () => {
    if (refreshTimer) return
    refreshTimer = setTimeout(() => {
      refreshTimer = undefined
      void get().loadAccounts()
    }, ACCOUNTS_REFRESH_MS)
  }

  const loadAccounts = () => void get().loadAccounts()
  const live = clientSubscription(
    (client) => [
      client.on('routesChanged', () => void get().loadRoutes()),
      client.on('provider', loadAccounts),
      client.on('appConnected', loadAccounts),
      client.on('appDisconnected', loadAccounts),
      client.on('appForgotten', loadAccounts),
      client.on('packets', scheduleAccounts),
    ],
    () => {
      loadAccounts()
      void get().loadRoutes()
    },
  )

  return {
    accounts: empty(),
    routes: empty(),

    start: live.start,

    loadAccounts: () => load('accounts', () => getClient().call('listAccounts', {})),
    loadRoutes: () => load('routes', () => getClient().call('listRoutes', {})),

    reset() {
      live.stop()
      clearTimeout(refreshTimer)
      refreshTimer = undefined
      set({ accounts: empty(), routes: empty() })
    },
  }
})
