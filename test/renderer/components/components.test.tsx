// The shared components: Amount (exact, with raw units), DataTable (sorting, search, empty state), ConfirmDialog
// (focus, Escape, outcome), LoadState, StatusDot and CopyButton.
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { Amount } from '../../../app/renderer/src/components/Amount'
import { ConfirmDialog } from '../../../app/renderer/src/components/ConfirmDialog'
import { CopyButton } from '../../../app/renderer/src/components/CopyButton'
import { DataTable } from '../../../app/renderer/src/components/DataTable'
import { LoadState } from '../../../app/renderer/src/components/LoadState'
import { Notices } from '../../../app/renderer/src/components/Notices'
import { StatusDot } from '../../../app/renderer/src/components/StatusDot'
import { BudgetBar, budgetLevel } from '../../../app/renderer/src/components/BudgetBar'
import { providerLimitWarning } from '../../../app/renderer/src/components/provider-words'
import { resetNoticesStore } from '../../../app/renderer/src/store/notices'
import { resetStatusStore, useStatus } from '../../../app/renderer/src/store/status'
import { engineError } from '../support/fake-transport'
import { makeStatus } from '../support/fixtures'

afterEach(() => {
  cleanup()
  resetStatusStore()
  resetNoticesStore()
})

const XRP = { assetCode: 'XRP', assetScale: 9 }

describe('Amount', () => {
  it('shows an exact amount with its code and the raw units on hover', () => {
    render(<Amount units="123456789" asset={XRP} />)
    const el = screen.getByText(/0\.123456789/)
    expect(el.closest('.amount')!.textContent).toBe('0.123456789 XRP')
    expect(el.closest('.amount')!.getAttribute('title')).toBe('123456789 base units (scale 9)')
  })
  it("uses Junction's asset from the status", () => {
    useStatus.setState({ status: makeStatus({ assetCode: 'USD', assetScale: 2 }) })
    const { container } = render(<Amount units={12345n} signed />)
    expect(container.textContent).toBe('+123.45 USD')
  })
  it('never guesses a scale it does not know', () => {
    const { container } = render(<Amount units="5000" />)
    expect(container.textContent).toBe('5000 units')
  })
  it('keeps precision beyond floating point', () => {
    const { container } = render(<Amount units="9007199254740993" asset={XRP} />)
    expect(container.textContent).toBe('9,007,199.254740993 XRP')
  })
})

type Row = { id: string; name: string; amount: string }
const rows: Row[] = [
  { id: 'a', name: 'Alpha', amount: '30' },
  { id: 'b', name: 'beta', amount: '9007199254740993' },
  { id: 'c', name: 'Gamma', amount: '9007199254740992' },
]

function Table(props: { rows?: Row[] }) {
  return (
    <DataTable
      label="Things"
      rows={props.rows ?? rows}
      rowKey={(r) => r.id}
      searchText={(r) => r.name}
      columns={[
        { key: 'name', header: 'Name', cell: (r) => r.name, sortValue: (r) => r.name },
        { key: 'amount', header: 'Amount', cell: (r) => r.amount, sortValue: (r) => BigInt(r.amount), align: 'right' },
      ]}
      empty={<p>Nothing here yet</p>}
    />
  )
}

const names = () =>
  within(screen.getByRole('table'))
    .getAllByRole('row')
    .slice(1)
    .map((r) => r.firstChild!.textContent)

describe('DataTable', () => {
  it('sorts by a column with the keyboard, both ways, exactly for big amounts', async () => {
    const user = userEvent.setup()
    render(<Table />)
    const amount = screen.getByRole('button', { name: /Amount/ })
    amount.focus()
    await user.keyboard('{Enter}')
    expect(names()).toEqual(['Alpha', 'Gamma', 'beta'])
    expect(screen.getByRole('columnheader', { name: /Amount/ }).getAttribute('aria-sort')).toBe('ascending')
    await user.keyboard('{Enter}')
    expect(names()).toEqual(['beta', 'Gamma', 'Alpha'])
    expect(screen.getByRole('columnheader', { name: /Amount/ }).getAttribute('aria-sort')).toBe('descending')
    await user.click(screen.getByRole('button', { name: /Name/ }))
    expect(names()).toEqual(['Alpha', 'beta', 'Gamma'])
  })
  it('filters with the search box and says when nothing matches', async () => {
    const user = userEvent.setup()
    render(<Table />)
    await user.type(screen.getByRole('searchbox'), 'gam')
    expect(names()).toEqual(['Gamma'])
    await user.clear(screen.getByRole('searchbox'))
    await user.type(screen.getByRole('searchbox'), 'zzz')
    expect(screen.getByText(/Nothing matches/)).toBeTruthy()
  })
  it('shows the empty state when there are no rows', () => {
    render(<Table rows={[]} />)
    expect(screen.getByText('Nothing here yet')).toBeTruthy()
    expect(screen.queryByRole('table')).toBeNull()
  })
})

