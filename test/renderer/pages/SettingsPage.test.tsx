// The Settings page: loading and error states; the read-only places; each group saving with the right setSettings
// params and saying so; amounts parsed exactly; origins validated; a refused save's message next to its field;
// desktop-only switches disabled in headless mode; diagnostics copied and shown.
import { act, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { SettingsView } from '../../../app/shared/api-types'
import type { MethodParams } from '../../../app/shared/contract'
import { SettingsPage } from '../../../app/renderer/src/pages/SettingsPage'
import { useSettings } from '../../../app/renderer/src/store/settings'
import { engineError, type Handlers } from '../support/fake-transport'
import { renderWithEngine } from '../support/render'

function makeSettings(over: Partial<SettingsView> = {}): SettingsView {
  return {
    dataFolder: '/home/me/.local/share/junction',
    appPort: 7768,
    uiPort: 7769,
    newAppPolicy: 'allow',
    defaultBudget: null,
    allowedOrigins: [],
    logLevel: 'info',
    logFile: '/home/me/.local/share/junction/logs/junction.log',
    startAtLogin: null,
    closeToTray: null,
    shell: 'headless',
    ...over,
  }
}

/** An engine whose setSettings applies the change to its settings, as the real one does. */
function settingsEngine(initial: SettingsView = makeSettings()): Handlers {
  let current = initial
  return {
    getSettings: () => current,
    setSettings: (change: MethodParams<'setSettings'>) => {
      current = { ...current, ...(change as Partial<SettingsView>) }
      return current
    },
  }
}

/** The card (section) titled `title`. */
const card = (title: string) => screen.getByRole('heading', { name: title }).closest('section') as HTMLElement

beforeEach(() => useSettings.getState().reset())
afterEach(() => useSettings.getState().reset())

describe('Settings page', { timeout: 20_000 }, () => {
  it('says it is loading', async () => {
    renderWithEngine(<SettingsPage />, { getSettings: () => new Promise(() => {}) })
    expect(await screen.findByText(/Loading the settings/)).toBeTruthy()
  })

  it('shows a failed load with a retry', async () => {
    const { engine } = renderWithEngine(<SettingsPage />, {
      getSettings: () => {
        throw engineError('unavailable', 'the settings file cannot be read')
      },
    })
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toMatch(/Could not load the settings/)
    expect(alert.textContent).toMatch(/The settings file cannot be read/)
    engine.handle('getSettings', () => makeSettings())
    await userEvent.click(within(alert).getByRole('button', { name: /Retry/ }))
    expect(await screen.findByText('/home/me/.local/share/junction')).toBeTruthy()
  })

  it('shows where Junction runs, read-only, with what changes it', async () => {
    renderWithEngine(<SettingsPage />, settingsEngine())
    const places = await waitFor(() => card('Where Junction runs'))
    expect(places.textContent).toContain('/home/me/.local/share/junction')
    expect(places.textContent).toContain('btp+ws://…@localhost:7768')
    expect(places.textContent).toContain('http://127.0.0.1:7769')
    expect(places.textContent).toContain('--data DIR')
    expect(places.textContent).toContain('--ui-port N')
    expect(within(places).queryByRole('textbox')).toBeNull()
  })

  it('saves the new-app policy and says so', async () => {
    const user = userEvent.setup()
    const { engine } = renderWithEngine(<SettingsPage />, settingsEngine())
    const policy = await waitFor(() => card('New apps'))
    expect(policy.textContent).toContain('its packets are refused until you approve it')
    const save = within(policy).getByRole('button', { name: 'Save' }) as HTMLButtonElement
    expect(save.disabled).toBe(true)
    await user.click(within(policy).getByRole('radio', { name: /Ask/ }))
    await user.click(save)
    expect(engine.callsTo('setSettings')).toEqual([{ newAppPolicy: 'ask' }])
    expect(await within(card('New apps')).findByText('Saved.')).toBeTruthy()
    expect((within(card('New apps')).getByRole('radio', { name: /Ask/ }) as HTMLInputElement).checked).toBe(true)
  })

  it('reads the default budget in asset units and saves it exactly in base units', async () => {
    const user = userEvent.setup()
    const { engine } = renderWithEngine(<SettingsPage />, settingsEngine())
    const budget = await waitFor(() => card('Default budget'))
    await user.click(within(budget).getByRole('checkbox', { name: 'Give new apps a budget' }))
    const amount = await within(card('Default budget')).findByLabelText('Amount in XRP')
    // One more decimal than the asset has: refused here, not rounded.
    await user.type(amount, '0.1234567891')
    await user.click(within(card('Default budget')).getByRole('button', { name: 'Save' }))
    expect(within(card('Default budget')).getByRole('alert').textContent).toBe('at most 9 decimal places for this asset')
    expect(amount.getAttribute('aria-invalid')).toBe('true')
    expect(engine.callsTo('setSettings')).toEqual([])

    await user.clear(amount)
    await user.type(amount, '123456789.123456789')
    await user.selectOptions(within(card('Default budget')).getByLabelText('Budget period'), 'per week')
    await user.click(within(card('Default budget')).getByRole('button', { name: 'Save' }))
    expect(engine.callsTo('setSettings')).toEqual([{ defaultBudget: { amount: '123456789123456789', period: 'week' } }])
    expect(await within(card('Default budget')).findByText('Saved.')).toBeTruthy()
    // Shown again from the saved value, exactly.
    expect((within(card('Default budget')).getByLabelText('Amount in XRP') as HTMLInputElement).value).toBe('123456789.123456789')
  })

  it('turns the default budget off with null', async () => {
    const user = userEvent.setup()
    const { engine } = renderWithEngine(<SettingsPage />, settingsEngine(makeSettings({ defaultBudget: { amount: '1500000000', period: 'day' } })))
    const budget = await waitFor(() => card('Default budget'))
    expect((within(budget).getByLabelText('Amount in XRP') as HTMLInputElement).value).toBe('1.5')
    await user.click(within(budget).getByRole('checkbox', { name: 'Give new apps a budget' }))
    await user.click(within(card('Default budget')).getByRole('button', { name: 'Save' }))
    expect(engine.callsTo('setSettings')).toEqual([{ defaultBudget: null }])
  })

  it('adds and removes allowed origins, checking each, and saves the list', async () => {
    const user = userEvent.setup()
    const { engine } = renderWithEngine(<SettingsPage />, settingsEngine(makeSettings({ allowedOrigins: ['https://old.example'] })))
    const origins = await waitFor(() => card('Allowed origins'))
    const input = within(origins).getByLabelText('Add an origin')
    await user.type(input, 'https://example.com/shop')
    await user.click(within(origins).getByRole('button', { name: 'Add' }))
    expect(within(origins).getByRole('alert').textContent).toBe('use just the origin, without a path: https://example.com')
    await user.clear(input)
    await user.type(input, 'example.com{Enter}')
    expect(within(origins).getByRole('alert').textContent).toMatch(/expected an origin/)
    await user.clear(input)
    await user.type(input, 'https://example.com{Enter}')
    expect(within(origins).queryByRole('alert')).toBeNull()
    await user.click(within(origins).getByRole('button', { name: 'Remove https://old.example' }))
    const list = within(origins).getByRole('list', { name: 'Allowed origins' })
    expect(within(list).getAllByRole('listitem').map((li) => li.querySelector('code')!.textContent)).toEqual(['https://example.com'])
    expect(engine.callsTo('setSettings')).toEqual([])
    await user.click(within(origins).getByRole('button', { name: 'Save origins' }))
    expect(engine.callsTo('setSettings')).toEqual([{ allowedOrigins: ['https://example.com'] }])
    expect(await within(card('Allowed origins')).findByText('Saved.')).toBeTruthy()
  })

  it("shows the engine's refusal next to the field it names", async () => {
    const user = userEvent.setup()
    const { engine } = renderWithEngine(<SettingsPage />, settingsEngine())
    engine.handle('setSettings', () => {
      throw engineError('invalid-input', 'invalid setSettings input', [
        { path: 'allowedOrigins.0', message: "http://127.0.0.1:7769 is Junction's own UI and cannot be an app origin" },
      ])
    })
    const origins = await waitFor(() => card('Allowed origins'))
    await user.type(within(origins).getByLabelText('Add an origin'), 'http://127.0.0.1:7769{Enter}')
    await user.click(within(origins).getByRole('button', { name: 'Save origins' }))
    const list = within(card('Allowed origins')).getByRole('list', { name: 'Allowed origins' })
    const describedBy = await waitFor(() => {
      const id = list.getAttribute('aria-describedby')
      expect(id).toBeTruthy()
      return id!
    })
    expect(document.getElementById(describedBy)!.textContent).toBe("http://127.0.0.1:7769 is Junction's own UI and cannot be an app origin")
    expect(within(card('Allowed origins')).getByText('Not saved: see the message above.')).toBeTruthy()
  })

  it('says why a save failed when no field is to blame', async () => {
    const user = userEvent.setup()
    const { engine } = renderWithEngine(<SettingsPage />, settingsEngine())
    engine.handle('setSettings', () => {
      throw engineError('unavailable', 'the settings file cannot be written')
    })
    const log = await waitFor(() => card('Log'))
    await user.selectOptions(within(log).getByLabelText('Log level'), 'debug')
    await user.click(within(log).getByRole('button', { name: 'Save' }))
    expect(engine.callsTo('setSettings')).toEqual([{ logLevel: 'debug' }])
    expect((await within(card('Log')).findByRole('alert')).textContent).toBe(
      'Not saved. The settings file cannot be written. Try again in a moment.',
    )
    expect(log.textContent).toContain('/home/me/.local/share/junction/logs/junction.log')
  })

  it('disables the desktop-only switches in headless mode', async () => {
    renderWithEngine(<SettingsPage />, settingsEngine())
    const desktop = await waitFor(() => card('Desktop app'))
    const boxes = within(desktop).getAllByRole('checkbox') as HTMLInputElement[]
    expect(boxes.map((b) => b.disabled)).toEqual([true, true])
    expect(within(desktop).getAllByText('desktop app only')).toHaveLength(2)
    expect(within(desktop).queryByRole('button', { name: 'Save' })).toBeNull()
  })

  it('saves the desktop switches in the desktop app', async () => {
    const user = userEvent.setup()
    const { engine } = renderWithEngine(<SettingsPage />, settingsEngine(makeSettings({ shell: 'electron', uiPort: null, startAtLogin: false, closeToTray: true })))
    const desktop = await waitFor(() => card('Desktop app'))
    await user.click(within(desktop).getByRole('checkbox', { name: /Start Junction when I log in/ }))
    await user.click(within(desktop).getByRole('button', { name: 'Save' }))
    expect(engine.callsTo('setSettings')).toEqual([{ startAtLogin: true }])
    expect(card('Where Junction runs').textContent).toContain('not served: the desktop app shows the UI in its own window')
  })

  it('follows settings changed elsewhere (the tray, another window)', async () => {
    const { engine } = renderWithEngine(<SettingsPage />, settingsEngine())
    await waitFor(() => card('New apps'))
    act(() => engine.emit('settingsChanged', makeSettings({ newAppPolicy: 'deny' })))
    expect((within(card('New apps')).getByRole('radio', { name: /Deny/ }) as HTMLInputElement).checked).toBe(true)
  })

  it('copies the diagnostics and shows what it copied', async () => {
    const user = userEvent.setup()
    const writeText = vi.spyOn(navigator.clipboard, 'writeText')
    const text = 'Junction 0.1.0\nnode v20\nsettings: {"newAppPolicy":"allow"}\nrecent errors: none'
    const { engine } = renderWithEngine(<SettingsPage />, { ...settingsEngine(), diagnostics: () => text })
    await user.click(await screen.findByRole('button', { name: /Copy diagnostics/ }))
    expect(engine.callsTo('diagnostics')).toHaveLength(1)
    expect(writeText).toHaveBeenCalledWith(text)
    expect(await screen.findByText('Copied to the clipboard:')).toBeTruthy()
    expect(screen.getByLabelText('Diagnostics text').textContent).toBe(text)
  })

  it('shows the diagnostics to copy by hand when the clipboard refuses', async () => {
    const user = userEvent.setup()
    vi.spyOn(navigator.clipboard, 'writeText').mockRejectedValue(new Error('denied'))
    renderWithEngine(<SettingsPage />, { ...settingsEngine(), diagnostics: () => 'Junction 0.1.0' })
    await user.click(await screen.findByRole('button', { name: /Copy diagnostics/ }))
    expect(await screen.findByText(/select it below and copy it by hand/)).toBeTruthy()
    expect(screen.getByLabelText('Diagnostics text').textContent).toBe('Junction 0.1.0')
  })
})
