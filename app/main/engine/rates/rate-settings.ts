// Where the rate table lives between runs: the `settings` table, as 'rates.spread' (a decimal string) and
// 'rates.table' (JSON list of { from, to, rate }). The config's spread and rates are the defaults when nothing is
// stored; what the user saved (Settings page, setRates) wins over them. A stored value that cannot be used (edited
// by hand, an older bug) is ignored with a warning rather than stopping the node.
import type { Logger } from '../log'
import { checkRateTable, type RatePair, RateTable, type RateTableState } from './rate-table'

export const SETTING_RATES_SPREAD = 'rates.spread'
export const SETTING_RATES_TABLE = 'rates.table'

export interface SettingsStore {
  getSetting(key: string): string | undefined
  setSetting(key: string, value: string | undefined): void
}

/** The stored table over the config's defaults. */
export function loadRateTable(store: SettingsStore, defaults: RateTableState, log?: Logger): RateTable {
  let spread = defaults.spread
  let pairs = defaults.pairs
  const savedSpread = store.getSetting(SETTING_RATES_SPREAD)
  if (savedSpread !== undefined) {
    try {
      checkRateTable({ spread: savedSpread, pairs: [] })
      spread = savedSpread
    } catch (err) {
      log?.warn(`ignoring the saved spread: ${(err as Error).message}`)
    }
  }
  const savedTable = store.getSetting(SETTING_RATES_TABLE)
  if (savedTable !== undefined) {
    try {
      const list: unknown = JSON.parse(savedTable)
      checkRateTable({ spread: '0', pairs: list as RatePair[] })
      pairs = list as RatePair[]
    } catch (err) {
      log?.warn(`ignoring the saved rate table ${JSON.stringify(savedTable.slice(0, 200))}: ${(err as Error).message}`)
    }
  }
  return new RateTable({ spread, pairs })
}

/**
 * Applies a change to the live table (forwarding and quotes use it from the next packet) and saves it. Checked
 * before anything happens, saved before it is applied: a refused or failed change leaves both as they were.
 */
export function saveRates(store: SettingsStore, table: RateTable, change: Partial<RateTableState>): void {
  const next: RateTableState = { spread: change.spread ?? table.spread, pairs: change.pairs ?? [...table.pairs] }
  checkRateTable(next)
  if (change.spread !== undefined) store.setSetting(SETTING_RATES_SPREAD, change.spread)
  if (change.pairs !== undefined) store.setSetting(SETTING_RATES_TABLE, JSON.stringify(change.pairs.map((p) => ({ from: p.from, to: p.to, rate: p.rate }))))
  table.set(next)
}
