// Quotes for the Quote panel: one request at a time; an answer that arrives after a newer request was made is
// dropped, so the panel never shows the quote for a destination the user already changed.
import { create } from 'zustand'
import type { MethodParams } from '../../../shared/contract'
import type { QuoteView } from '../../../shared/api-types'
import { getClient } from './client'

export type QuoteStatus = 'idle' | 'loading' | 'ready' | 'error'

interface QuotesState {
  status: QuoteStatus
  quote: QuoteView | null
  /** Why the last request failed (a CallError: F02 no route, T01 next hop down, invalid input …). */
  error: unknown
  request(params: MethodParams<'quote'>): Promise<void>
  reset(): void
}

let sequence = 0

export const useQuotes = create<QuotesState>()((set) => ({
  status: 'idle',
  quote: null,
  error: null,
  async request(params) {
    const mine = ++sequence
    set({ status: 'loading', error: null })
    try {
      const quote = await getClient().call('quote', params)
      if (mine === sequence) set({ status: 'ready', quote, error: null })
    } catch (error) {
      if (mine === sequence) set({ status: 'error', quote: null, error })
    }
  },
  reset() {
    sequence++
    set({ status: 'idle', quote: null, error: null })
  },
}))
