// The tray icon: Junction's state at a glance (connected / no provider / paused, by icon and tooltip) and a menu to
// open the window, see the provider, own address and what was spent today, pause all apps, and quit. It reads
// everything through the engine API, so it shows what the UI shows; it is rebuilt on events, at most once per
// `throttleMs`. Electron's Tray and Menu are passed in (tests pass fakes).
import type { Menu, MenuItemConstructorOptions, NativeImage, Tray } from 'electron'
import type { JunctionApi, StatusView } from '../../shared/api-types'
import type { EventName } from '../../shared/contract'
import { formatAmount } from '../../renderer/src/format/amount'
import type { Logger } from '../engine/log'

export type TrayState = 'connected' | 'no-provider' | 'paused'

/** Paused wins (it is what the user did); then whether the provider link is up. */
export function trayState(status: StatusView): TrayState {
  if (status.paused) return 'paused'
  return status.provider.configured && status.provider.state?.state === 'connected' ? 'connected' : 'no-provider'
}

/** The provider line, in words: the provider by the name the user gave it (its masked URL if it has none). */
export function providerText(status: StatusView): string {
  const p = status.provider
  if (!p.configured) return 'No provider — local mode'
  const where = p.name ?? p.url ?? 'the provider'
  switch (p.state?.state) {
    case 'connected':
      return `Connected to ${where}`
    case 'waiting':
      return `Cannot reach ${where}, retrying`
    case 'stopped':
      return `Not connected to ${where}`
    default:
      return `Connecting to ${where}…`
  }
}

export function trayTooltip(status: StatusView): string {
  if (status.paused) return "Junction — paused: apps' payments are refused until you resume"
  return `Junction — ${providerText(status)}`
}

export interface TrayActions {
  open(): void
  setPaused(paused: boolean): void
  quit(): void
}

export interface TrayView {
  status: StatusView
  /** Base units spent by all apps since local midnight; null if the ledger could not be read. */
  spentToday: string | null
}

export function trayMenuTemplate(view: TrayView, actions: TrayActions): MenuItemConstructorOptions[] {
  const { status } = view
  const spent = view.spentToday === null ? '—' : formatAmount(view.spentToday, status)
  return [
    { label: 'Open Junction', click: () => actions.open() },
    { type: 'separator' },
    { label: providerText(status), enabled: false },
    { label: `Address: ${status.address ?? 'waiting for the provider'}`, enabled: false },
    { label: `Spent today: ${spent}`, enabled: false },
    { type: 'separator' },
    { label: 'Pause all apps', type: 'checkbox', checked: status.paused, click: () => actions.setPaused(!status.paused) },
    { type: 'separator' },
    { label: 'Quit Junction', click: () => actions.quit() },
  ]
}

/** Local midnight of the day containing `time`. */
export function startOfLocalDay(time: number): number {
  const d = new Date(time)
  d.setHours(0, 0, 0, 0)
  return d.getTime()
}

/** Events after which the tray may look different. */
// providersChanged: the active provider renamed, or another one active (the tray names it).
const TRAY_EVENTS: ReadonlySet<EventName> = new Set<EventName>(['provider', 'providersChanged', 'address', 'paused', 'packets', 'settingsChanged'])

export interface TrayDeps {
  tray: Pick<Tray, 'setImage' | 'setToolTip' | 'setContextMenu'>
  /** Menu.buildFromTemplate. */
  buildMenu: (template: MenuItemConstructorOptions[]) => Menu
  /** The icon for a state (an image or a file path). */
  icon: (state: TrayState) => NativeImage | string
  api: Pick<JunctionApi, 'status' | 'ledgerTotals' | 'pause' | 'resume'>
  open(): void
  quit(): void
  log: Logger
  now?: () => number
  /** At most one rebuild per this many ms on events (default 1000). */
  throttleMs?: number
}

export interface TrayController {
  /** Reads the state now and rebuilds icon, tooltip and menu. */
  refresh(): Promise<void>
  /** A contract event: rebuilds soon if it may change the tray. */
  onEvent(event: EventName): void
  readonly state: TrayState | null
  stop(): void
}

export function createTrayController(deps: TrayDeps): TrayController {
  const now = deps.now ?? Date.now
  const throttleMs = deps.throttleMs ?? 1000
  let state: TrayState | null = null
  let timer: ReturnType<typeof setTimeout> | undefined
  let lastRun = Number.NEGATIVE_INFINITY
  let stopped = false

  const actions: TrayActions = {
    open: () => deps.open(),
    quit: () => deps.quit(),
    setPaused: (paused) => {
      const change = paused ? deps.api.pause() : deps.api.resume()
      change
        .catch((err: Error) => deps.log.error(`could not ${paused ? 'pause' : 'resume'} from the tray: ${err.message}`))
        .finally(() => void refresh())
    },
  }

  const spentToday = async (): Promise<string | null> => {
    const t = now()
    try {
      const totals = await deps.api.ledgerTotals({ from: startOfLocalDay(t), to: t + 1 })
      return totals.reduce((sum, row) => sum + BigInt(row.spent.amountApp), 0n).toString()
    } catch (err) {
      deps.log.debug(`tray: no spend for today (${(err as Error).message})`)
      return null
    }
  }

  const refresh = async (): Promise<void> => {
    lastRun = now()
    let status: StatusView
    try {
      status = await deps.api.status()
    } catch (err) {
      deps.log.warn(`tray: could not read the status: ${(err as Error).message}`)
      return
    }
    const view: TrayView = { status, spentToday: await spentToday() }
    if (stopped) return
    const next = trayState(status)
    if (next !== state) deps.tray.setImage(deps.icon(next))
    state = next
    deps.tray.setToolTip(trayTooltip(status))
    deps.tray.setContextMenu(deps.buildMenu(trayMenuTemplate(view, actions)))
  }

  return {
    refresh,
    onEvent(event) {
      if (stopped || !TRAY_EVENTS.has(event) || timer !== undefined) return
      // The first event after a quiet spell is shown at once; a burst is folded into one rebuild at the interval.
      const wait = Math.max(0, lastRun + throttleMs - now())
      timer = setTimeout(() => {
        timer = undefined
        void refresh()
      }, wait)
    },
    get state() {
      return state
    },
    stop() {
      stopped = true
      clearTimeout(timer)
    },
  }
}
