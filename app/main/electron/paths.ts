// Where the desktop app finds its files: what the build put in dist/ (the renderer page, the preload, the tray icons,
// the Electron build of better-sqlite3) and what lives in the user's folder (config file, data folder).
// Everything the running app needs is under dist/ (scripts/build.mjs puts it there), so the packaged app is
// dist/** + package.json and development runs the same layout from the repository.
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

export interface ShellPaths {
  /** dist/renderer/index.html: the window's page. */
  page: string
  /** dist/main/preload.cjs: bundled, loaded by the sandboxed renderer. */
  preload: string
  /** dist/tray: tray-<state>.png (+ @2x) and app-256.png. */
  icons: string
  /** better-sqlite3 built for Electron's ABI (scripts/start.mjs, packaging); Node's own build stays in node_modules. */
  nativeBinding: string
  /** <userData>/config.json: the same format as headless mode's --config file. */
  configFile: string
  /**
   * <userData> itself unless the config file says otherwise: the same folder headless mode uses by default
   * (engine/data-folder.ts), so the desktop app and `npm run headless` share one database (the lock keeps them apart).
   */
  defaultDataFolder: string
}

/**
 * `appPath` is app.getAppPath() (the repository, or resources/app.asar when packaged); `userData` is
 * app.getPath('userData').
 */
export function shellPaths(appPath: string, userData: string): ShellPaths {
  const dist = join(appPath, 'dist')
  return {
    page: join(dist, 'renderer', 'index.html'),
    preload: join(dist, 'main', 'preload.cjs'),
    icons: join(dist, 'tray'),
    nativeBinding: unpacked(join(dist, 'native', 'better_sqlite3.node')),
    configFile: join(userData, 'config.json'),
    defaultDataFolder: userData,
  }
}

/**
 * A native module cannot be loaded from inside app.asar: electron-builder's asarUnpack puts it beside the archive, in
 * app.asar.unpacked, and the path must say so.
 */
export function unpacked(path: string): string {
  return path.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2')
}

/** Whether `url` is the app's own page (any #route): the one place the window may show and IPC may come from. */
export function isAppPage(url: string, page: string): boolean {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return false
  }
  return u.protocol === 'file:' && u.host === '' && u.search === '' && u.pathname === pathToFileURL(page).pathname
}
