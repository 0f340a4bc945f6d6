// The Overview: loading and error states, summary cards with exact amounts, live packets/s, the per-app spend chart
// and its range picker, top apps and destinations, and the warnings before limits bite.
import { act, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { OverviewPage } from '../../../app/renderer/src/pages/OverviewPage'
import type { SpendPointView } from '../../../app/shared/api-types'
import { engineError } from '../support/fake-transport'
import { makeApp, makeStatus, makeTotals } from '../support/fixtures'
import { renderWithEngine } from '../support/render'

const card = (label: string) => screen.getByRole('region', { name: label })
const amountsIn = (el: HTMLElement) => Array.from(el.querySelectorAll('.amount[data-units]'), (a) => a.textContent)

function overview(extra = {}) {
  const now = Date.now()
  return renderWithEngine(<OverviewPage />, {
    listApps: () => [makeApp({ id: 'alice', displayName: 'Alice' }), makeApp({ id: 'bob' })],
    ledgerTotals: () => [makeTotals('alice', '123456789', '7'), makeTotals('bob', '1000000000')],
    ledgerSpendSeries: ({ resolution }): SpendPointView[] => [
      { start: now - 120_000, resolution, spent: { alice: '100000000', bob: '3' } },
      { start: now - 60_000, resolution, spent: { alice: '23456789' } },
    ],
    ledgerDestinations: () => [{ prefix: 'g.ilsp.shop', packets: '12', amountApp: '123456789', amountProvider: '123456789' }],
    ...extra,
  })
}

describe('Overview page', () => {
  it('shows loading until the status arrives', () => {
    renderWithEngine(<OverviewPage />, { status: () => new Promise(() => {}) })
    expect(screen.getByText("Loading Junction's status…")).toBeTruthy()
  })

  it('shows a failed status with a retry', async () => {
    const user = userEvent.setup()
    let fail = true
    const { engine } = renderWithEngine(<OverviewPage />, {
      status: () => {
        if (fail) throw engineError('disconnected', 'not connected to Junction')
        return makeStatus()
      },
      ledgerSpendSeries: () => [],
      ledgerDestinations: () => [],
    })
    expect((await screen.findByRole('alert')).textContent).toMatch(/check that it is running/)
    fail = false
    await user.click(screen.getByRole('button', { name: /Retry/ }))
    expect(await screen.findByRole('region', { name: 'Spent today' })).toBeTruthy()
    expect(engine.callsTo('status').length).toBe(2)
  })

  it('sums spent and earned today exactly and shows the provider balance', async () => {
    overview({ status: () => makeStatus({ provider: { ...makeStatus().provider, balance: '-250000000' } }) })
    await waitFor(() => expect(amountsIn(card('Spent today'))).toEqual(['1.123456789 XRP']))
    expect(amountsIn(card('Earned today'))).toEqual(['0.000000007 XRP'])
    expect(amountsIn(card('Balance with provider'))[0]).toBe('−0.25 XRP')
    expect(card('Balance with provider').textContent).toContain('Credit limit 1 XRP')
  })

  it('shows packets per second from the traffic event', async () => {
    const { engine } = overview()
    await screen.findByRole('region', { name: 'Packets per second' })
    expect(card('Packets per second').textContent).toContain('Nothing moving right now')
    act(() => engine.emit('traffic', { packetsPerSecond: 42.25, fulfilledPerSecond: 40 }))
    expect(card('Packets per second').textContent).toContain('42.3')
    expect(card('Packets per second').textContent).toContain('40 fulfilled per second')
  })

  it('draws the spend chart per app and lists top apps and destinations with exact amounts', async () => {
    const { engine } = overview()
    const legend = await screen.findByRole('list', { name: 'Apps in the chart' })
    expect(within(legend).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['Alice', 'bob'])
    const chart = screen.getByRole('img', { name: /Spend per app over the last 24 hours/ })
    // One area per app, in that app's colour everywhere (the legend's swatch uses the same).
    const fills = Array.from(chart.querySelectorAll('.recharts-area-area'), (p) => p.getAttribute('fill'))
    const swatches = within(legend).getAllByRole('listitem').map((li) => (li.querySelector('.swatch') as HTMLElement).style.background)
    expect(fills.length).toBe(2)
    expect(new Set(fills)).toEqual(new Set(swatches))
    const top = screen.getByRole('table', { name: 'Top apps' })
    expect(amountsIn(top)).toEqual(['0.123456789 XRP', '0.000000003 XRP'])
    const dest = screen.getByRole('table', { name: 'Top destinations' })
    expect(within(dest).getByText('g.ilsp.shop')).toBeTruthy()
    expect(amountsIn(dest)).toEqual(['0.123456789 XRP'])
    const [series] = engine.callsTo('ledgerSpendSeries')
    expect(series!.resolution).toBe('hour')
    expect(series!.to - series!.from).toBeGreaterThanOrEqual(86_400_000)
  })

  it('asks for the resolution that fits the picked range', async () => {
    const user = userEvent.setup()
    const { engine } = overview()
    await screen.findByRole('list', { name: 'Apps in the chart' })
    for (const [label, resolution] of [
      ['Week', 'hour'],
      ['Month', 'day'],
      ['Hour', 'minute'],
    ] as const) {
      await user.click(screen.getByRole('button', { name: label }))
      expect(screen.getByRole('button', { name: label }).getAttribute('aria-pressed')).toBe('true')
      await waitFor(() => expect(engine.callsTo('ledgerSpendSeries').at(-1)!.resolution).toBe(resolution))
    }
    const last = engine.callsTo('ledgerSpendSeries').at(-1)!
    expect(last.to - last.from).toBeLessThan(2 * 3_600_000)
    expect(engine.callsTo('ledgerDestinations').at(-1)!.from).toBe(last.from)
  })

  it('says when nothing was spent', async () => {
    renderWithEngine(<OverviewPage />, { ledgerSpendSeries: () => [], ledgerDestinations: () => [] })
    expect(await screen.findByText('No spending in the last 24 hours')).toBeTruthy()
    expect(await screen.findByText('No payments went out')).toBeTruthy()
  })

  it('shows a failed chart with a retry without hiding the rest', async () => {
    overview({ ledgerSpendSeries: () => Promise.reject(engineError('unavailable', 'the ledger is not open')) })
    expect((await screen.findByText('Could not load the spend chart')).closest('[role=alert]')!.textContent).toContain('The ledger is not open')
    expect(screen.getByRole('region', { name: 'Spent today' })).toBeTruthy()
  })

  it('warns before limits bite: provider credit, app budgets, pending apps, paused', async () => {
    overview({
      status: () =>
        makeStatus({
          paused: true,
          apps: { total: 2, connected: 1, pending: 1 },
          provider: { ...makeStatus().provider, balance: '-900000000', minBalance: '-1000000000' },
        }),
      listApps: () => [makeApp({ id: 'alice', budget: { amount: '100', period: 'day', periodStart: 0, periodEnd: 1, spent: '80', inFlight: '0', remaining: '20' } })],
    })
    expect(await screen.findByText(/You have used 90 % of your credit with ilsp\.example:7768/)).toBeTruthy()
    expect(await screen.findByText('alice has used 80 % of its budget.')).toBeTruthy()
    expect(screen.getByText('An app waits for your approval.')).toBeTruthy()
    expect(screen.getByText(/Junction is paused/)).toBeTruthy()
    expect(card('Balance with provider').textContent).toContain('90 % used')
  })

  it('says local mode when there is no provider', async () => {
    overview({ status: () => makeStatus({ provider: { ...makeStatus().provider, configured: false, url: null, state: null, balance: null, minBalance: null } }) })
    expect((await screen.findByRole('region', { name: 'Balance with provider' })).textContent).toContain('Local mode')
  })
})
