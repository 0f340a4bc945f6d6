// The desktop app's main process, given the Electron objects it uses (main.ts passes the real module; tests pass
// a stand-in, so nothing under test loads Electron): one Junction node (the same startNode as headless mode) with a window, a tray icon
// and notifications around it. Thin on purpose: each job is a module of this folder that takes the Electron objects
// it uses as arguments (and is tested that way); this file only wires them to the real ones.
//
// Start: one instance only (a second launch shows the first one's window) → read <userData>/config.json → start the
// node with the Electron build of better-sqlite3 → tray, IPC, event feed → the window, unless started at login.
import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import type { SettingsView } from '../../shared/api-types'
import { createEventFeed, type EventFeed } from '../contract-events'
import { createLogger } from '../engine/log'
import { createFileSecretStore } from '../engine/secrets/file-secret-store'
import { type JunctionNode, startNode } from '../node'
import { readDesktopConfig, stageProviderUrl } from './desktop-config'
import { registerIpc, sendEvent } from './ipc'
import { installQuitHandler, keepInTrayOnClose } from './lifecycle'
import { applyStartAtLogin, startedHidden } from './login-item'
import { createNotifier, type NoticeSpec } from './notifications'
import { type ShellPaths, shellPaths } from './paths'
import { createTrayController, type TrayState } from './tray'
import { createMainWindow, guardNavigation, showRoute } from './window'


/** The parts of the 'electron' module the desktop app uses. */
export type DesktopElectron = Pick<typeof import('electron'), 'app' | 'BrowserWindow' | 'dialog' | 'ipcMain' | 'Menu' | 'nativeImage' | 'nativeTheme' | 'Notification' | 'safeStorage' | 'shell' | 'Tray'>

