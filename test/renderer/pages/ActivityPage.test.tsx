// The Activity page: loading, empty, error and data states; exact amounts; reject codes in words; the filters; live
// packets from events; the pause; the bound of 1000.
import { act, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { PacketView } from '../../../app/shared/api-types'
import { ActivityPage } from '../../../app/renderer/src/pages/ActivityPage'
import { useActivity } from '../../../app/renderer/src/store/activity'
import { engineError } from '../support/fake-transport'
import { makeApp } from '../support/fixtures'
import { renderWithEngine } from '../support/render'

const NOW = Date.now()

function packet(seq: number, over: Partial<PacketView> = {}): PacketView {
  return { seq, time: NOW - 90_000 + seq, app: 'alice', direction: 'out', destination: 'g.shop.books', amount: '1000', result: 'fulfilled', message: '', ...over }
}

const apps = () => [makeApp({ id: 'alice', displayName: 'Alice' }), makeApp({ id: 'bob', displayName: 'Bob' })]

/** The data rows of the packet table, top to bottom. */
function rows(): HTMLElement[] {
  const table = screen.getByRole('table', { name: 'Packets' })
  return within(table).getAllByRole('row').slice(1)
}

beforeEach(() => useActivity.getState().reset())
afterEach(() => useActivity.getState().reset())

// Drawing hundreds of rows and typing into filters is slow in jsdom on a busy machine: these tests check behaviour, not speed.
describe('Activity page', { timeout: 30_000 }, () => {
  it('says it is loading until the packets come', async () => {
    renderWithEngine(<ActivityPage />, { recentPackets: () => new Promise(() => {}) })
    expect(await screen.findByText(/Loading the recent packets/)).toBeTruthy()
  })

  it('explains an empty list', async () => {
    renderWithEngine(<ActivityPage />, { recentPackets: () => [] })
    expect(await screen.findByText('Nothing has moved yet')).toBeTruthy()
    expect(screen.getByRole('link', { name: /Connect one on the Apps page/ }).getAttribute('href')).toBe('#/apps')
  })

  it('shows a failed load with the reason, and retries', async () => {
    const { engine } = renderWithEngine(<ActivityPage />, {
      recentPackets: () => {
        throw engineError('unavailable', 'the packet ring is not ready')
      },
    })
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toMatch(/Could not load the recent packets/)
    expect(alert.textContent).toMatch(/The packet ring is not ready/)
    engine.handle('recentPackets', () => [packet(1)])
    await userEvent.click(within(alert).getByRole('button', { name: /Retry/ }))
    await waitFor(() => expect(rows()).toHaveLength(1))
  })

  it('lists packets newest first with app names, exact amounts, relative times and rejects in words', async () => {
    renderWithEngine(<ActivityPage />, {
      listApps: apps,
      recentPackets: () => [
        packet(2, { app: 'bob', amount: '123456789012', result: 'T04', message: 'exceeded budget', destination: 'g.shop.music' }),
        packet(1, { amount: '1' }),
      ],
    })
    await waitFor(() => expect(rows()[0]!.textContent).toContain('Bob'))
    const [first, second] = rows()
    expect(first!.textContent).toContain('123.456789012 XRP')
    expect(first!.textContent).toContain('g.shop.music')
    expect(first!.textContent).toContain('Rejected T04')
    expect(first!.textContent).toContain("insufficient liquidity: the app's budget or the provider's limit was hit")
    expect(first!.textContent).toContain('exceeded budget')
    expect(second!.textContent).toContain('Alice')
    expect(second!.textContent).toContain('0.000000001 XRP')
    expect(second!.textContent).toContain('Fulfilled')
    // Relative, with the absolute time on hover.
    const time = within(second!).getByText('1 min ago')
    expect(time.getAttribute('title')).toBeTruthy()
    expect(time.getAttribute('datetime')).toBe(new Date(packet(1).time).toISOString())
  })

  it('adds packets from events at the top', async () => {
    const { engine } = renderWithEngine(<ActivityPage />, { recentPackets: () => [packet(1)] })
    await waitFor(() => expect(rows()).toHaveLength(1))
    act(() => engine.emit('packets', [packet(2, { destination: 'g.new.one' }), packet(3, { destination: 'g.new.two' })]))
    expect(rows().map((r) => within(r).getByText(/^g\./).textContent)).toEqual(['g.new.two', 'g.new.one', 'g.shop.books'])
  })

  it('filters by app, by result and code, and by destination', async () => {
    const user = userEvent.setup()
    renderWithEngine(<ActivityPage />, {
      listApps: apps,
      recentPackets: () => [
        packet(4, { app: 'bob', result: 'F02', destination: 'g.nowhere' }),
        packet(3, { app: 'bob', destination: 'g.shop.music' }),
        packet(2, { result: 'T04', destination: 'g.shop.books' }),
        packet(1, { destination: 'g.shop.books.page' }),
      ],
    })
    await waitFor(() => expect(rows()).toHaveLength(4))

    await user.selectOptions(screen.getByLabelText('App'), 'Bob')
    expect(rows()).toHaveLength(2)
    expect(screen.getByText('2 of 4 packets match.')).toBeTruthy()

    await user.selectOptions(screen.getByLabelText('Result'), 'Fulfilled')
    expect(rows()).toHaveLength(1)
    expect(rows()[0]!.textContent).toContain('g.shop.music')

    await user.selectOptions(screen.getByLabelText('App'), 'All apps')
    await user.selectOptions(screen.getByLabelText('Result'), 'Rejected (any code)')
    expect(rows().map((r) => r.textContent)).toEqual([expect.stringContaining('F02'), expect.stringContaining('T04')])

    // Each code seen is offered, in words.
    await user.selectOptions(screen.getByLabelText('Result'), 'T04 — insufficient liquidity: the app\'s budget or the provider\'s limit was hit')
    expect(rows()).toHaveLength(1)
    expect(rows()[0]!.textContent).toContain('g.shop.books')

    await user.selectOptions(screen.getByLabelText('Result'), 'All results')
    await user.type(screen.getByLabelText('Destination'), 'SHOP.BOOKS')
    expect(rows()).toHaveLength(2)

    await user.type(screen.getByLabelText('Destination'), '.nothing-like-this')
    expect(screen.getByText('No packets match these filters.')).toBeTruthy()
    await user.click(screen.getByRole('button', { name: 'Clear filters' }))
    expect(rows()).toHaveLength(4)
  })

  it('holds the list still while paused and shows what came on resume', async () => {
    const user = userEvent.setup()
    const { engine } = renderWithEngine(<ActivityPage />, { recentPackets: () => [packet(1)] })
    await waitFor(() => expect(rows()).toHaveLength(1))
    const pause = screen.getByRole('button', { name: /Pause list/ })
    await user.click(pause)
    expect(pause.getAttribute('aria-pressed')).toBe('true')
    act(() => engine.emit('packets', [packet(2), packet(3)]))
    expect(rows()).toHaveLength(1)
    expect(screen.getByText(/2 new packets arrived since; resume to see them/)).toBeTruthy()
    await user.click(screen.getByRole('button', { name: 'Resume (2 new)' }))
    expect(rows()).toHaveLength(3)
  })

  it('keeps at most 1000 packets and draws the newest few hundred', async () => {
    const seed = Array.from({ length: 1000 }, (_, i) => packet(1000 - i))
    const { engine } = renderWithEngine(<ActivityPage />, { recentPackets: () => seed })
    await waitFor(() => expect(screen.getByText(/^1000 packets\./)).toBeTruthy())
    act(() => engine.emit('packets', [packet(1001), packet(1002)]))
    expect(screen.getByText(/^1000 packets\./)).toBeTruthy()
    expect(useActivity.getState().packets).toHaveLength(1000)
    expect(screen.getByText(/The newest 200 are shown/)).toBeTruthy()
    expect(rows()).toHaveLength(200)
  })
})
