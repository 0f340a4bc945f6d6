// The whole UI: the hash router shows each page with its sidebar entry marked, and the status strip says how the
// provider link is, copies the address, and pauses/resumes all apps after confirming.
import { act, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { App } from '../../app/renderer/src/App'
import { parseRoute } from '../../app/renderer/src/components/router'
import { makeStatus } from './support/fixtures'
import { renderWithEngine } from './support/render'

const quiet = {
  ledgerSpendSeries: () => [],
  ledgerDestinations: () => [],
  listAccounts: () => [],
  listRoutes: () => [],
  recentPackets: () => [],
  getSettings: () => ({
    dataFolder: null,
    appPort: 7768,
    uiPort: 7769,
    newAppPolicy: 'ask' as const,
    defaultBudget: null,
    allowedOrigins: [],
    logLevel: 'info' as const,
    logFile: null,
    startAtLogin: null,
    closeToTray: null,
    shell: 'headless' as const,
  }),
}

function renderApp(hash: string, handlers = {}) {
  return renderWithEngine(<App />, { ...quiet, ...handlers }, { bindStores: false, hash })
}

const strip = () => screen.getByRole('region', { name: 'Status' })

describe('router', () => {
  it('parses routes, including app ids', () => {
    expect(parseRoute('')).toEqual({ page: 'overview' })
    expect(parseRoute('#/apps/')).toEqual({ page: 'apps' })
    expect(parseRoute('#/apps/my~app')).toEqual({ page: 'app', id: 'my~app' })
    expect(parseRoute('#/nope')).toEqual({ page: 'not-found', path: '/nope' })
  })

  it.each([
    ['#/', 'Overview'],
    ['#/apps', 'Apps'],
    ['#/activity', 'Activity'],
    ['#/providers', 'Providers'],
    ['#/peers', 'Peers & Routes'],
    ['#/settlements', 'Settlements'],
    ['#/settings', 'Settings'],
  ])('shows %s with its sidebar entry marked', async (hash, label) => {
    renderApp(hash)
    const nav = screen.getByRole('navigation', { name: 'Pages' })
    const current = within(nav).getByRole('link', { current: 'page' })
    expect(current.textContent).toContain(label)
    const main = screen.getByRole('main')
    await waitFor(() => expect(main.textContent).not.toBe(''))
    if (label === 'Overview' || label === 'Apps') expect(within(main).getByRole('heading', { level: 1, name: label })).toBeTruthy()
  })

  it("marks Apps on an app's page and follows hash changes", async () => {
    renderApp('#/apps/alice')
    const nav = screen.getByRole('navigation', { name: 'Pages' })
    expect(within(nav).getByRole('link', { current: 'page' }).textContent).toContain('Apps')
    expect(await screen.findByText('No such app')).toBeTruthy()
    act(() => {
      window.location.hash = '#/apps'
      window.dispatchEvent(new HashChangeEvent('hashchange'))
    })
    expect(await screen.findByRole('heading', { level: 1, name: 'Apps' })).toBeTruthy()
  })

  it('says when a page does not exist', () => {
    renderApp('#/nowhere')
    expect(screen.getByText('No such page')).toBeTruthy()
  })
})

describe('status strip', () => {
  it('shows the provider, the address and the link in words', async () => {
    renderApp('#/')
    expect(await within(strip()).findByText('Connected to ilsp.example:7768')).toBeTruthy()
    expect(within(strip()).getByText('g.ilsp.junction')).toBeTruthy()
    expect(within(strip()).getByRole('button', { name: 'Copy address: g.ilsp.junction' })).toBeTruthy()
  })

  it('counts down to the next reconnect, and follows provider events', async () => {
    const { engine } = renderApp('#/', {
      status: () => makeStatus({ provider: { ...makeStatus().provider, state: { state: 'waiting', retryAt: Date.now() + 8000, lastError: 'ECONNREFUSED' } } }),
    })
    // 8 s from when the engine answered; the strip's clock ticks once a second, so it may still read the moment before.
    expect(await within(strip()).findByText(/^Reconnecting in [789] s$/)).toBeTruthy()
    expect(within(strip()).getByText('ilsp.example:7768: ECONNREFUSED')).toBeTruthy()
    act(() => engine.emit('provider', { state: 'connected', since: Date.now() }))
    expect(within(strip()).getByText('Connected to ilsp.example:7768')).toBeTruthy()
  })

  it('says local mode without a provider', async () => {
    renderApp('#/', { status: () => makeStatus({ address: null, provider: { ...makeStatus().provider, configured: false, url: null, state: null, balance: null } }) })
    expect(await within(strip()).findByText('No provider — local mode')).toBeTruthy()
    expect(within(strip()).getByText('No address yet')).toBeTruthy()
  })

  it('pauses all apps after confirming, and resumes', async () => {
    const user = userEvent.setup()
    const { engine } = renderApp('#/', { pause: () => ({ paused: true }), resume: () => ({ paused: false }) })
    await user.click(await within(strip()).findByRole('button', { name: 'Pause all apps' }))
    const dialog = screen.getByRole('alertdialog', { name: 'Pause all apps?' })
    expect(engine.callsTo('pause')).toEqual([])
    await user.click(within(dialog).getByRole('button', { name: 'Pause all apps' }))
    expect(engine.callsTo('pause')).toHaveLength(1)
    expect(within(strip()).getByText('Paused — apps cannot pay')).toBeTruthy()
    expect(screen.getByText(/Paused: every app's payments are refused/)).toBeTruthy()
    await user.click(within(strip()).getByRole('button', { name: 'Resume' }))
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Resume' }))
    expect(engine.callsTo('resume')).toHaveLength(1)
    expect(within(strip()).queryByText('Paused — apps cannot pay')).toBeNull()
  })

  it('follows the paused event from the tray', async () => {
    const { engine } = renderApp('#/')
    await within(strip()).findByText('Connected to ilsp.example:7768')
    act(() => engine.emit('paused', { paused: true }))
    expect(within(strip()).getByText('Paused — apps cannot pay')).toBeTruthy()
  })

  it('says what to do when Junction refuses the page', async () => {
    const { engine } = renderApp('#/')
    act(() => engine.setState('unauthorized'))
    expect(within(strip()).getByText("Junction refused this page's token")).toBeTruthy()
  })

  it('marks Apps with the number waiting for approval', async () => {
    renderApp('#/', { status: () => makeStatus({ apps: { total: 3, connected: 1, pending: 2 } }) })
    const nav = screen.getByRole('navigation', { name: 'Pages' })
    expect(await within(nav).findByText('2 waiting')).toBeTruthy()
  })
})
