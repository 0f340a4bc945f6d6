// The peers store: the stored peers (other connectors) with their link, asset, balance and how many routes each gives,
// kept current by `peersChanged` (added, removed, link up or down; the accounts are fetched again then too) and
// `routesChanged` (the route counts), and the actions the Peers & Routes page offers. Actions return what the engine
// answered or throw its error for the page to show.
import { create } from 'zustand'
import type { ApiInput } from '../../../shared/api-schemas'
import type { PeerView } from '../../../shared/api-types'
import { changeAndReload, clientSubscription, getClient, type LoadStatus, loadView } from './client'
import { useNetwork } from './network'

interface PeersState {
  status: LoadStatus
  error: unknown
  items: PeerView[]
  start(): void
  reload(): Promise<void>
  add(input: ApiInput<'addPeer'>): Promise<PeerView>
  update(input: ApiInput<'updatePeer'>): Promise<PeerView>
  remove(id: string): Promise<void>
  reset(): void
}

export const usePeers = create<PeersState>()((set, get) => {
  const reload = () => void get().reload()
  const live = clientSubscription(
    (client) => [
      // A peer added, removed or linked is an account too (the Accounts table beside the peers).
      client.on('peersChanged', () => {
        reload()
        if (useNetwork.getState().accounts.status !== 'idle') void useNetwork.getState().loadAccounts()
      }),
      client.on('routesChanged', reload),
    ],
    reload,
  )
  return {
    status: 'idle',
    error: null,
    items: [],

    start: live.start,

    reload: () => loadView(get, set, async () => ({ items: await getClient().call('listPeers', {}) })),

    add: (input) => changeAndReload('addPeer', input, get().reload),
    update: (input) => changeAndReload('updatePeer', input, get().reload),

    async remove(id) {
      await changeAndReload('removePeer', { id }, get().reload)
    },

    reset() {
      live.stop()
      set({ status: 'idle', error: null, items: [] })
    },
  }
})
