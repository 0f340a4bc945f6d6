// The Providers page's switching and failover settings (grace period, failover time, health-check interval): loaded,
// checked before sending (whole seconds, the health check 0 or ≥ 10 s), only changed fields sent, the engine's
// per-field refusal shown under its field. Also the health of providers Junction holds no link to in the list, and
// the status strip naming the provider by the name the user gave it.
import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ProviderSettingsView, ProviderView } from '../../../app/shared/api-types'
import { StatusStrip } from '../../../app/renderer/src/components/StatusStrip'
import { ProviderList } from '../../../app/renderer/src/pages/ProviderList'
import { ProviderSettingsCard } from '../../../app/renderer/src/pages/ProviderSettingsCard'
import { useProviders } from '../../../app/renderer/src/store/providers'
import { engineError } from '../support/fake-transport'
import { makeStatus } from '../support/fixtures'
import { renderWithEngine } from '../support/render'

beforeEach(() => useProviders.getState().reset())
afterEach(() => useProviders.getState().reset())

const defaults: ProviderSettingsView = { graceSeconds: 60, failoverSeconds: 30, healthCheckSeconds: 300, switchBack: false }

function provider(over: Partial<ProviderView>): ProviderView {
  return {
    id: 'a',
    name: 'ILSP A',
    url: 'btp+ws://junction:***@ilsp-a.example:7768',
    transport: 'btp',
    receive: null,
    sendOnly: false,
    enabled: true,
    active: false,
    inGrace: false,
    state: null,
    address: null,
    assetCode: null,
    assetScale: null,
    latencyMs: null,
    lastCheckedAt: null,
    lastError: null,
    balance: '0',
    accountId: 'parent',
    createdAt: 1,
    ...over,
  }
}

describe('Provider settings', () => {
  it('shows the saved values and sends only what changed', async () => {
    let saved = { ...defaults }
    const { engine } = renderWithEngine(<ProviderSettingsCard />, {
      getProviderSettings: () => saved,
      setProviderSettings: (change) => (saved = { ...saved, ...change }),
    })
    const grace = (await screen.findByLabelText('Grace period after a switch')) as HTMLInputElement
    expect(grace.value).toBe('60')
    expect((screen.getByLabelText('Fail over after') as HTMLInputElement).value).toBe('30')
    expect((screen.getByLabelText('Check the other providers every') as HTMLInputElement).value).toBe('300')
    const save = screen.getByRole('button', { name: 'Save' })
    expect(save).toHaveProperty('disabled', true)

    await userEvent.clear(grace)
    await userEvent.type(grace, '120')
    await userEvent.click(save)
    expect(await screen.findByText('Saved.')).toBeTruthy()
    expect(engine.callsTo('setProviderSettings')).toEqual([{ graceSeconds: 120 }])
    expect(grace.value).toBe('120')
    expect(save).toHaveProperty('disabled', true)
  })

  it('refuses what is not whole seconds, or a health check under 10 s, before sending', async () => {
    const { engine } = renderWithEngine(<ProviderSettingsCard />, { getProviderSettings: () => defaults, setProviderSettings: () => defaults })
    const failover = await screen.findByLabelText('Fail over after')
    const health = screen.getByLabelText('Check the other providers every')
    await userEvent.clear(failover)
    await userEvent.type(failover, '1.5')
    await userEvent.clear(health)
    await userEvent.type(health, '5')
    await userEvent.click(screen.getByRole('button', { name: 'Save' }))
    const alerts = await screen.findAllByRole('alert')
    expect(alerts.map((a) => a.textContent)).toEqual(['enter whole seconds (0 or more)', '0 (never) or at least 10 s'])
    expect(failover.getAttribute('aria-invalid')).toBe('true')
    expect(engine.callsTo('setProviderSettings')).toEqual([])

    // 0 turns the health checks off.
    await userEvent.clear(failover)
    await userEvent.type(failover, '30')
    await userEvent.clear(health)
    await userEvent.type(health, '0')
    await userEvent.click(screen.getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(engine.callsTo('setProviderSettings')).toEqual([{ healthCheckSeconds: 0 }]))
  })

  it('turns switch back on: only that change is sent, and the box shows what the engine saved', async () => {
    const { engine } = renderWithEngine(<ProviderSettingsCard />, {
      getProviderSettings: () => defaults,
      setProviderSettings: (p) => ({ ...defaults, ...p }),
    })
    const box = (await screen.findByLabelText(/Switch back after a failover/)) as HTMLInputElement
    expect(box.checked).toBe(false)
    expect((screen.getByRole('button', { name: 'Save' }) as HTMLButtonElement).disabled).toBe(true)
    await userEvent.click(box)
    await userEvent.click(screen.getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(engine.callsTo('setProviderSettings')).toEqual([{ switchBack: true }]))
    await screen.findByText('Saved.')
    expect(box.checked).toBe(true)
  })

  it("shows the engine's refusal under the field it names", async () => {
    renderWithEngine(<ProviderSettingsCard />, {
      getProviderSettings: () => defaults,
      setProviderSettings: () => {
        throw engineError('invalid-input', 'setProviderSettings: failoverSeconds: must be at most 86400 s', [
          { path: 'failoverSeconds', message: 'must be at most 86400 s' },
        ])
      },
    })
    const failover = await screen.findByLabelText('Fail over after')
    await userEvent.clear(failover)
    await userEvent.type(failover, '9000')
    await userEvent.click(screen.getByRole('button', { name: 'Save' }))
    const alerts = await screen.findAllByRole('alert')
    expect(alerts.map((a) => a.textContent)).toEqual(['must be at most 86400 s', 'Not saved: see the message above.'])
  })

  it('says when the settings could not be loaded, with a retry', async () => {
    const { engine } = renderWithEngine(<ProviderSettingsCard />, {
      getProviderSettings: () => {
        throw engineError('unavailable', 'the engine is starting')
      },
    })
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toMatch(/Could not load the provider settings/)
    engine.handle('getProviderSettings', () => defaults)
    await userEvent.click(within(alert).getByRole('button', { name: /Retry/ }))
    expect(((await screen.findByLabelText('Grace period after a switch')) as HTMLInputElement).value).toBe('60')
  })
})

