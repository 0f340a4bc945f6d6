// The Apps page: loading, error with retry, the teaching empty state, the table with exact amounts, and every action
// calling the engine with the right params and showing the engine's message when it refuses.
import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { AppsPage } from '../../../app/renderer/src/pages/AppsPage'
import type { AppView } from '../../../app/shared/api-types'
import { engineError } from '../support/fake-transport'
import { makeApp, makeTotals } from '../support/fixtures'
import { renderWithEngine } from '../support/render'

const budget = (spent: string, amount = '1000000000') => ({ amount, period: 'week' as const, periodStart: 0, periodEnd: 1, spent, inFlight: '0', remaining: '0' })

function appsEngine(apps: AppView[], extra = {}) {
  return renderWithEngine(<AppsPage />, {
    listApps: () => apps,
    ledgerTotals: ({ from }) => (from === 0 ? [makeTotals('alice', '5000000000')] : [makeTotals('alice', '123456789')]),
    ...extra,
  })
}

const rowOf = (name: string) => screen.getByRole('link', { name }).closest('tr')!
const amountsIn = (el: HTMLElement) => Array.from(el.querySelectorAll('.amount[data-units]'), (a) => a.textContent)

describe('Apps page', () => {
  it('shows loading while the list is on its way', () => {
    renderWithEngine(<AppsPage />, { listApps: () => new Promise(() => {}) })
    expect(screen.getByText('Loading the apps…')).toBeTruthy()
  })

  it('shows the error and loads again on Retry', async () => {
    const user = userEvent.setup()
    let fail = true
    renderWithEngine(<AppsPage />, {
      listApps: () => {
        if (fail) throw engineError('unavailable', 'the database is busy')
        return [makeApp({ id: 'alice' })]
      },
    })
    expect((await screen.findByRole('alert')).textContent).toContain('The database is busy')
    fail = false
    await user.click(screen.getByRole('button', { name: /Retry/ }))
    expect(await screen.findByRole('link', { name: 'alice' })).toBeTruthy()
  })

  it('teaches how to connect an app when there is none', async () => {
    renderWithEngine(<AppsPage />)
    expect(await screen.findByText('No apps yet')).toBeTruthy()
    expect(screen.getByText('btp+ws://my-app:any-secret@127.0.0.1:7768')).toBeTruthy()
    expect(screen.getByText(`ILP_CREDENTIALS='{"server":"btp+ws://my-app:any-secret@127.0.0.1:7768"}'`)).toBeTruthy()
  })

  it('lists apps with exact spend, status in words and pending apps first and marked', async () => {
    appsEngine([
      makeApp({ id: 'alice', displayName: 'Alice', budget: budget('100000000') }),
      makeApp({ id: 'bob', status: 'pending', connected: false }),
      makeApp({ id: 'eve', status: 'blocked' }),
    ])
    await screen.findByRole('link', { name: 'Alice' })
    // Today, 7 days, all time, then the budget.
    await waitFor(() => expect(amountsIn(rowOf('Alice'))).toEqual(['0.123456789 XRP', '0.123456789 XRP', '5 XRP', '1 XRP']))
    const alice = rowOf('Alice')
    expect(within(alice).getByText('Approved')).toBeTruthy()
    expect(within(alice).getByText(/10 %/)).toBeTruthy()
    const rows = within(screen.getByRole('table')).getAllByRole('row').slice(1)
    expect(rows[0]).toBe(rowOf('bob'))
    expect(rows[0]!.className).toContain('row-pending')
    expect(within(rowOf('bob')).getByText('Waiting for approval')).toBeTruthy()
    expect(within(rowOf('bob')).getByRole('button', { name: 'Approve bob' })).toBeTruthy()
    expect(within(rowOf('eve')).getByText('Blocked')).toBeTruthy()
    expect(screen.getByText(/bob waits for your approval/)).toBeTruthy()
  })

  it('approves a pending app after confirming, and reports it', async () => {
    const user = userEvent.setup()
    const { engine } = appsEngine([makeApp({ id: 'bob', status: 'pending' })], { approveApp: ({ id }: { id: string }) => makeApp({ id, status: 'approved' }) })
    await user.click(await screen.findByRole('button', { name: 'Approve bob' }))
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Approve' }))
    expect(engine.callsTo('approveApp')).toEqual([{ id: 'bob' }])
    expect(await screen.findByText(/bob is approved/)).toBeTruthy()
    expect(within(rowOf('bob')).getByText('Approved')).toBeTruthy()
  })

  it("blocks after confirming and shows the engine's message when it refuses", async () => {
    const user = userEvent.setup()
    const { engine } = appsEngine([makeApp({ id: 'alice' })], { blockApp: () => Promise.reject(engineError('not-found', 'no app "alice": it was forgotten')) })
    await user.click(await screen.findByRole('button', { name: 'Block alice' }))
    const dialog = screen.getByRole('alertdialog', { name: 'Block alice?' })
    await user.click(within(dialog).getByRole('button', { name: 'Block' }))
    expect(engine.callsTo('blockApp')).toEqual([{ id: 'alice' }])
    expect(within(dialog).getByRole('alert').textContent).toBe('No app "alice": it was forgotten.')
    expect(screen.getByRole('alertdialog')).toBe(dialog)
  })

  it('renames with the new name, and shows validation problems from the engine', async () => {
    const user = userEvent.setup()
    let refuse = true
    const { engine } = appsEngine([makeApp({ id: 'alice' })], {
      renameApp: ({ id, displayName }: { id: string; displayName: string | null }) => {
        if (refuse) throw engineError('invalid-input', 'invalid renameApp input', [{ path: 'displayName', message: 'that name is taken' }])
        return makeApp({ id, displayName })
      },
    })
    await user.click(await screen.findByRole('button', { name: 'Rename alice' }))
    const input = screen.getByLabelText('Name')
    await user.type(input, 'Alice wallet')
    await user.click(screen.getByRole('button', { name: 'Save' }))
    expect(await screen.findByText('Invalid renameApp input (displayName: that name is taken).')).toBeTruthy()
    refuse = false
    await user.click(screen.getByRole('button', { name: 'Save' }))
    expect(engine.callsTo('renameApp')).toEqual([
      { id: 'alice', displayName: 'Alice wallet' },
      { id: 'alice', displayName: 'Alice wallet' },
    ])
    expect(await screen.findByRole('link', { name: 'Alice wallet' })).toBeTruthy()
  })

  it('sets a budget in base units, refusing amounts finer than the asset', async () => {
    const user = userEvent.setup()
    const { engine } = appsEngine([makeApp({ id: 'alice' })], {
      setAppBudget: ({ id, budget: b }: { id: string; budget: { amount: string; period: 'day' | 'week' | 'month' } | null }) =>
        makeApp({ id, budget: b && { ...b, periodStart: 0, periodEnd: 1, spent: '0', inFlight: '0', remaining: b.amount } }),
    })
    await user.click(await screen.findByRole('button', { name: 'Set the budget of alice' }))
    const amount = screen.getByLabelText(/Amount/)
    await user.type(amount, '0.0000000001')
    await user.click(screen.getByRole('button', { name: 'Save budget' }))
    expect(screen.getByRole('alert').textContent).toBe('Amount: at most 9 decimal places for this asset.')
    expect(engine.callsTo('setAppBudget')).toEqual([])
    await user.clear(amount)
    await user.type(amount, '1.5')
    await user.selectOptions(screen.getByLabelText('Period'), 'month')
    await user.click(screen.getByRole('button', { name: 'Save budget' }))
    expect(engine.callsTo('setAppBudget')).toEqual([{ id: 'alice', budget: { amount: '1500000000', period: 'month' } }])
    expect(await screen.findByText(/alice may now spend 1\.5 XRP per month/)).toBeTruthy()
  })

  it('forgets an app after confirming', async () => {
    const user = userEvent.setup()
    const { engine } = appsEngine([makeApp({ id: 'alice' }), makeApp({ id: 'bob' })], { forgetApp: () => undefined })
    await user.click(await screen.findByRole('button', { name: 'Forget alice' }))
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Forget' }))
    expect(engine.callsTo('forgetApp')).toEqual([{ id: 'alice' }])
    await waitFor(() => expect(screen.queryByRole('link', { name: 'alice' })).toBeNull())
    expect(screen.getByRole('link', { name: 'bob' })).toBeTruthy()
  })

  it('warns about an app at 80 % of its budget', async () => {
    appsEngine([makeApp({ id: 'alice', budget: budget('850000000') })])
    expect(await screen.findByText('alice has used 85 % of its budget.')).toBeTruthy()
  })

  it('follows events: a new pending app appears', async () => {
    const { engine } = appsEngine([], { getApp: ({ id }: { id: string }) => makeApp({ id, status: 'pending' }) })
    await screen.findByText('No apps yet')
    engine.emit('appChanged', { id: 'newcomer' })
    expect(await screen.findByRole('link', { name: 'newcomer' })).toBeTruthy()
  })
})
