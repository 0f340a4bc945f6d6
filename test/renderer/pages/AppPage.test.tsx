// One app's page: loading, not found, error, and its details, budget, chart, destinations and packets; editing its
// name, and forgetting it from here.
import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { AppPage } from '../../../app/renderer/src/pages/AppPage'
import { engineError } from '../support/fake-transport'
import { makeApp, makeTotals } from '../support/fixtures'
import { renderWithEngine } from '../support/render'

const flow = (amount: string) => ({ packets: amount === '0' ? '0' : '1', amountApp: amount, amountProvider: amount })
const amountsIn = (el: HTMLElement) => Array.from(el.querySelectorAll('.amount[data-units]'), (a) => a.textContent)

function appPage(extra = {}) {
  const now = Date.now()
  return renderWithEngine(<AppPage id="alice" />, {
    listApps: () => [
      makeApp({
        id: 'alice',
        displayName: 'Alice',
        budget: { amount: '1000000000', period: 'day', periodStart: 0, periodEnd: 1, spent: '950000000', inFlight: '0', remaining: '50000000' },
      }),
    ],
    ledgerTotals: () => [makeTotals('alice', '123456789', '42')],
    ledgerSeries: ({ resolution }) => [{ start: now - 60_000, resolution, spent: flow('123456789'), earned: flow('42') }],
    ledgerTopDestinations: () => [
      { prefix: 'g.ilsp.small', packets: '1', amountApp: '5', amountProvider: '5' },
      { prefix: 'g.ilsp.big', packets: '3', amountApp: '123456784', amountProvider: '123456784' },
    ],
    recentPackets: () => [
      { seq: 2, time: now - 1000, app: 'alice', direction: 'out', destination: 'g.ilsp.big.x', amount: '10', result: 'T04', message: 'budget reached' },
      { seq: 1, time: now - 2000, app: 'bob', direction: 'out', destination: 'g.other', amount: '10', result: 'fulfilled', message: '' },
    ],
    ...extra,
  })
}

describe('App page', () => {
  it('shows loading, then the app', async () => {
    appPage()
    expect(screen.getByText('Loading the app…')).toBeTruthy()
    expect(await screen.findByRole('heading', { name: 'Alice', level: 1 })).toBeTruthy()
  })

  it('says when there is no such app', async () => {
    renderWithEngine(<AppPage id="ghost" />)
    expect(await screen.findByText('No such app')).toBeTruthy()
  })

  it('shows a failed load with a retry', async () => {
    renderWithEngine(<AppPage id="alice" />, { listApps: () => Promise.reject(engineError('unavailable', 'busy')) })
    expect((await screen.findByRole('alert')).textContent).toContain('Could not load the app')
  })

  it('shows its address, budget warning, totals, chart, destinations and packets exactly', async () => {
    const { engine } = appPage()
    await screen.findByRole('heading', { name: 'Alice', level: 1 })
    expect(screen.getAllByText('g.ilsp.junction.alice').length).toBeGreaterThan(0)
    expect(screen.getByText(/Alice has used over 80 % of its budget/)).toBeTruthy()
    const budget = screen.getByRole('heading', { name: 'Budget and spend' }).closest('section')!
    await waitFor(() => expect(amountsIn(budget)).toEqual(['0.95 XRP', '1 XRP', '0.123456789 XRP', '0.123456789 XRP', '0.123456789 XRP', '0.000000042 XRP']))
    expect(budget.textContent).toContain('95 %')
    expect(await screen.findByRole('img', { name: /Spent and earned over the last 24 hours/ })).toBeTruthy()
    expect(engine.callsTo('ledgerSeries')[0]).toMatchObject({ id: 'alice', resolution: 'hour' })
    const dest = screen.getByRole('table', { name: 'Destinations' })
    expect(within(dest).getAllByRole('row').slice(1).map((r) => r.firstChild!.textContent)).toEqual(['g.ilsp.big', 'g.ilsp.small'])
    expect(amountsIn(dest)).toEqual(['0.123456784 XRP', '0.000000005 XRP'])
    const packets = screen.getByRole('table', { name: 'Latest packets' })
    expect(within(packets).getAllByRole('row')).toHaveLength(2)
    expect(within(packets).getByText(/T04 — insufficient liquidity/)).toBeTruthy()
  })

  it('edits its name', async () => {
    const user = userEvent.setup()
    const { engine } = appPage({ renameApp: ({ id, displayName }: { id: string; displayName: string | null }) => makeApp({ id, displayName }) })
    await user.click(await screen.findByRole('button', { name: 'Edit the name of Alice' }))
    const input = screen.getByLabelText('Name')
    await user.clear(input)
    await user.type(input, 'Alice’s wallet{Enter}')
    expect(engine.callsTo('renameApp')).toEqual([{ id: 'alice', displayName: 'Alice’s wallet' }])
    expect(await screen.findByRole('heading', { name: 'Alice’s wallet', level: 1 })).toBeTruthy()
  })

  it('clears the name back to the id with an empty entry', async () => {
    const user = userEvent.setup()
    const { engine } = appPage({ renameApp: ({ id }: { id: string }) => makeApp({ id }) })
    await user.click(await screen.findByRole('button', { name: 'Edit the name of Alice' }))
    await user.clear(screen.getByLabelText('Name'))
    await user.click(screen.getByRole('button', { name: 'Save' }))
    expect(engine.callsTo('renameApp')).toEqual([{ id: 'alice', displayName: null }])
  })

  it('goes back to the list after forgetting it', async () => {
    const user = userEvent.setup()
    window.location.hash = '#/apps/alice'
    appPage({ forgetApp: () => undefined })
    await user.click(await screen.findByRole('button', { name: 'Forget Alice' }))
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Forget' }))
    await waitFor(() => expect(window.location.hash).toBe('#/apps'))
  })

  it('says when the ledger has nothing for the range', async () => {
    appPage({ ledgerSeries: () => [], ledgerTopDestinations: () => [], recentPackets: () => [] })
    expect(await screen.findByText('Nothing spent or earned in the last 24 hours')).toBeTruthy()
    expect(screen.getByText('No payments out in this range')).toBeTruthy()
    expect(screen.getByText('No recent packets from this app')).toBeTruthy()
  })
})
