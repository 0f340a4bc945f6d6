// The app window and what keeps its renderer in a box: context isolation, the sandbox, no Node, web security on, only
// the preload's bridge; no new windows, no navigation away from the app's own page, no permissions (camera,
// notifications, ...) granted to the page. The page's CSP is its index.html's meta tag (file:// has no headers).
// The Electron classes are passed in, so tests can check the options and handlers without Electron.
import type { BrowserWindow, BrowserWindowConstructorOptions, Session, WebContents } from 'electron'
import { isAppPage } from './paths'

export function windowOptions(opts: { preload: string; icon?: string; dark?: boolean }): BrowserWindowConstructorOptions {
  return {
    width: 1180,
    height: 780,
    minWidth: 760,
    minHeight: 520,
    title: 'Junction',
    // Shown on 'ready-to-show': no blank frame first. Same colour as the page's background, light or dark.
    show: false,
    backgroundColor: opts.dark ? '#15181c' : '#ffffff',
    ...(opts.icon ? { icon: opts.icon } : {}),
    autoHideMenuBar: true,
    webPreferences: {
      preload: opts.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  }
}

type Guarded = Pick<WebContents, 'setWindowOpenHandler' | 'on'>

/**
 * No window.open (an https link is handed to the user's browser instead, if `openExternal` is given), and no
 * navigation except to the app's own page (a reload, or a #route).
 */
export function guardNavigation(contents: Guarded, page: string, openExternal?: (url: string) => void): void {
  contents.setWindowOpenHandler(({ url }) => {
    if (openExternal && isHttps(url)) openExternal(url)
    return { action: 'deny' }
  })
  contents.on('will-navigate', (event) => {
    if (!isAppPage(event.url, page)) event.preventDefault()
  })
  contents.on('will-redirect', (event) => {
    if (!isAppPage(event.url, page)) event.preventDefault()
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
}

/** The page asks for nothing (no camera, geolocation, notifications...): every request and check is answered no. */
export function denyPermissions(session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
}

function isHttps(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:'
  } catch {
    return false
  }
}

export interface MainWindowDeps {
  BrowserWindow: new (options: BrowserWindowConstructorOptions) => BrowserWindow
  page: string
  preload: string
  icon?: string
  dark?: boolean
  openExternal?: (url: string) => void
}

/** Opens the window on the app's page at `route` (a hash route such as `/apps/wallet`), shown once painted. */
export function createMainWindow(deps: MainWindowDeps, route?: string): BrowserWindow {
  const win = new deps.BrowserWindow(windowOptions({ preload: deps.preload, icon: deps.icon, dark: deps.dark }))
  guardNavigation(win.webContents, deps.page, deps.openExternal)
  denyPermissions(win.webContents.session)
  win.once('ready-to-show', () => win.show())
  void win.loadFile(deps.page, route ? { hash: route } : undefined)
  return win
}

/** Shows the page at `route` in a window that is already loaded: a same-page #route change, no reload. */
export function showRoute(win: Pick<BrowserWindow, 'webContents'>, route: string): void {
  void win.webContents.executeJavaScript(`location.hash = ${JSON.stringify(route)}`, false).catch(() => {})
}
