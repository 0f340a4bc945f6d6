// The Settlements page: each account's balance against its limits with what happens at each limit and the room left,
// exact; its loading, empty and error states; the note that settling comes later.
import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AccountView } from '../../../app/shared/api-types'
import { SettlementsPage } from '../../../app/renderer/src/pages/SettlementsPage'
import { useNetwork } from '../../../app/renderer/src/store/network'
import { engineError } from '../support/fake-transport'
import { renderWithEngine } from '../support/render'

const provider: AccountView = {
  id: 'parent',
  relation: 'parent',
  label: 'ilsp.example',
  link: 'connected',
  balance: '-250000000',
  minBalance: '-1000000000',
  maxBalance: null,
  packets: { fulfilled: 0, rejected: 0 },
}
const alice: AccountView = {
  id: 'alice',
  relation: 'child',
  label: 'Alice',
  link: 'connected',
  balance: '1000000000',
  minBalance: '0',
  maxBalance: '1000000000',
  packets: { fulfilled: 0, rejected: 0 },
}

const rows = () => within(screen.getByRole('table', { name: 'Balances against limits' })).getAllByRole('row').slice(1)

beforeEach(() => useNetwork.getState().reset())
afterEach(() => useNetwork.getState().reset())

describe('Settlements page', () => {
  it('says it is loading, and that settling comes later', async () => {
    renderWithEngine(<SettlementsPage />, { listAccounts: () => new Promise(() => {}), listRoutes: () => [] })
    expect(await screen.findByText(/Loading the accounts/)).toBeTruthy()
    expect(screen.getByRole('note').textContent).toMatch(/thresholds .* and the history of settlements — comes in a later version/)
    // No buttons that would do nothing.
    expect(screen.queryByRole('button', { name: /settle/i })).toBeNull()
  })

  it('explains an empty list', async () => {
    renderWithEngine(<SettlementsPage />, { listAccounts: () => [], listRoutes: () => [] })
    expect(await screen.findByText('No accounts to settle')).toBeTruthy()
  })

  it('shows a failed load with a retry', async () => {
    const { engine } = renderWithEngine(<SettlementsPage />, {
      listAccounts: () => {
        throw engineError('disconnected', 'not connected to Junction')
      },
      listRoutes: () => [],
    })
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toMatch(/Could not load the accounts/)
    expect(alert.textContent).toMatch(/check that it is running/)
    engine.handle('listAccounts', () => [alice])
    await userEvent.click(within(alert).getByRole('button', { name: /Retry/ }))
    await waitFor(() => expect(rows()).toHaveLength(1))
  })

  it('shows each limit with what happens there and the room left, exactly', async () => {
    renderWithEngine(<SettlementsPage />, { listAccounts: () => [alice, provider], listRoutes: () => [] })
    await waitFor(() => expect(rows()).toHaveLength(2))
    const [p, a] = rows()
    await waitFor(() => expect(p!.textContent).toContain('Packets to ilsp.example are refused below −1 XRP'))
    expect(p!.textContent).toContain('room left: 0.75 XRP')
    expect(p!.textContent).toContain('no limit: never refused for the balance')

    expect(a!.textContent).toContain('Packets from Alice are refused above 1 XRP')
    expect(a!.textContent).toContain('no room left')
    expect(a!.textContent).toContain('Packets to Alice are refused below 0 XRP')
    expect(a!.textContent).toContain('room left: 1 XRP')
    // At the limit: in words, not only in colour.
    expect(a!.textContent).toContain('Alice is at its maximum: packets from it are refused.')
    expect(within(a!).getByRole('meter').getAttribute('aria-valuenow')).toBe('100')
  })
})
