// One to one: every asset worth the same, converted between asset scales, minus a spread. It is the rate table with
// no pairs (rate-table.ts); kept as a name for tests and for code that wants no rates at all.
import { RateTable } from './rate-table'

export type { AssetRef, ExactRate, RateBackend } from './rate-backend'
export { parseSpread } from './decimal'

export function createOneToOneRates(spread = '0'): RateTable {
  return new RateTable({ spread })
}
