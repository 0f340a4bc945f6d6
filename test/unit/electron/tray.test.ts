// The tray: icon and tooltip per state (connected / no provider / paused), the menu's lines (provider, address, spent
// today formatted exactly), the pause toggle driving the real engine, and rebuilds throttled on events.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Menu, MenuItemConstructorOptions, Tray } from 'electron'
import { createTrayController, trayMenuTemplate, trayState, trayTooltip, type TrayState } from '../../../app/main/electron/tray'
import type { AppTotalsView, JunctionApi, StatusView } from '../../../app/shared/api-types'
import { memoryEngine, memoryLog } from './fakes'

function status(over: Omit<Partial<StatusView>, 'provider'> & { provider?: Partial<StatusView['provider']> } = {}): StatusView {
  const base: StatusView = {
    address: 'g.ilsp.me',
    assetCode: 'XRP',
    assetScale: 9,
    appPort: 7768,
    provider: { configured: true, name: 'My ILSP', url: 'btp+wss://me:***@ilsp.example', state: { state: 'connected', since: 1 }, balance: '0', minBalance: null, maxBalance: null, latencyMs: 5 },
    newAppPolicy: 'allow',
    defaultBudget: null,
    apps: { total: 0, connected: 0, pending: 0 },
    paused: false,
  }
  return { ...base, ...over, provider: { ...base.provider, ...over.provider } }
}

const totals = (app: string, spent: string): AppTotalsView => ({
  app,
  spent: { packets: '1', amountApp: spent, amountProvider: spent },
  earned: { packets: '0', amountApp: '0', amountProvider: '0' },
})

const labels = (template: MenuItemConstructorOptions[]) => template.map((i) => (i.type === 'separator' ? '—' : i.label))

describe('tray state and words', () => {
  it('is connected only with a provider link up; paused wins over both', () => {
    assert.equal(trayState(status()), 'connected')
    assert.equal(trayState(status({ provider: { state: { state: 'waiting', retryAt: 2, lastError: 'ECONNREFUSED' } } })), 'no-provider')
    assert.equal(trayState(status({ provider: { state: { state: 'connecting', attempt: 1 } } })), 'no-provider')
    assert.equal(trayState(status({ provider: { configured: false, url: null, state: null } })), 'no-provider')
    assert.equal(trayState(status({ paused: true })), 'paused')
    assert.equal(trayState(status({ paused: true, provider: { configured: false, url: null, state: null } })), 'paused')
  })

  it('says in the tooltip what the icon shows', () => {
    assert.equal(trayTooltip(status()), 'Junction — Connected to My ILSP')
    assert.equal(trayTooltip(status({ provider: { state: { state: 'waiting', retryAt: 2, lastError: 'x' } } })), 'Junction — Cannot reach My ILSP, retrying')
    assert.equal(trayTooltip(status({ provider: { configured: false, url: null, state: null } })), 'Junction — No provider — local mode')
    assert.match(trayTooltip(status({ paused: true })), /paused/)
    // The provider is named by the name the user gave it; its masked URL only if it has none.
    assert.equal(trayTooltip(status({ provider: { name: null } })), 'Junction — Connected to btp+wss://me:***@ilsp.example')
  })

  it('lists open, provider, address, spent today (exact, with the asset), pause, quit', () => {
    const template = trayMenuTemplate({ status: status(), spentToday: '1234567890123' }, { open() {}, quit() {}, setPaused() {} })
    assert.deepEqual(labels(template), [
      'Open Junction',
      '—',
      'Connected to My ILSP',
      'Address: g.ilsp.me',
      'Spent today: 1,234.567890123 XRP',
      '—',
      'Pause all apps',
      '—',
      'Quit Junction',
    ])
    assert.equal(template[2].enabled, false)
    assert.equal(template[3].enabled, false)
    assert.equal(template[4].enabled, false)
    assert.equal(template[6].type, 'checkbox')
    assert.equal(template[6].checked, false)
    const unknown = trayMenuTemplate({ status: status({ address: null }), spentToday: null }, { open() {}, quit() {}, setPaused() {} })
    assert.equal(unknown[3].label, 'Address: waiting for the provider')
    assert.equal(unknown[4].label, 'Spent today: —')
  })
})