describe('ConfirmDialog', () => {
  function Harness({ onConfirm, onClose }: { onConfirm: () => Promise<unknown>; onClose: () => void }) {
    return (
      <>
        <button type="button">opener</button>
        <ConfirmDialog title="Block Alice?" confirmLabel="Block" danger onConfirm={onConfirm} onClose={onClose} successMessage="Alice is blocked.">
          <p>She is disconnected.</p>
        </ConfirmDialog>
        <Notices />
      </>
    )
  }
  it('keeps focus inside and closes on Escape', async () => {
    const user = userEvent.setup()
    const onClose = vi.fn()
    render(<Harness onConfirm={async () => {}} onClose={onClose} />)
    const dialog = screen.getByRole('alertdialog', { name: 'Block Alice?' })
    expect(dialog.contains(document.activeElement)).toBe(true)
    for (let i = 0; i < 5; i++) {
      await user.tab()
      expect(dialog.contains(document.activeElement)).toBe(true)
    }
    await user.tab({ shift: true })
    expect(dialog.contains(document.activeElement)).toBe(true)
    await user.keyboard('{Escape}')
    expect(onClose).toHaveBeenCalledOnce()
  })
  it('reports success as a notice and closes', async () => {
    const user = userEvent.setup()
    const onClose = vi.fn()
    render(<Harness onConfirm={async () => {}} onClose={onClose} />)
    await user.click(screen.getByRole('button', { name: 'Block' }))
    expect(onClose).toHaveBeenCalledOnce()
    expect(screen.getByText('Alice is blocked.')).toBeTruthy()
  })
  it("stays open with the engine's message on failure", async () => {
    const user = userEvent.setup()
    const onClose = vi.fn()
    render(<Harness onConfirm={() => Promise.reject(engineError('not-found', 'no app "alice"'))} onClose={onClose} />)
    await user.click(screen.getByRole('button', { name: 'Block' }))
    expect(onClose).not.toHaveBeenCalled()
    expect(within(screen.getByRole('alertdialog')).getByRole('alert').textContent).toBe('No app "alice".')
  })
})

describe('LoadState', () => {
  it('shows loading, then an error with retry, then the content', async () => {
    const retry = vi.fn()
    const { rerender } = render(
      <LoadState loading error={null} what="the apps" onRetry={retry}>
        content
      </LoadState>,
    )
    expect(screen.getByRole('status').textContent).toBe('Loading the apps…')
    rerender(
      <LoadState loading={false} error={engineError('unavailable', 'the database is locked')} what="the apps" onRetry={retry}>
        content
      </LoadState>,
    )
    expect(screen.getByRole('alert').textContent).toContain('Could not load the apps')
    expect(screen.getByRole('alert').textContent).toContain('The database is locked. Try again in a moment.')
    fireEvent.click(screen.getByRole('button', { name: /Retry/ }))
    expect(retry).toHaveBeenCalledOnce()
    rerender(
      <LoadState loading={false} error={null} what="the apps">
        content
      </LoadState>,
    )
    expect(screen.getByText('content')).toBeTruthy()
  })
})

describe('StatusDot and CopyButton', () => {
  it('carries its meaning in words', () => {
    render(<StatusDot tone="warn" label="Reconnecting in 8 s" />)
    expect(screen.getByText('Reconnecting in 8 s')).toBeTruthy()
  })
  it('copies and says so', async () => {
    const writeText = vi.fn().mockResolvedValue(undefined)
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true })
    render(<CopyButton text="g.ilsp.me" label="Copy address" />)
    await act(async () => fireEvent.click(screen.getByRole('button')))
    expect(writeText).toHaveBeenCalledWith('g.ilsp.me')
    expect(screen.getByText('Copied')).toBeTruthy()
  })
  it('says how to copy by hand when the clipboard is refused', async () => {
    Object.defineProperty(navigator, 'clipboard', { value: { writeText: () => Promise.reject(new Error('denied')) }, configurable: true })
    render(<CopyButton text="x" />)
    await act(async () => fireEvent.click(screen.getByRole('button')))
    expect(screen.getByText('Select and copy by hand')).toBeTruthy()
  })
})

describe('limits', () => {
  it('warns at 80 % of a budget and says when it is reached', () => {
    const budget = { amount: '1000', period: 'week' as const, periodStart: 0, periodEnd: 1, spent: '790', inFlight: '10', remaining: '200' }
    expect(budgetLevel(budget)).toBe('near')
    expect(budgetLevel({ ...budget, spent: '700' })).toBe('ok')
    expect(budgetLevel({ ...budget, spent: '1000', inFlight: '0' })).toBe('reached')
    useStatus.setState({ status: makeStatus() })
    render(<BudgetBar budget={{ ...budget, spent: '1000', inFlight: '0' }} />)
    expect(screen.getByText(/reached/)).toBeTruthy()
    expect(screen.getByRole('meter').getAttribute('aria-valuenow')).toBe('100')
  })
  it('warns when the provider balance nears its credit limit', () => {
    const p = makeStatus().provider
    expect(providerLimitWarning({ ...p, balance: '-500000000', minBalance: '-1000000000' })).toBeNull()
    expect(providerLimitWarning({ ...p, balance: '-850000000', minBalance: '-1000000000' })).toEqual({ side: 'min', percent: 85, limit: '-1000000000' })
    expect(providerLimitWarning({ ...p, balance: '90', minBalance: null, maxBalance: '100' })).toEqual({ side: 'max', percent: 90, limit: '100' })
    expect(providerLimitWarning({ ...p, configured: false, balance: null })).toBeNull()
  })
})
