// The peers store: the stored peers (other connectors) with their link, asset, balance and how many routes each gives,
// kept current by `peersChanged` (added, removed, link up or down; the accounts are fetched again then too) and
// `routesChanged` (the route counts), and the actions the Peers & Routes page offers. Actions return what the engine
// answered or throw its error for the page to show.
import { create } from 'zustand'
import type { ApiInput } from '../../../shared/api-schemas'
import type { PeerView } from '../../../shared/api-types'
import type { Client } from '../api/client'
import { getClient } from './client'
import { useNetwork } from './network'
import type { LoadStatus } from './activity'

interface PeersState {
  status: LoadStatus
  error: unknown
  items: PeerView[]
  start(): void
  reload(): Promise<void>
  add(input: ApiInput<'addPeer'>): Promise<PeerView>
  remove(id: string): Promise<void>
  reset(): void
}

let subscribedTo: Client | undefined
let unsubscribe: (() => void) | undefined

export const usePeers = create<PeersState>()((set, get) => ({
  status: 'idle',
  error: null,
  items: [],

  start() {
    const client = getClient()
    if (subscribedTo === client) return
    unsubscribe?.()
    subscribedTo = client
    const reload = () => void get().reload()
    const offs = [
      // A peer added, removed or linked is an account too (the Accounts table beside the peers).
      client.on('peersChanged', () => {
        reload()
        if (useNetwork.getState().accounts.status !== 'idle') void useNetwork.getState().loadAccounts()
      }),
      client.on('routesChanged', reload),
      client.onState((s) => {
        if (s === 'open') reload()
      }),
    ]
    unsubscribe = () => offs.forEach((off) => off())
    reload()
  },

  async reload() {
    if (get().status !== 'ready') set({ status: 'loading', error: null })
    try {
      const items = await getClient().call('listPeers', {})
      set({ status: 'ready', error: null, items })
    } catch (e) {
      if (get().status !== 'ready') set({ status: 'error', error: e })
    }
  },

  async add(input) {
    const view = await getClient().call('addPeer', input)
    await get().reload()
    return view
  },

  async remove(id) {
    await getClient().call('removePeer', { id })
    await get().reload()
  },

  reset() {
    unsubscribe?.()
    unsubscribe = undefined
    subscribedTo = undefined
    set({ status: 'idle', error: null, items: [] })
  },
}))
