// The Quote panel: what it asks the engine (amounts in base units from the asset's units, either side), how it
// shows a quote (route, rate, amounts with asset codes, the curve as chart, table and base64), and the rejects in
// words (F02 no route from the engine, F08 in the quote itself); bad input never reaches the engine.
import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it } from 'vitest'
import type { QuoteView } from '../../../app/shared/api-types'
import { QuotePanel } from '../../../app/renderer/src/pages/QuotePanel'
import { PeersRoutesPage } from '../../../app/renderer/src/pages/PeersRoutesPage'
import { useNetwork } from '../../../app/renderer/src/store/network'
import { useQuotes } from '../../../app/renderer/src/store/quotes'
import { engineError } from '../support/fake-transport'
import { renderWithEngine } from '../support/render'

function makeQuote(over: Partial<QuoteView> = {}): QuoteView {
  return {
    destination: 'g.ilsp.shop',
    route: { prefix: '', nextHop: 'parent', relation: 'parent', source: 'parent' },
    beyondJunction: true,
    sourceAsset: { code: 'XRP', scale: 9 },
    destinationAsset: { code: 'XRP', scale: 9 },
    rate: { numerator: '199', denominator: '200', decimal: '0.995' },
    maxPacketAmount: '1000000000',
    limitedBy: 'max-packet-amount',
    curve: { points: [['0', '0'], ['1000000000', '995000000']], base64: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAypo7AAAAAMB+Tjs=' },
    sourceAmount: '1000000000',
    destinationAmount: '995000000',
    failure: null,
    ...over,
  }
}

afterEach(() => useQuotes.getState().reset())

async function ready() {
  // The amount is typed in Junction's asset: wait until the status says which.
  await screen.findByLabelText('Amount (XRP)')
}

describe('Quote panel', () => {
  it('quotes by source amount in the asset units and shows route, rate, amounts and the curve', async () => {
    const { engine } = renderWithEngine(<QuotePanel />, { quote: () => makeQuote() })
    await ready()
    await userEvent.type(screen.getByLabelText('Destination'), 'g.ilsp.shop')
    await userEvent.type(screen.getByLabelText('Amount (XRP)'), '1')
    await userEvent.click(screen.getByRole('button', { name: /Quote/ }))
    expect(await screen.findByTestId('quote-amounts')).toBeTruthy()
    expect(engine.callsTo('quote')).toEqual([{ destination: 'g.ilsp.shop', sourceAmount: '1000000000' }])
    const result = screen.getByLabelText('Quote result')
    expect(screen.getByTestId('quote-amounts').textContent).toBe('Send 1 XRP → arrives 0.995 XRP at the next hop')
    expect(result.textContent).toContain('to the provider')
    expect(result.textContent).toContain('default route')
    expect(result.textContent).toContain('0.995')
    expect(result.textContent).toContain('199/200')
    expect(result.textContent).toContain('the maximum packet amount for apps')
    const rows = within(screen.getByRole('table', { name: 'Liquidity curve points' })).getAllByRole('row').slice(1)
    expect(rows.map((r) => r.textContent)).toEqual(['0 XRP0 XRP', '1 XRP0.995 XRP'])
    expect(screen.getByTestId('quote-curve-base64').textContent).toBe('AAAAAAAAAAAAAAAAAAAAAAAAAAAAypo7AAAAAMB+Tjs=')
    expect(screen.getByRole('img', { name: 'Liquidity curve with 2 points' })).toBeTruthy()
  })

  it('quotes by destination amount, and with no amount asks for the curve only', async () => {
    const { engine } = renderWithEngine(<QuotePanel />, { quote: () => makeQuote({ sourceAmount: null, destinationAmount: null }) })
    await ready()
    await userEvent.type(screen.getByLabelText('Destination'), 'g.ilsp.shop')
    await userEvent.selectOptions(screen.getByLabelText('Amount is'), 'destination')
    await userEvent.type(screen.getByLabelText('Amount (XRP)'), '0.5')
    await userEvent.click(screen.getByRole('button', { name: /Quote/ }))
    await waitFor(() => expect(engine.callsTo('quote')).toHaveLength(1))
    expect(engine.callsTo('quote')[0]).toEqual({ destination: 'g.ilsp.shop', destinationAmount: '500000000' })
    await userEvent.clear(screen.getByLabelText('Amount (XRP)'))
    await userEvent.click(screen.getByRole('button', { name: /Quote/ }))
    await waitFor(() => expect(engine.callsTo('quote')).toHaveLength(2))
    expect(engine.callsTo('quote')[1]).toEqual({ destination: 'g.ilsp.shop' })
    expect(await screen.findByRole('table', { name: 'Liquidity curve points' })).toBeTruthy()
    expect(screen.queryByTestId('quote-amounts')).toBeNull()
  })

  it('says a missing route in words: F02, with the engine\'s message', async () => {
    renderWithEngine(<QuotePanel />, {
      quote: () => {
        throw engineError('not-found', 'F02 no route to g.nowhere')
      },
    })
    await ready()
    await userEvent.type(screen.getByLabelText('Destination'), 'g.nowhere')
    await userEvent.click(screen.getByRole('button', { name: /Quote/ }))
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toContain('F02 — unreachable: no route to that address')
    expect(alert.textContent).toContain('F02 no route to g.nowhere')
  })

  it('says an amount too large for one packet in words (F08), without amounts', async () => {
    renderWithEngine(<QuotePanel />, {
      quote: () => makeQuote({ destinationAmount: null, failure: { code: 'F08', message: 'cannot deliver: 2000000000 is more than 1000000000, the most one packet from this sender may carry' } }),
    })
    await ready()
    await userEvent.type(screen.getByLabelText('Destination'), 'g.ilsp.shop')
    await userEvent.type(screen.getByLabelText('Amount (XRP)'), '2')
    await userEvent.click(screen.getByRole('button', { name: /Quote/ }))
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toContain('F08 — amount too large')
    expect(alert.textContent).toContain('Cannot deliver: 2000000000 is more than 1000000000')
    expect(screen.queryByTestId('quote-amounts')).toBeNull()
  })

  it('refuses an empty destination and an inexact amount before asking the engine', async () => {
    const { engine } = renderWithEngine(<QuotePanel />, { quote: () => makeQuote() })
    await ready()
    await userEvent.click(screen.getByRole('button', { name: /Quote/ }))
    expect((await screen.findByRole('alert')).textContent).toMatch(/Enter a destination address/)
    await userEvent.type(screen.getByLabelText('Destination'), 'g.ilsp.shop')
    await userEvent.type(screen.getByLabelText('Amount (XRP)'), '0.0000000001')
    await userEvent.click(screen.getByRole('button', { name: /Quote/ }))
    expect((await screen.findByRole('alert')).textContent).toMatch(/at most 9 decimal places/)
    expect(engine.callsTo('quote')).toHaveLength(0)
  })

  it('is on the Peers & Routes page', async () => {
    useNetwork.getState().reset()
    renderWithEngine(<PeersRoutesPage />, { listAccounts: () => [], listRoutes: () => [] })
    expect(await screen.findByRole('heading', { name: 'Quote' })).toBeTruthy()
    useNetwork.getState().reset()
  })
})
