// Every app Junction knows, kept fresh from events (appChanged → getApp, appConnected/Disconnected, appForgotten,
// budgetWarning), with the actions that change them. Actions throw the engine's CallError for the caller to show.
import { create } from 'zustand'
import type { Client } from '../api/client'
import { CallError } from '../api/client'
import type { AppView, BudgetView, RegisteredAppView } from '../../../shared/api-types'
import { getClient } from './client'

export interface AppsState {
  /** null until the first load. Ordered as the engine lists them. */
  apps: AppView[] | null
  error: unknown
  loading: boolean
  /** From budgetWarning events: apps that reached 80 % ('near') or all ('reached') of their budget. */
  warnings: Record<string, 'near' | 'reached'>
  load(): Promise<void>
  /** Re-reads one app (after an event); drops it if the engine no longer knows it. */
  refresh(id: string): Promise<void>
  approve(id: string): Promise<AppView>
  block(id: string): Promise<AppView>
  rename(id: string, displayName: string | null): Promise<AppView>
  /** `budget.amount` in base units (a decimal string); null removes the budget. */
  setBudget(id: string, budget: BudgetView | null): Promise<AppView>
  forget(id: string): Promise<void>
  /** `replaceToken` gives an already registered name a new token (the old one stops working). */
  register(name: string, displayName?: string, replaceToken?: boolean): Promise<RegisteredAppView>
}

const initial = { apps: null, error: null, loading: false, warnings: {} }

export const useApps = create<AppsState>()((set, get) => {
  const upsert = (app: AppView) => {
    const apps = get().apps ?? []
    const i = apps.findIndex((a) => a.id === app.id)
    set({ apps: i === -1 ? [...apps, app] : apps.map((a) => (a.id === app.id ? app : a)) })
    return app
  }
  const remove = (id: string) => {
    const { apps, warnings } = get()
    const rest = { ...warnings }
    delete rest[id]
    set({ apps: apps && apps.filter((a) => a.id !== id), warnings: rest })
  }
  return {
    ...initial,
    async load() {
      set({ loading: true })
      try {
        const apps = await getClient().call('listApps', undefined)
        set({ apps, error: null, loading: false })
      } catch (error) {
        set({ error, loading: false })
      }
    },
    async refresh(id) {
      try {
        upsert(await getClient().call('getApp', { id }))
      } catch (e) {
        if (e instanceof CallError && e.code === 'not-found') remove(id)
        // Other failures: the next event or load brings it back in step.
      }
    },
    approve: async (id) => upsert(await getClient().call('approveApp', { id })),
    block: async (id) => upsert(await getClient().call('blockApp', { id })),
    rename: async (id, displayName) => upsert(await getClient().call('renameApp', { id, displayName })),
    setBudget: async (id, budget) => {
      const app = upsert(await getClient().call('setAppBudget', { id, budget }))
      // A new budget starts the warning over.
      const rest = { ...get().warnings }
      delete rest[id]
      set({ warnings: rest })
      return app
    },
    async forget(id) {
      await getClient().call('forgetApp', { id })
      remove(id)
    },
    async register(name, displayName, replaceToken) {
      const registered = await getClient().call('registerApp', {
        name,
        ...(displayName ? { displayName } : {}),
        ...(replaceToken ? { replaceToken: true } : {}),
      })
      upsert(registered.app)
      return registered
    },
  }
})

export function useApp(id: string): AppView | undefined {
  return useApps((s) => s.apps?.find((a) => a.id === id))
}

export function resetAppsStore(): void {
  useApps.setState(initial)
}

/** While packets flow, spend and budgets change without an event: re-read the list at most this often. */
const REFRESH_WHILE_BUSY_MS = 2000

export function bindAppsStore(client: Client): () => void {
  const store = useApps
  let busyTimer: ReturnType<typeof setTimeout> | undefined
  const setConnected = (id: string, connected: boolean) => {
    const apps = store.getState().apps
    if (apps?.some((a) => a.id === id)) store.setState({ apps: apps.map((a) => (a.id === id ? { ...a, connected } : a)) })
    void store.getState().refresh(id)
  }
  const offs = [
    client.on('appChanged', ({ id }) => void store.getState().refresh(id)),
    client.on('appConnected', ({ id }) => setConnected(id, true)),
    client.on('appDisconnected', ({ id }) => setConnected(id, false)),
    client.on('appForgotten', ({ id }) => {
      const { apps, warnings } = store.getState()
      const rest = { ...warnings }
      delete rest[id]
      store.setState({ apps: apps && apps.filter((a) => a.id !== id), warnings: rest })
    }),
    client.on('budgetWarning', ({ id, kind }) => {
      store.setState({ warnings: { ...store.getState().warnings, [id]: kind } })
      void store.getState().refresh(id)
    }),
    client.on('packets', () => {
      if (busyTimer) return
      busyTimer = setTimeout(() => {
        busyTimer = undefined
        void store.getState().load()
      }, REFRESH_WHILE_BUSY_MS)
    }),
    client.onState((s) => {
      if (s === 'open') void store.getState().load()
    }),
  ]
  // Before the page's link to the engine is open a call would only fail: the 'open' state loads instead.
  if (client.state === 'open') void store.getState().load()
  return () => {
    if (busyTimer) clearTimeout(busyTimer)
    for (const off of offs) off()
  }
}
