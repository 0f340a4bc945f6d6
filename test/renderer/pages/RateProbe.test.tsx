// "Probe a receiver" in the Quote panel: what it asks the engine (probeRate with the payment pointer), how it shows a
// probe (amounts sent and arrived in each side's asset, the receiver's asset, the rate, the most per packet, the round
// trip), errors in words (F02 from the engine, an SPSP server's failure), and a quote beyond Junction pointing to it.
import { screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it } from 'vitest'
import type { QuoteView, RateProbeView } from '../../../app/shared/api-types'
import { QuotePanel } from '../../../app/renderer/src/pages/QuotePanel'
import { useQuotes } from '../../../app/renderer/src/store/quotes'
import { engineError } from '../support/fake-transport'
import { renderWithEngine } from '../support/render'

function makeProbe(over: Partial<RateProbeView> = {}): RateProbeView {
  return {
    destination: 'g.ilsp.receivers.bob.abc123',
    sourceAsset: { code: 'XRP', scale: 9 },
    destinationAsset: { code: 'USD', scale: 6 },
    rate: { decimal: '0.00099', sent: '1000000000', delivered: '990000' },
    maxPacketAmount: '100000000000',
    latencyMs: 57,
    ...over,
  }
}

afterEach(() => useQuotes.getState().reset())

async function probe(pointer: string) {
  await screen.findByLabelText('Amount (XRP)')
  await userEvent.type(screen.getByLabelText('Payment pointer'), pointer)
  await userEvent.click(screen.getByRole('button', { name: /Probe/ }))
}

describe('Probe a receiver (Quote panel)', () => {
  it('probes a payment pointer and shows what arrived, the receiver\'s asset, the rate, the most per packet and the round trip', async () => {
    const { engine } = renderWithEngine(<QuotePanel />, { probeRate: () => makeProbe() })
    await probe('$wallet.example/bob')
    const result = await screen.findByLabelText('Probe result')
    expect(engine.callsTo('probeRate')).toEqual([{ paymentPointer: '$wallet.example/bob' }])
    expect(screen.getByTestId('probe-amounts').textContent).toBe('sent 1 XRP → arrived 0.99 USD')
    expect(result.textContent).toContain('g.ilsp.receivers.bob.abc123')
    expect(result.textContent).toContain('USD, scale 6')
    expect(result.textContent).toContain('0.00099')
    expect(result.textContent).toContain('100 XRP')
    expect(result.textContent).toContain('57 ms')
  })

  it('shows base units when the receiver did not say its asset, and no limit when no F08 told one', async () => {
    renderWithEngine(<QuotePanel />, { probeRate: () => makeProbe({ destinationAsset: null, maxPacketAmount: null }) })
    await probe('$wallet.example/bob')
    const result = await screen.findByLabelText('Probe result')
    expect(screen.getByTestId('probe-amounts').textContent).toBe('sent 1 XRP → arrived 990000 base units')
    expect(result.textContent).toContain('not said by the receiver')
    expect(result.textContent).toContain('no limit met on the way')
  })

  it('says a missing route in words: F02, with the engine\'s message', async () => {
    renderWithEngine(<QuotePanel />, {
      probeRate: () => {
        throw engineError('not-found', 'F02 no route to g.nowhere.bob: no route found (from g.ilsp)')
      },
    })
    await probe('$wallet.example/bob')
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toContain('F02 — unreachable: no route to that address')
    expect(alert.textContent).toContain('F02 no route to g.nowhere.bob')
  })

  it('shows an SPSP server\'s failure as the engine words it', async () => {
    renderWithEngine(<QuotePanel />, {
      probeRate: () => {
        throw engineError('unavailable', 'could not reach the SPSP server at https://wallet.invalid/bob (ENOTFOUND); check the payment pointer')
      },
    })
    await probe('$wallet.invalid/bob')
    expect((await screen.findByRole('alert')).textContent).toContain('Could not reach the SPSP server at https://wallet.invalid/bob (ENOTFOUND)')
  })

  it('refuses an empty pointer before asking the engine', async () => {
    const { engine } = renderWithEngine(<QuotePanel />, { probeRate: () => makeProbe() })
    await screen.findByLabelText('Amount (XRP)')
    await userEvent.click(screen.getByRole('button', { name: /Probe/ }))
    expect((await screen.findByRole('alert')).textContent).toMatch(/Enter a payment pointer/)
    expect(engine.callsTo('probeRate')).toHaveLength(0)
  })

  it('a quote that leaves Junction points to the probe; one to an app does not', async () => {
    const quote: QuoteView = {
      destination: 'g.ilsp.shop',
      route: { prefix: '', nextHop: 'parent', relation: 'parent', source: 'parent' },
      beyondJunction: true,
      sourceAsset: { code: 'XRP', scale: 9 },
      destinationAsset: { code: 'XRP', scale: 9 },
      rate: { numerator: '1', denominator: '1', decimal: '1' },
      maxPacketAmount: '1000',
      limitedBy: 'max-packet-amount',
      curve: { points: [['0', '0'], ['1000', '1000']], base64: '' },
      sourceAmount: null,
      destinationAmount: null,
      failure: null,
    }
    let next = quote
    renderWithEngine(<QuotePanel />, { quote: () => next })
    await screen.findByLabelText('Amount (XRP)')
    await userEvent.type(screen.getByLabelText('Destination'), 'g.ilsp.shop')
    await userEvent.click(screen.getByRole('button', { name: /Quote/ }))
    expect((await screen.findByTestId('quote-beyond')).textContent).toMatch(/Past the provider, .* probe the receiver below/)
    next = { ...quote, beyondJunction: false, route: { prefix: 'g.j.bob', nextHop: 'bob', relation: 'child', source: 'child' } }
    await userEvent.click(screen.getByRole('button', { name: /Quote/ }))
    await waitFor(() => expect(screen.getByLabelText('Quote result').textContent).toContain('to app bob'))
    expect(screen.queryByTestId('quote-beyond')).toBeNull()
  })
})