export function startDesktopApp(electron: DesktopElectron): void {
  const { app, BrowserWindow, dialog, ipcMain, Menu, nativeImage, nativeTheme, Notification, safeStorage, shell, Tray } = electron
  const log = createLogger('shell')

  // A fixed folder name whatever the package is called: ~/.config/Junction, %APPDATA%\Junction,
  // ~/Library/Application Support/Junction. Set before anything reads it.
  app.setPath('userData', join(app.getPath('appData'), 'Junction'))
  // Every renderer sandboxed, whatever a window's options say.
  app.enableSandbox()

  if (!app.requestSingleInstanceLock()) {
    // Another Junction runs: it shows its window (second-instance below) and this one leaves.
    app.quit()
  } else {
    void app.whenReady().then(run, fail)
  }

  function fail(err: unknown): void {
    const message = err instanceof Error ? err.message : String(err)
    log.error(`could not start: ${message}`)
    dialog.showErrorBox('Junction could not start', `${message}\n\nThe log is in the data folder's logs/ folder.`)
    app.exit(1)
  }

  async function run(): Promise<void> {
    const paths = shellPaths(app.getAppPath(), app.getPath('userData'))
    if (!existsSync(paths.nativeBinding)) {
      throw new Error(
        `The database module built for Electron is missing (${paths.nativeBinding}). ` +
          'Start Junction with `npm start`, which builds it, or install a packaged release.',
      )
    }
    const config = readDesktopConfig({ configFile: paths.configFile, defaultDataFolder: paths.defaultDataFolder, log })
    // config.json's provider URL waits in the secret store (never in a plain file) until startNode stores it.
    stageProviderUrl(config, { configFile: paths.configFile, secrets: createFileSecretStore({ folder: config.dataFolder, safeStorage, log }), log })

    const node: JunctionNode = await startNode({
      config: config.engine,
      dataFolder: config.dataFolder,
      shell: 'electron',
      uiPort: null,
      nativeBinding: paths.nativeBinding,
      // Secrets (provider and peer URLs, tokens) are encrypted with the OS keychain.
      safeStorage,
    })
    try {
      await runShell(node, paths, config.dataFolder)
    } catch (err) {
      await node.stop()
      throw err
    }
  }

  async function runShell(node: JunctionNode, paths: ShellPaths, dataFolder: string): Promise<void> {
    // What to undo on quit, in reverse order of creation; the node itself stops last.
    const cleanups: Array<() => void> = []
    const quit = installQuitHandler({
      app,
      log,
      stopAll: async () => {
        for (const undo of cleanups.reverse()) undo()
        await node.stop()
      },
    })

    let settings: SettingsView = await node.api.getSettings()
    let win: Electron.BrowserWindow | null = null
    const openExternal = (url: string) => void shell.openExternal(url)
    const appIcon = join(paths.icons, 'app-256.png')

    const showWindow = (route?: string) => {
      if (win === null || win.isDestroyed()) {
        const created = createMainWindow(
          { BrowserWindow, page: paths.page, preload: paths.preload, icon: appIcon, dark: nativeTheme.shouldUseDarkColors, openExternal },
          route,
        )
        keepInTrayOnClose(created, () => settings.closeToTray !== false, quit)
        created.on('closed', () => {
          if (win === created) win = null
        })
        win = created
        return
      }
      if (route) showRoute(win, route)
      if (win.isMinimized()) win.restore()
      win.show()
      win.focus()
    }

    // ---- the tray ----
    const trayIcon = (state: TrayState) => nativeImage.createFromPath(join(paths.icons, `tray-${state}.png`))
    const tray = new Tray(trayIcon('no-provider'))
    cleanups.push(() => tray.destroy())
    tray.setToolTip('Junction')
    tray.on('click', () => showWindow())
    const trayView = createTrayController({
      tray,
      buildMenu: (template) => Menu.buildFromTemplate(template),
      icon: trayIcon,
      api: node.api,
      open: () => showWindow(),
      quit: () => app.quit(),
      log,
    })
    cleanups.push(() => trayView.stop())
    void trayView.refresh()

    // ---- notifications (kept referenced until closed: a collected Notification loses its click handler) ----
    const shown = new Set<Electron.Notification>()
    const notify = (notice: NoticeSpec) => {
      if (!Notification.isSupported()) return
      const n = new Notification({ title: notice.title, body: notice.body, icon: appIcon })
      shown.add(n)
      n.on('click', () => {
        shown.delete(n)
        showWindow(notice.route)
      })
      n.on('close', () => shown.delete(n))
      n.show()
    }
    const notifier = createNotifier({ show: notify, api: node.api, log })
    cleanups.push(() => notifier.stop())

    // ---- settings the shell applies (changed on the Settings page, or saved from an earlier run) ----
    const loginItem = (enabled: boolean) => {
      if (!app.isPackaged) {
        log.info('start at login applies to the installed app; this is a development run, so nothing is registered')
        return
      }
      try {
        applyStartAtLogin(enabled, {
          app,
          platform: process.platform,
          executable: process.env.APPIMAGE ?? process.execPath,
          autostartDir: join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'autostart'),
        })
      } catch (err) {
        log.error(`could not ${enabled ? 'register' : 'remove'} the login item: ${(err as Error).message}`)
      }
    }
    if (settings.startAtLogin !== null) loginItem(settings.startAtLogin)
    const applySettings = (next: SettingsView) => {
      if (next.startAtLogin !== null && next.startAtLogin !== settings.startAtLogin) loginItem(next.startAtLogin)
      settings = next
    }

    // ---- the contract over IPC, and its events to the window, tray and notifications ----
    const disposeIpc = registerIpc({
      ipcMain,
      api: node.api,
      ownContents: () => (win !== null && !win.isDestroyed() ? win.webContents : null),
      page: paths.page,
      log,
    })
    cleanups.push(disposeIpc)
    const feed: EventFeed = createEventFeed({
      connector: node.connector,
      send: (event, data) => {
        sendEvent(win !== null && !win.isDestroyed() ? win.webContents : null, event, data)
        trayView.onEvent(event)
        notifier.onEvent(event, data)
        if (event === 'settingsChanged') applySettings(data as SettingsView)
      },
    })
    cleanups.push(() => feed.stop())

    // ---- the app's life ----
    app.on('second-instance', () => showWindow())
    app.on('activate', () => showWindow())
    // With closeToTray the window only hides, so this means the user chose to quit by closing it.
    app.on('window-all-closed', () => {
      if (settings.closeToTray === false) app.quit()
    })
    app.on('web-contents-created', (_event, contents) => guardNavigation(contents, paths.page, openExternal))
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit())

    // Copy, paste and the other editing shortcuts need an Edit menu on macOS; elsewhere no menu bar at all.
    Menu.setApplicationMenu(
      process.platform === 'darwin' ? Menu.buildFromTemplate([{ role: 'appMenu' }, { role: 'editMenu' }, { role: 'windowMenu' }]) : null,
    )

    const hidden = startedHidden(process.argv, process.platform, () => app.getLoginItemSettings().wasOpenedAtLogin)
    if (!hidden) showWindow()
    log.info(`desktop app ready; data folder ${dataFolder}, apps connect to btp+ws://localhost:${node.connector.port}`)
  }
}