describe('tray controller on the real engine', () => {
  function setup(rows: AppTotalsView[] = []) {
    const { connector, api } = memoryEngine()
    const ledgerAsked: Array<{ from: number; to: number }> = []
    const trayApi: Pick<JunctionApi, 'status' | 'ledgerTotals' | 'pause' | 'resume'> = {
      status: () => api.status(),
      pause: () => api.pause(),
      resume: () => api.resume(),
      // The in-memory engine keeps no ledger: the day's rows are given here.
      ledgerTotals: async (range) => {
        ledgerAsked.push(range as { from: number; to: number })
        return rows
      },
    }
    const calls = { images: [] as TrayState[], tooltips: [] as string[], menus: [] as MenuItemConstructorOptions[][] }
    const tray = {
      setImage: (img: unknown) => void calls.images.push(img as TrayState),
      setToolTip: (t: string) => void calls.tooltips.push(t),
      setContextMenu: (m: unknown) => void calls.menus.push(m as MenuItemConstructorOptions[]),
    }
    let opened = 0
    let quit = 0
    const now = new Date(2026, 10, 22, 15, 30).getTime()
    const controller = createTrayController({
      tray: tray as unknown as Pick<Tray, 'setImage' | 'setToolTip' | 'setContextMenu'>,
      buildMenu: (t) => t as unknown as Menu,
      icon: (state) => state,
      api: trayApi,
      open: () => void opened++,
      quit: () => void quit++,
      log: memoryLog(),
      now: () => now,
      throttleMs: 1000,
    })
    return { connector, controller, calls, ledgerAsked, now, counts: () => ({ opened, quit }) }
  }

  it('shows no provider in local mode, and today’s spend summed over apps from local midnight', async () => {
    const { controller, calls, ledgerAsked, now } = setup([totals('a', '1500000000'), totals('b', '250000000')])
    await controller.refresh()
    assert.equal(controller.state, 'no-provider')
    assert.deepEqual(calls.images, ['no-provider'])
    assert.equal(calls.tooltips.at(-1), 'Junction — No provider — local mode')
    const menu = calls.menus.at(-1)!
    assert.equal(menu.find((i) => i.label?.startsWith('Spent today'))!.label, 'Spent today: 1.75 XRP')
    assert.equal(menu.find((i) => i.label?.startsWith('Address'))!.label, 'Address: private.junction')
    assert.deepEqual(ledgerAsked, [{ from: new Date(2026, 10, 22).getTime(), to: now + 1 }])
  })

  it('pauses and resumes the engine from the checkbox, and shows the paused icon', async () => {
    const { connector, controller, calls } = setup()
    await controller.refresh()
    const pause = calls.menus.at(-1)!.find((i) => i.label === 'Pause all apps')!
    pause.click!(undefined as never, undefined as never, undefined as never)
    await waitFor(() => calls.images.at(-1) === 'paused')
    assert.equal(connector.paused, true)
    assert.equal(controller.state, 'paused')
    const resume = calls.menus.at(-1)!.find((i) => i.label === 'Pause all apps')!
    assert.equal(resume.checked, true)
    resume.click!(undefined as never, undefined as never, undefined as never)
    await waitFor(() => calls.images.at(-1) === 'no-provider')
    assert.equal(connector.paused, false)
    assert.deepEqual(calls.images, ['no-provider', 'paused', 'no-provider'], 'the image is set only when the state changes')
  })

  it('opens the window and quits from the menu', async () => {
    const { controller, calls, counts } = setup()
    await controller.refresh()
    const menu = calls.menus.at(-1)!
    menu.find((i) => i.label === 'Open Junction')!.click!(undefined as never, undefined as never, undefined as never)
    menu.find((i) => i.label === 'Quit Junction')!.click!(undefined as never, undefined as never, undefined as never)
    assert.deepEqual(counts(), { opened: 1, quit: 1 })
  })

  it('rebuilds on events that change it, a burst folded into one rebuild', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] })
    const { controller, calls } = setup()
    for (let i = 0; i < 20; i++) controller.onEvent('packets')
    controller.onEvent('paused')
    controller.onEvent('appConnected')
    t.mock.timers.tick(1000)
    await waitFor(() => calls.menus.length === 1)
    controller.onEvent('routesChanged')
    t.mock.timers.tick(5000)
    await flush()
    assert.equal(calls.menus.length, 1, 'routesChanged does not touch the tray')
    // A renamed provider (providersChanged) is named anew.
    controller.onEvent('providersChanged')
    t.mock.timers.tick(1000)
    await waitFor(() => calls.menus.length === 2)
    controller.stop()
    controller.onEvent('provider')
    t.mock.timers.tick(5000)
    await flush()
    assert.equal(calls.menus.length, 2, 'nothing after stop')
  })
})

async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise<void>((r) => setImmediate(r))
}

async function waitFor(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise<void>((r) => setImmediate(r))
  assert.ok(cond(), 'condition not reached')
}

