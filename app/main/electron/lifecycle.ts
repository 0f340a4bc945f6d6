// How the desktop app ends: closing the window keeps Junction running in the tray (the closeToTray setting, on by
// default), and quitting — from the tray, the OS, or a signal — first stops the node cleanly (pending balance writes
// flushed, the database closed, the data folder's lock released) and only then lets Electron exit.
import type { App, BrowserWindow, Event } from 'electron'
import type { Logger } from '../engine/log'

export interface QuitDeps {
  app: Pick<App, 'on' | 'quit' | 'exit'>
  /** Stops everything (tray, IPC, the node); called once. */
  stopAll(): Promise<void>
  log: Logger
  /** If stopping takes longer, exit anyway (default 10 s): a stuck provider link must not keep a zombie app. */
  timeoutMs?: number
}

export interface QuitControl {
  /** True from the first quit request on (the window's close handler then lets the window close). */
  readonly quitting: boolean
}

/** Holds Electron's quit until stopAll() is done, then quits for real. */
export function installQuitHandler(deps: QuitDeps): QuitControl {
  let quitting = false
  let stopping = false
  let stopped = false
  deps.app.on('before-quit', (event: Event) => {
    quitting = true
    if (stopped) return
    event.preventDefault()
    if (stopping) return
    stopping = true
    const force = setTimeout(() => {
      deps.log.error('Junction did not stop within the time allowed; exiting anyway')
      deps.app.exit(1)
    }, deps.timeoutMs ?? 10_000)
    deps
      .stopAll()
      .catch((err: Error) => deps.log.error(`error while stopping: ${err.message}`))
      .finally(() => {
        clearTimeout(force)
        stopped = true
        deps.app.quit()
      })
  })
  return {
    get quitting() {
      return quitting
    },
  }
}

/**
 * The window's close button: hide to the tray while `closeToTray()` says so (and no quit is under way); otherwise the
 * window closes, and with it the app (window-all-closed, see main.ts).
 */
export function keepInTrayOnClose(win: Pick<BrowserWindow, 'on' | 'hide'>, closeToTray: () => boolean, quit: QuitControl): void {
  win.on('close', (event: Event) => {
    if (quit.quitting || !closeToTray()) return
    event.preventDefault()
    win.hide()
  })
}
