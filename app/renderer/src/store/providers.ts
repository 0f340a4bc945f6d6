// The providers store: the stored providers (ILSPs) with their link state, address, asset, latency and balance, kept
// current by `providersChanged` (and `address`, since a switch changes the active one's address), and the actions the
// Providers page offers. Actions return what the engine answered or throw its error for the page to show.
import { create } from 'zustand'
import type { ApiInput } from '../../../shared/api-schemas'
import type { ProviderTestView, ProviderView } from '../../../shared/api-types'
import { changeAndReload, clientSubscription, getClient, type LoadStatus, loadView } from './client'

/** Where Junction listens for an HTTP provider's packets, and the token it must send. */
export interface ReceiveBind {
  host?: string
  port: number
  token: string
}

interface ProvidersState {
  status: LoadStatus
  error: unknown
  items: ProviderView[]
  start(): void
  reload(): Promise<void>
  add(name: string, url: string, receive?: ReceiveBind | null): Promise<ProviderView>
  /** HTTP providers: where Junction receives their packets (null = send-only). */
  setReceive(id: string, receive: ReceiveBind | null): Promise<ProviderView>
  test(target: { id: string } | { url: string }): Promise<ProviderTestView>
  activate(id: string): Promise<ProviderView>
  move(id: string, by: -1 | 1): Promise<void>
  setEnabled(id: string, enabled: boolean): Promise<void>
  /** A new name, or the URL with a new secret (same place and account). */
  update(input: ApiInput<'updateProvider'>): Promise<ProviderView>
  remove(id: string): Promise<void>
  reset(): void
}

export const useProviders = create<ProvidersState>()((set, get) => {
  const reload = () => void get().reload()
  const live = clientSubscription(
    (client) => [client.on('providersChanged', reload), client.on('address', reload), client.on('provider', reload)],
    reload,
  )
  return {
    status: 'idle',
    error: null,
    items: [],

    start: live.start,

    reload: () => loadView(get, set, async () => ({ items: await getClient().call('listProviders', {}) })),

    add: (name, url, receive) => changeAndReload('addProvider', receive ? { name, url, receive } : { name, url }, get().reload),

    setReceive: (id, receive) => changeAndReload('setProviderReceive', { id, receive }, get().reload),

    async test(target) {
      return await getClient().call('testProvider', target)
    },

    activate: (id) => changeAndReload('activateProvider', { id }, get().reload),

    async move(id, by) {
      const ids = get().items.map((p) => p.id)
      const at = ids.indexOf(id)
      const to = at + by
      if (at < 0 || to < 0 || to >= ids.length) return
      ;[ids[at], ids[to]] = [ids[to], ids[at]]
      const items = await getClient().call('setProviderOrder', { ids })
      set({ items })
    },

    async setEnabled(id, enabled) {
      await changeAndReload(enabled ? 'enableProvider' : 'disableProvider', { id }, get().reload)
    },

    update: (input) => changeAndReload('updateProvider', input, get().reload),

    async remove(id) {
      await changeAndReload('removeProvider', { id }, get().reload)
    },

    reset() {
      live.stop()
      set({ status: 'idle', error: null, items: [] })
    },
  }
})
