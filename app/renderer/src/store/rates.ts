// The rate table's store (Settings → Rates between assets): the spread and the pairs, kept current by `ratesChanged`
// (another window or the API may change them), and saving a change. The engine replaces each part given as a whole:
// the page sends the whole list of pairs after an add, edit or removal.
import { create } from 'zustand'
import type { RatePairView, RatesView } from '../../../shared/api-types'
import { clientSubscription, getClient, type LoadStatus, loadView } from './client'

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

export const useRates = create<RatesState>()((set, get) => {
  const live = clientSubscription(
    (client) => [client.on('ratesChanged', (rates) => set({ rates, status: 'ready', error: null }))],
    () => void get().reload(),
  )
  return {
    status: 'idle',
    error: null,
    rates: null,

    start: live.start,

    reload: () => loadView(get, set, async () => ({ rates: await getClient().call('getRates', {}) })),

    async save(change) {
      const rates = await getClient().call('setRates', change)
      set({ rates, status: 'ready', error: null })
      return rates
    },

    reset() {
      live.stop()
      set({ status: 'idle', error: null, rates: null })
    },
  }
})
