// Spent and earned per app over the Apps table's and the Overview's fixed windows — today, the last 7 days, all time —
// from the ledger (ledgerTotals). Re-read a few seconds after packets flow, never more often.
import { create } from 'zustand'
import type { Client } from '../api/client'
import type { AppTotalsView } from '../../../shared/api-types'
import { DURATION, startOfDay } from '../format/time'
import { getClient } from './client'

export type TotalsWindow = 'today' | 'week' | 'all'

export interface LedgerTotals {
  /** app id → totals; apps with no ledger rows in the window are absent (read them as 0). */
  today: Record<string, AppTotalsView>
  week: Record<string, AppTotalsView>
  all: Record<string, AppTotalsView>
  /** When these were read. */
  at: number
}

export interface LedgerState {
  totals: LedgerTotals | null
  error: unknown
  loading: boolean
  load(): Promise<void>
}

const initial = { totals: null, error: null, loading: false }

const byApp = (rows: AppTotalsView[]) => Object.fromEntries(rows.map((r) => [r.app, r]))

export const useLedger = create<LedgerState>()((set) => ({
  ...initial,
  async load() {
    set({ loading: true })
    const now = Date.now()
    const client = getClient()
    try {
      const [today, week, all] = await Promise.all([
        client.call('ledgerTotals', { from: startOfDay(now), to: now + 1 }),
        client.call('ledgerTotals', { from: now - 7 * DURATION.DAY, to: now + 1 }),
        client.call('ledgerTotals', { from: 0, to: now + 1 }),
      ])
      set({ totals: { today: byApp(today), week: byApp(week), all: byApp(all), at: now }, error: null, loading: false })
    } catch (error) {
      set({ error, loading: false })
    }
  },
}))

/** Sum of one flow over every app of a window, exact. */
export function sumTotals(rows: Record<string, AppTotalsView> | undefined, flow: 'spent' | 'earned'): bigint {
  let sum = 0n
  for (const r of Object.values(rows ?? {})) sum += BigInt(r[flow].amountApp)
  return sum
}

export function resetLedgerStore(): void {
  useLedger.setState(initial)
}

const REFRESH_AFTER_PACKETS_MS = 3000

export function bindLedgerStore(client: Client): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined
  const soon = () => {
    if (timer) return
    timer = setTimeout(() => {
      timer = undefined
      void useLedger.getState().load()
    }, REFRESH_AFTER_PACKETS_MS)
  }
  const offs = [
    client.on('packets', soon),
    client.on('appForgotten', soon),
    client.onState((s) => {
      if (s === 'open') void useLedger.getState().load()
    }),
  ]
  if (client.state === 'open') void useLedger.getState().load()
  return () => {
    if (timer) clearTimeout(timer)
    for (const off of offs) off()
  }
}
