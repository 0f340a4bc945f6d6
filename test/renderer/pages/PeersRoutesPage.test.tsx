// The Peers & Routes page: the accounts table (relation, link, balance against its limits, packet counts) and the
// routing table (source, path, expiry), their loading, empty and error states, and a refresh on routesChanged.
import { act, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AccountView, RouteView } from '../../../app/shared/api-types'
import { PeersRoutesPage } from '../../../app/renderer/src/pages/PeersRoutesPage'
import { useNetwork } from '../../../app/renderer/src/store/network'
import { engineError } from '../support/fake-transport'
import { renderWithEngine } from '../support/render'

const provider: AccountView = {
  id: 'parent',
  relation: 'parent',
  label: 'btp+ws://junction:*****@ilsp.example:7768',
  link: 'waiting',
  balance: '-250000000',
  minBalance: '-1000000000',
  maxBalance: null,
  packets: { fulfilled: 1234, rejected: 5 },
}
const alice: AccountView = {
  id: 'alice',
  relation: 'child',
  label: 'Alice',
  link: 'connected',
  balance: '900000001',
  minBalance: '-500000000',
  maxBalance: '1000000000',
  packets: { fulfilled: 42, rejected: 3 },
}
const routes: RouteView[] = [
  { prefix: 'g', nextHop: 'parent', source: 'parent', path: ['g.ilsp', 'g.backbone'], expiresAt: Date.now() + 5 * 60_000 + 30_000 },
  { prefix: 'g.ilsp.junction.alice', nextHop: 'alice', source: 'child', path: [], expiresAt: null },
]

function tableRows(name: string): HTMLElement[] {
  return within(screen.getByRole('table', { name })).getAllByRole('row').slice(1)
}

beforeEach(() => useNetwork.getState().reset())
afterEach(() => useNetwork.getState().reset())

describe('Peers & Routes page', () => {
  it('says what is loading', async () => {
    renderWithEngine(<PeersRoutesPage />, { listPeers: () => [], listAccounts: () => new Promise(() => {}), listRoutes: () => new Promise(() => {}) })
    expect(await screen.findByText(/Loading the accounts/)).toBeTruthy()
    expect(screen.getByText(/Loading the routes/)).toBeTruthy()
  })

  it('explains empty tables', async () => {
    renderWithEngine(<PeersRoutesPage />, { listPeers: () => [], listAccounts: () => [], listRoutes: () => [] })
    expect(await screen.findByText('No accounts yet')).toBeTruthy()
    expect(await screen.findByText('No routes yet')).toBeTruthy()
  })

  it('shows a failed list with its reason and a retry, the other list still shown', async () => {
    const { engine } = renderWithEngine(<PeersRoutesPage />, { listPeers: () => [],
      listAccounts: () => {
        throw engineError('unavailable', 'the accounts cannot be read')
      },
      listRoutes: () => routes,
    })
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toMatch(/Could not load the accounts/)
    expect(alert.textContent).toMatch(/The accounts cannot be read/)
    await waitFor(() => expect(tableRows('Routes')).toHaveLength(2))
    engine.handle('listAccounts', () => [alice])
    await userEvent.click(within(alert).getByRole('button', { name: /Retry/ }))
    await waitFor(() => expect(tableRows('Accounts')).toHaveLength(1))
  })

  it('lists accounts with relation, link, exact balance against limits and packet counts', async () => {
    renderWithEngine(<PeersRoutesPage />, { listPeers: () => [], listAccounts: () => [alice, provider], listRoutes: () => [] })
    await waitFor(() => expect(tableRows('Accounts')).toHaveLength(2))
    // The provider sorts first.
    const [p, a] = tableRows('Accounts')
    expect(p!.textContent).toContain('Provider')
    expect(p!.textContent).toContain('Reconnecting')
    await waitFor(() => expect(p!.textContent).toContain('balance −0.25 XRP'))
    expect(p!.textContent).toContain('min −1 XRP')
    expect(p!.textContent).toContain('max none')
    expect(p!.textContent).toContain('1,234')
    // With only a minimum, the bar runs from it to zero: three quarters of the credit is left.
    expect(within(p!).getByRole('meter').getAttribute('aria-valuenow')).toBe('75')
    expect(within(p!).getByRole('meter').getAttribute('aria-valuetext')).toContain('no maximum')

    expect(a!.textContent).toContain('Alice')
    expect(a!.textContent).toContain('App')
    expect(a!.textContent).toContain('Connected')
    expect(a!.textContent).toContain('balance +0.900000001 XRP')
    expect(a!.textContent).toContain('max 1 XRP')
    const meter = within(a!).getByRole('meter')
    expect(meter.getAttribute('aria-valuenow')).toBe('93.3')
    expect(meter.getAttribute('aria-valuetext')).toContain('maximum 1 XRP')
    // Near the maximum: said in words, not only in colour.
    expect(a!.textContent).toContain('Alice is near its maximum.')
  })

  it('lists routes with source, path and expiry ("never" when none)', async () => {
    renderWithEngine(<PeersRoutesPage />, { listPeers: () => [], listAccounts: () => [], listRoutes: () => routes })
    await waitFor(() => expect(tableRows('Routes')).toHaveLength(2))
    const [g, child] = tableRows('Routes')
    expect(g!.textContent).toContain('provider (default route)')
    expect(g!.textContent).toContain('g.ilsp → g.backbone')
    expect(within(g!).getByText('in 5 min').getAttribute('title')).toBeTruthy()
    expect(child!.textContent).toContain('g.ilsp.junction.alice')
    expect(child!.textContent).toContain('direct')
    expect(child!.textContent).toContain('never')
  })

  it('fetches the routing table again on routesChanged', async () => {
    const { engine } = renderWithEngine(<PeersRoutesPage />, { listPeers: () => [], listAccounts: () => [], listRoutes: () => routes.slice(0, 1) })
    await waitFor(() => expect(tableRows('Routes')).toHaveLength(1))
    engine.handle('listRoutes', () => routes)
    act(() => engine.emit('routesChanged', {}))
    await waitFor(() => expect(tableRows('Routes')).toHaveLength(2))
  })
})
