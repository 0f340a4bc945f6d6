// The settings store: loaded on start, replaced by `settingsChanged`, saved one change at a time; a refused save
// comes back as messages keyed by the setting it is about.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { SettingsView } from '../../../app/shared/api-types'
import { CallError } from '../../../app/renderer/src/api/client'
import { fieldErrors, useSettings } from '../../../app/renderer/src/store/settings'
import { engineError } from '../support/fake-transport'
import { setupEngine } from '../support/render'

function makeSettings(over: Partial<SettingsView> = {}): SettingsView {
  return {
    dataFolder: '/home/me/.junction',
    appPort: 7768,
    uiPort: 7769,
    newAppPolicy: 'allow',
    defaultBudget: null,
    allowedOrigins: [],
    logLevel: 'info',
    logFile: '/home/me/.junction/junction.log',
    startAtLogin: null,
    closeToTray: null,
    shell: 'headless',
    ...over,
  }
}

beforeEach(() => useSettings.getState().reset())
afterEach(() => useSettings.getState().reset())

describe('settings store', () => {
  it('loads the settings and follows settingsChanged', async () => {
    const engine = setupEngine({ getSettings: () => makeSettings() })
    useSettings.getState().start()
    await vi.waitFor(() => expect(useSettings.getState().status).toBe('ready'))
    expect(useSettings.getState().settings?.newAppPolicy).toBe('allow')
    engine.emit('settingsChanged', makeSettings({ newAppPolicy: 'deny' }))
    expect(useSettings.getState().settings?.newAppPolicy).toBe('deny')
  })

  it('saves a change and keeps what the engine answered', async () => {
    const engine = setupEngine({
      getSettings: () => makeSettings(),
      setSettings: (p) => makeSettings({ logLevel: p?.logLevel ?? 'info' }),
    })
    useSettings.getState().start()
    await vi.waitFor(() => expect(useSettings.getState().status).toBe('ready'))
    const outcome = await useSettings.getState().save({ logLevel: 'debug' })
    expect(outcome.ok).toBe(true)
    expect(engine.callsTo('setSettings')).toEqual([{ logLevel: 'debug' }])
    expect(useSettings.getState().settings?.logLevel).toBe('debug')
  })

  it('turns a refused save into a message per setting', async () => {
    // The fake engine checks params with the contract's schema, as the real one does.
    setupEngine({ getSettings: () => makeSettings(), setSettings: () => makeSettings() })
    useSettings.getState().start()
    await vi.waitFor(() => expect(useSettings.getState().status).toBe('ready'))
    const outcome = await useSettings.getState().save({ allowedOrigins: ['https://ok.example', 'ftp://nope'] })
    expect(outcome.ok).toBe(false)
    if (outcome.ok) return
    expect(outcome.fieldErrors.allowedOrigins).toMatch(/expected an origin/)
    expect(outcome.error).toBeInstanceOf(CallError)
    // Nothing changed locally.
    expect(useSettings.getState().settings?.allowedOrigins).toEqual([])
  })

  it('shows a failed first load as an error', async () => {
    setupEngine({
      getSettings: () => {
        throw engineError('unavailable', 'no engine')
      },
    })
    useSettings.getState().start()
    await vi.waitFor(() => expect(useSettings.getState().status).toBe('error'))
  })

  it('keys issues by their first path segment, first message winning', () => {
    const e = engineError('invalid-input', 'bad', [
      { path: 'defaultBudget.amount', message: 'expected a whole number' },
      { path: 'defaultBudget.period', message: 'expected "day"' },
      { path: '', message: 'whole input' },
    ])
    expect(fieldErrors(e)).toEqual({ defaultBudget: 'expected a whole number', '': 'whole input' })
    expect(fieldErrors(new Error('plain'))).toEqual({})
  })
})
