// The settings of the node around the engine: what runs it (desktop app or headless), where its data and log file
// are, the log level, and the desktop app's own switches (start at login, close to tray). The persisted ones live in
// the `settings` table through the apps store, so a restart keeps them. The engine's own settings (new-app policy,
// default budget, pause, allowed origins) are kept by the connector and the app registry.
import type { LogLevel } from '../../shared/api-types'
import type { AppsStore } from './store/apps-store'
import { getLogLevel, LOG_LEVELS, type Logger, setLogLevel } from './log'

const SETTING_LOG_LEVEL = 'log.level'
const SETTING_START_AT_LOGIN = 'shell.start_at_login'
const SETTING_CLOSE_TO_TRAY = 'shell.close_to_tray'

export type Shell = 'electron' | 'headless'

export interface NodeFacts {
  shell: Shell
  dataFolder: string | null
  logFile: string | null
}

export class NodeSettings {
  constructor(
    private readonly store: AppsStore,
    readonly facts: NodeFacts,
    private readonly log?: Logger,
  ) {}

  get shell(): Shell {
    return this.facts.shell
  }

  /** Sets the process's log level from the saved one (if any); call once at start. */
  applySavedLogLevel(): void {
    const saved = this.store.getSetting(SETTING_LOG_LEVEL)
    if (saved === undefined) return
    if ((LOG_LEVELS as readonly string[]).includes(saved)) setLogLevel(saved as LogLevel)
    else this.log?.warn(`ignoring the saved log level ${JSON.stringify(saved)}`)
  }

  get logLevel(): LogLevel {
    return getLogLevel()
  }

  /** Applies at once and is kept for the next start. */
  setLogLevel(level: LogLevel): void {
    this.store.setSetting(SETTING_LOG_LEVEL, level)
    setLogLevel(level)
  }

  /** Desktop app only: null in headless mode. Off until the user turns it on. */
  get startAtLogin(): boolean | null {
    return this.shellFlag(SETTING_START_AT_LOGIN, false)
  }

  /** Desktop app only: null in headless mode. On by default (a background node keeps serving apps). */
  get closeToTray(): boolean | null {
    return this.shellFlag(SETTING_CLOSE_TO_TRAY, true)
  }

  setStartAtLogin(on: boolean): void {
    this.store.setSetting(SETTING_START_AT_LOGIN, on ? '1' : '0')
  }

  setCloseToTray(on: boolean): void {
    this.store.setSetting(SETTING_CLOSE_TO_TRAY, on ? '1' : '0')
  }

  private shellFlag(key: string, fallback: boolean): boolean | null {
    if (this.facts.shell !== 'electron') return null
    const saved = this.store.getSetting(key)
    return saved === undefined ? fallback : saved === '1'
  }
}