describe('Health of providers not in use', () => {
  it('shows when each was last checked and what the check found', async () => {
    const checkedAt = Date.now() - 3 * 60_000 - 5_000
    renderWithEngine(<ProviderList />, {
      listProviders: () => [
        provider({ id: 'a', name: 'ILSP A', active: true, state: { state: 'connected', since: Date.now() - 60_000 }, latencyMs: 4 }),
        provider({ id: 'b', name: 'ILSP B', accountId: 'provider:b', lastCheckedAt: checkedAt, lastError: 'connect ECONNREFUSED 127.0.0.1:7768' }),
        provider({ id: 'c', name: 'ILSP C', accountId: 'provider:c', lastCheckedAt: checkedAt, latencyMs: 2.5 }),
        provider({ id: 'd', name: 'ILSP D', accountId: 'provider:d' }),
      ],
    })
    const row = async (name: string) => (await screen.findByText(name)).closest('tr')!
    const b = await row('ILSP B')
    expect(b.textContent).toMatch(/Check failed: connect ECONNREFUSED 127\.0\.0\.1:7768/)
    expect(within(b).getByText('checked 3 min ago').getAttribute('title')).toBeTruthy()
    const c = await row('ILSP C')
    expect(c.textContent).toMatch(/Reachable \(not in use\)/)
    expect(c.textContent).toMatch(/checked 3 min ago/)
    expect(c.textContent).toMatch(/2\.5 ms/)
    expect((await row('ILSP D')).textContent).toMatch(/Not connected, not checked yet/)
    expect((await row('ILSP A')).textContent).not.toMatch(/checked/)
  })
})

describe('Status strip', () => {
  it('names the provider by the name the user gave it, not its URL', async () => {
    renderWithEngine(<StatusStrip />, {
      status: () => makeStatus({ provider: { ...makeStatus().provider, name: 'My ILSP', url: 'btp+ws://junction:***@ilsp.example:7768' } }),
    })
    const strip = await screen.findByRole('region', { name: 'Status' })
    expect(await within(strip).findByText('Connected to My ILSP')).toBeTruthy()
    expect(strip.textContent).not.toMatch(/ilsp\.example/)
  })
})
