// The rate table's store (Settings → Rates between assets): the spread and the pairs, kept current by `ratesChanged`
// (another window or the API may change them), and saving a change. The engine replaces each part given as a whole:
// the page sends the whole list of pairs after an add, edit or removal.
import { create } from 'zustand'
import type { RatePairView, RatesView } from '../../../shared/api-types'
import type { Client } from '../api/client'
import type { LoadStatus } from './activity'
import { getClient } from './client'

export type RatesChange = { spread?: string; pairs?: RatePairView[] }

interface RatesState {
  status: LoadStatus
  error: unknown
  rates: RatesView | null
  start(): void
  reload(): Promise<void>
  /** Resolves with the new table; rejects with the engine's CallError (its issues name the field, e.g. `pairs.2.rate`). */
  save(change: RatesChange): Promise<RatesView>
  reset(): void
}

let subscribedTo: Client | undefined
let unsubscribe: (() => void) | undefined

export const useRates = create<RatesState>()((set, get) => ({
  status: 'idle',
  error: null,
  rates: null,

  start() {
    const client = getClient()
    if (subscribedTo === client) return
    unsubscribe?.()
    subscribedTo = client
    const offs = [
      client.on('ratesChanged', (rates) => set({ rates, status: 'ready', error: null })),
      client.onState((s) => {
        if (s === 'open') void get().reload()
      }),
    ]
    unsubscribe = () => offs.forEach((off) => off())
    void get().reload()
  },

  async reload() {
    if (get().status !== 'ready') set({ status: 'loading', error: null })
    try {
      const rates = await getClient().call('getRates', {})
      set({ status: 'ready', error: null, rates })
    } catch (e) {
      if (get().status !== 'ready') set({ status: 'error', error: e })
    }
  },

  async save(change) {
    const rates = await getClient().call('setRates', change)
    set({ rates, status: 'ready', error: null })
    return rates
  },

  reset() {
    unsubscribe?.()
    unsubscribe = undefined
    subscribedTo = undefined
    set({ status: 'idle', error: null, rates: null })
  },
}))
