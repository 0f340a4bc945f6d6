// Settings → Rates between assets: the spread (with its percentage) and the pairs (with their inverse); adding,
// editing and removing a pair (confirmed) each send setRates with the whole list; the engine's refusals (the
// contract's checks, as the engine runs them) appear next to the field they name; ratesChanged updates the table.
import { act, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { RatesView } from '../../../app/shared/api-types'
import type { MethodParams } from '../../../app/shared/contract'
import { inverseText, RatesCard, spreadPercent } from '../../../app/renderer/src/pages/RatesCard'
import { useRates } from '../../../app/renderer/src/store/rates'
import type { Handlers } from '../support/fake-transport'
import { renderWithEngine } from '../support/render'

/** An engine whose setRates replaces the given parts, as the real one does. */
function ratesEngine(initial: RatesView): Handlers {
  let current = initial
  return {
    getRates: () => current,
    setRates: (change: MethodParams<'setRates'>) => {
      current = { spread: change.spread ?? current.spread, pairs: change.pairs ?? current.pairs }
      return current
    },
  }
}

const TABLE: RatesView = { spread: '0.005', pairs: [{ from: 'XRP', to: 'USD', rate: '0.52' }] }

const rows = () => within(screen.getByRole('table', { name: 'Rates between assets' })).getAllByRole('row').slice(1)
const rowText = () => rows().map((r) => Array.from(r.querySelectorAll('td')).slice(0, 3).map((td) => td.textContent).join(' | '))

beforeEach(() => useRates.getState().reset())
afterEach(() => useRates.getState().reset())

describe('Rates between assets', { timeout: 20_000 }, () => {
  it('shows the spread as a fraction and a percentage, and each pair with its inverse', async () => {
    renderWithEngine(<RatesCard />, ratesEngine(TABLE))
    const spread = (await screen.findByLabelText('Spread')) as HTMLInputElement
    expect(spread.value).toBe('0.005')
    expect(screen.getByText(/\(0\.5 %\)/)).toBeTruthy()
    expect(rowText()).toEqual(['XRP | USD | 1 XRP = 0.52 USD'])
    expect(rows()[0]!.textContent).toContain('1 USD = ≈ 1.923076923 XRP')
    expect(screen.getByText(/Your apps use/).textContent).toMatch(/Your apps use XRP/)
  })

  it('an empty table says every asset converts one to one', async () => {
    renderWithEngine(<RatesCard />, ratesEngine({ spread: '0', pairs: [] }))
    expect(await screen.findByText(/No rates: every asset converts one to one/)).toBeTruthy()
    expect(screen.queryByRole('table')).toBeNull()
  })

  it('adds a pair: setRates gets the whole list, and the table shows it', async () => {
    const { engine } = renderWithEngine(<RatesCard />, ratesEngine(TABLE))
    await userEvent.click(await screen.findByRole('button', { name: 'Add a rate' }))
    const form = screen.getByRole('form', { name: 'Add a rate' })
    await userEvent.type(within(form).getByLabelText('From asset'), 'EUR')
    await userEvent.type(within(form).getByLabelText('To asset'), 'USD')
    await userEvent.type(within(form).getByLabelText('Rate'), '1.08')
    expect(within(form).getByText('1 EUR = 1.08 USD, before the spread.')).toBeTruthy()
    await userEvent.click(within(form).getByRole('button', { name: 'Add rate' }))
    expect(engine.callsTo('setRates')).toEqual([{ pairs: [TABLE.pairs[0], { from: 'EUR', to: 'USD', rate: '1.08' }] }])
    expect(rowText()).toEqual(['XRP | USD | 1 XRP = 0.52 USD', 'EUR | USD | 1 EUR = 1.08 USD'])
    expect(screen.queryByRole('form')).toBeNull()
  })

  it('edits a pair in place', async () => {
    const { engine } = renderWithEngine(<RatesCard />, ratesEngine(TABLE))
    await userEvent.click(await screen.findByRole('button', { name: 'Edit the XRP/USD rate' }))
    const form = screen.getByRole('form', { name: 'Edit the XRP/USD rate' })
    const rate = within(form).getByLabelText('Rate') as HTMLInputElement
    expect(rate.value).toBe('0.52')
    await userEvent.clear(rate)
    await userEvent.type(rate, '0.5237')
    await userEvent.click(within(form).getByRole('button', { name: 'Save rate' }))
    expect(engine.callsTo('setRates')).toEqual([{ pairs: [{ from: 'XRP', to: 'USD', rate: '0.5237' }] }])
    expect(rowText()).toEqual(['XRP | USD | 1 XRP = 0.5237 USD'])
  })

  it('removes a pair after confirming, and says so', async () => {
    const { engine } = renderWithEngine(<RatesCard />, ratesEngine({ spread: '0', pairs: [...TABLE.pairs, { from: 'EUR', to: 'USD', rate: '1.08' }] }))
    await userEvent.click(await screen.findByRole('button', { name: 'Remove the XRP/USD rate' }))
    const dialog = await screen.findByRole('alertdialog')
    expect(dialog.textContent).toMatch(/Packets between XRP and USD will be refused/)
    expect(engine.callsTo('setRates')).toEqual([])
    await userEvent.click(within(dialog).getByRole('button', { name: 'Remove rate' }))
    expect(engine.callsTo('setRates')).toEqual([{ pairs: [{ from: 'EUR', to: 'USD', rate: '1.08' }] }])
    expect(rowText()).toEqual(['EUR | USD | 1 EUR = 1.08 USD'])
    expect(await screen.findByText('Removed the XRP/USD rate')).toBeTruthy()
  })

  it('shows the engine’s refusal next to the field it names, and keeps the table', async () => {
    const { engine } = renderWithEngine(<RatesCard />, ratesEngine(TABLE))
    await userEvent.click(await screen.findByRole('button', { name: 'Add a rate' }))
    const form = screen.getByRole('form', { name: 'Add a rate' })
    await userEvent.type(within(form).getByLabelText('From asset'), 'EUR')
    await userEvent.type(within(form).getByLabelText('To asset'), 'USD')
    await userEvent.type(within(form).getByLabelText('Rate'), '0')
    await userEvent.click(within(form).getByRole('button', { name: 'Add rate' }))
    const alert = await within(form).findByRole('alert')
    expect(alert.textContent).toBe('a rate must be above 0')
    expect(within(form).getByLabelText('Rate').getAttribute('aria-describedby')).toBe(alert.id)
    expect(rowText()).toEqual(['XRP | USD | 1 XRP = 0.52 USD'])

    // A pair given twice (the inverse of one already there) is refused on the pair as a whole.
    await userEvent.clear(within(form).getByLabelText('From asset'))
    await userEvent.type(within(form).getByLabelText('From asset'), 'USD')
    await userEvent.clear(within(form).getByLabelText('To asset'))
    await userEvent.type(within(form).getByLabelText('To asset'), 'XRP')
    await userEvent.clear(within(form).getByLabelText('Rate'))
    await userEvent.type(within(form).getByLabelText('Rate'), '2')
    await userEvent.click(within(form).getByRole('button', { name: 'Add rate' }))
    expect((await within(form).findByRole('alert')).textContent).toMatch(/USD\/XRP is given twice/)
    expect(engine.callsTo('setRates')).toHaveLength(2)
    expect(rowText()).toEqual(['XRP | USD | 1 XRP = 0.52 USD'])
  })

  it('saves the spread, or shows why not', async () => {
    const { engine } = renderWithEngine(<RatesCard />, ratesEngine(TABLE))
    const spread = await screen.findByLabelText('Spread')
    await userEvent.clear(spread)
    await userEvent.type(spread, '1.5')
    await userEvent.click(screen.getByRole('button', { name: 'Save spread' }))
    expect((await screen.findByRole('alert')).textContent).toMatch(/expected a spread from 0 up to \(not including\) 1/)
    await userEvent.clear(spread)
    await userEvent.type(spread, '0.001')
    expect(screen.getByText(/\(0\.1 %\)/)).toBeTruthy()
    await userEvent.click(screen.getByRole('button', { name: 'Save spread' }))
    expect(await screen.findByText('Saved.')).toBeTruthy()
    expect(engine.callsTo('setRates').at(-1)).toEqual({ spread: '0.001' })
  })

  it('follows ratesChanged from elsewhere', async () => {
    const { engine } = renderWithEngine(<RatesCard />, ratesEngine(TABLE))
    await screen.findByRole('table')
    act(() => engine.emit('ratesChanged', { spread: '0.02', pairs: [{ from: 'BTC', to: 'USD', rate: '50000' }] }))
    expect(rowText()).toEqual(['BTC | USD | 1 BTC = 50000 USD'])
    expect((screen.getByLabelText('Spread') as HTMLInputElement).value).toBe('0.02')
  })
})

describe('rate words', () => {
  it('spreadPercent shifts the decimal point exactly', () => {
    expect(spreadPercent('0')).toBe('0 %')
    expect(spreadPercent('0.005')).toBe('0.5 %')
    expect(spreadPercent('0.5')).toBe('50 %')
    expect(spreadPercent('0.000001')).toBe('0.0001 %')
    expect(spreadPercent('0.12345')).toBe('12.345 %')
    expect(spreadPercent('abc')).toBeUndefined()
  })

  it('inverseText', () => {
    expect(inverseText('2')).toBe('0.5')
    expect(inverseText('0.5')).toBe('2')
    expect(inverseText('3')).toBe('≈ 0.333333333')
    expect(inverseText('50000')).toBe('0.00002')
    expect(inverseText('999999999999999999')).toBe('< 0.000000001')
  })
})
