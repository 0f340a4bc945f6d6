// The engine API's rate-table methods (getRates, setRates): the static rates between assets and the spread
// (rates/rate-table.ts), saved in the settings (rates/rate-settings.ts). A change applies to the next packet and
// the next quote, and is announced with the 'ratesChanged' event.
import { ApiError, type JunctionApi, type RatesView } from '../../shared/api-types'
import type { Connector } from './connector'
import { saveRates } from './rates/rate-settings'
import { RateTableError } from './rates/rate-table'

type RateMethods = Pick<JunctionApi, 'getRates' | 'setRates'>

/** `validate` is the contract's check of setRates' input (api.ts parse), throwing ApiError('invalid-input'). */
export function rateMethods(connector: Connector, validate: (input: unknown) => { spread?: string; pairs?: RatesView['pairs'] }): RateMethods {
  return {
    async getRates() {
      return connector.rates.view()
    },

    async setRates(input) {
      const change = validate(input)
      if (change.spread === undefined && change.pairs === undefined) return connector.rates.view()
      try {
        saveRates(connector.settingsStore, connector.rates, change)
      } catch (err) {
        if (err instanceof RateTableError) {
          throw new ApiError('invalid-input', `setRates: ${err.message}`, [{ path: 'pairs', message: err.message }])
        }
        throw err
      }
      const view = connector.rates.view()
      connector.emit('ratesChanged', view)
      return view
    },
  }
}
