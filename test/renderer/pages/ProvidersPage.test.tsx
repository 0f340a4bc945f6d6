// The Providers page: the provider's link (connected since, reconnecting with the last error, local mode), masked URL,
// own address, asset, latency and the balance against its limits; loading and error states; no fake buttons.
import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AccountView } from '../../../app/shared/api-types'
import { ProvidersPage } from '../../../app/renderer/src/pages/ProvidersPage'
import { useNetwork } from '../../../app/renderer/src/store/network'
import { engineError } from '../support/fake-transport'
import { makeStatus } from '../support/fixtures'
import { renderWithEngine } from '../support/render'

const parentAccount: AccountView = {
  id: 'parent',
  relation: 'parent',
  label: 'btp+ws://junction:*****@ilsp.example:7768',
  link: 'connected',
  balance: '-250000000',
  minBalance: '-1000000000',
  maxBalance: null,
  packets: { fulfilled: 1500, rejected: 2 },
}
const network = { listAccounts: () => [parentAccount], listRoutes: () => [] }

beforeEach(() => useNetwork.getState().reset())
afterEach(() => useNetwork.getState().reset())

describe('Providers page', () => {
  it('says it is loading until the status comes', async () => {
    renderWithEngine(<ProvidersPage />, { ...network, status: () => new Promise(() => {}) })
    expect(await screen.findByText(/Loading the provider's state/)).toBeTruthy()
  })

  it('shows a failed load with a retry', async () => {
    const { engine } = renderWithEngine(<ProvidersPage />, {
      ...network,
      status: () => {
        throw engineError('unavailable', 'the engine is starting')
      },
    })
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toMatch(/Could not load the provider's state/)
    engine.handle('status', () => makeStatus())
    await userEvent.click(within(alert).getByRole('button', { name: /Retry/ }))
    expect(await screen.findByText('Connected to ilsp.example:7768')).toBeTruthy()
  })

  it('shows the connected provider: since when, masked URL, address, asset, latency, exact balance against limits', async () => {
    const since = Date.now() - 3 * 60_000 - 10_000
    renderWithEngine(<ProvidersPage />, {
      ...network,
      status: () =>
        makeStatus({
          provider: {
            configured: true,
            url: 'btp+ws://junction:*****@ilsp.example:7768',
            state: { state: 'connected', since },
            balance: '-250000000',
            minBalance: '-1000000000',
            maxBalance: null,
            latencyMs: 12,
          },
        }),
    })
    expect(await screen.findByText('Connected to ilsp.example:7768')).toBeTruthy()
    expect(screen.getByText('3 min ago').getAttribute('title')).toBeTruthy()
    expect(screen.getByText('btp+ws://junction:*****@ilsp.example:7768')).toBeTruthy()
    expect(screen.getByText('g.ilsp.junction')).toBeTruthy()
    expect(screen.getByRole('button', { name: 'Copy address: g.ilsp.junction' })).toBeTruthy()
    expect(screen.getByText('12 ms')).toBeTruthy()
    const page = document.querySelector('.providers-page')!
    expect(page.textContent).toContain('XRP, scale 9 (1 XRP = 1,000,000,000 base units)')
    expect(page.textContent).toContain('balance −0.25 XRP')
    expect(page.textContent).toContain('Packets to the provider (ilsp.example:7768) are refused below −1 XRP; room left: 0.75 XRP.')
    expect(page.textContent).toContain('never refused for its balance: it has no maximum')
    await waitFor(() => expect(page.textContent).toContain('1,500 fulfilled, 2 rejected'))
  })

  it('shows a reconnecting link with the countdown and the last error', async () => {
    renderWithEngine(<ProvidersPage />, {
      ...network,
      status: () =>
        makeStatus({
          provider: {
            ...makeStatus().provider,
            state: { state: 'waiting', retryAt: Date.now() + 8_500, lastError: 'connection refused (ECONNREFUSED)' },
          },
        }),
    })
    expect(await screen.findByText(/^Reconnecting in (8|9) s$/)).toBeTruthy()
    expect(screen.getByText('Last error: connection refused (ECONNREFUSED)')).toBeTruthy()
  })

  it('explains local mode', async () => {
    renderWithEngine(<ProvidersPage />, {
      listAccounts: () => [],
      listRoutes: () => [],
      status: () =>
        makeStatus({
          address: 'private.junction',
          provider: { configured: false, url: null, state: null, balance: null, minBalance: null, maxBalance: null, latencyMs: null },
        }),
    })
    expect(await screen.findByText('No provider — local mode')).toBeTruthy()
    expect(screen.getByText('private.junction')).toBeTruthy()
  })

  it('says adding and switching providers comes later, with no buttons for it', async () => {
    renderWithEngine(<ProvidersPage />, network)
    await screen.findByText('Connected to ilsp.example:7768')
    expect(screen.getByRole('note').textContent).toMatch(/Adding, testing and switching providers from here comes in a later version/)
    expect(screen.queryByRole('button', { name: /\b(add|switch|test)\b/i })).toBeNull()
  })
})
