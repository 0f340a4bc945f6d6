// A stand-in for the 'electron' module, just enough for the bundled main process (dist/main/index.js) to start a real
// Junction node under plain Node, and a script that then plays the user: it calls the IPC channel as the window and
// as a stranger, closes the window, changes the shell's settings over IPC, pauses from the tray, and quits. What happens is printed as `FAKE <json>` lines
// for test/unit/electron/main-bundle.test.ts to check.
import { EventEmitter } from 'node:events'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const report = (what, data = {}) => process.stdout.write(`FAKE ${JSON.stringify({ what, ...data })}\n`)

class Emitter extends EventEmitter {}
const event = () => {
  const e = { defaultPrevented: false, preventDefault: () => (e.defaultPrevented = true) }
  return e
}

const paths = { appData: process.env.FAKE_APP_DATA, userData: undefined }

class FakeApp extends Emitter {
  isPackaged = process.env.FAKE_PACKAGED === '1'
  setPath(name, value) {
    paths[name] = value
  }
  getPath(name) {
    return paths[name]
  }
  getAppPath() {
    return process.env.FAKE_APP_PATH
  }
  enableSandbox() {
    report('enableSandbox')
  }
  requestSingleInstanceLock() {
    return true
  }
  whenReady() {
    return Promise.resolve()
  }
  getLoginItemSettings() {
    return { wasOpenedAtLogin: false }
  }
  setLoginItemSettings() {}
  quit() {
    const e = event()
    this.emit('before-quit', e)
    if (!e.defaultPrevented) {
      report('quit')
      process.exit(0)
    }
  }
  exit(code) {
    report('exit', { code })
    process.exit(code)
  }
}
export const app = new FakeApp()

let nextId = 1
class FakeWebContents extends Emitter {
  id = nextId++
  sent = []
  session = { setPermissionRequestHandler() {}, setPermissionCheckHandler() {} }
  mainFrame = { url: '', parent: null }
  setWindowOpenHandler(fn) {
    this.openHandler = fn
  }
  send(...args) {
    this.sent.push(args)
  }
  isDestroyed() {
    return false
  }
  executeJavaScript() {
    return Promise.resolve()
  }
}

const windows = []
export class BrowserWindow extends Emitter {
  webContents = new FakeWebContents()
  constructor(options) {
    super()
    this.options = options
    windows.push(this)
  }
  loadFile(file, options) {
    this.loaded = { file, options }
    this.webContents.mainFrame.url = pathToFileURL(file).href + (options?.hash ? `#${options.hash}` : '')
    setImmediate(() => this.emit('ready-to-show'))
    return Promise.resolve()
  }
  show() {
    this.visible = true
  }
  hide() {
    this.visible = false
  }
  focus() {}
  restore() {}
  isMinimized() {
    return false
  }
  isDestroyed() {
    return false
  }
}

const handlers = new Map()
export const ipcMain = {
  handle: (channel, fn) => handlers.set(channel, fn),
  removeHandler: (channel) => handlers.delete(channel),
}

export const Menu = {
  buildFromTemplate: (template) => template,
  setApplicationMenu() {},
}
export const nativeImage = { createFromPath: (path) => path }
export const nativeTheme = { shouldUseDarkColors: false }
export const shell = { openExternal: async () => {} }
export const safeStorage = {
  isEncryptionAvailable: () => false,
  encryptString: () => {
    throw new Error('no keychain here')
  },
  decryptString: () => {
    throw new Error('no keychain here')
  },
}
export const dialog = {
  showErrorBox(title, content) {
    report('errorBox', { title, content })
  },
}
export class Notification extends Emitter {
  static isSupported() {
    return true
  }
  constructor(options) {
    super()
    this.options = options
  }
  show() {
    report('notification', this.options)
  }
}

const trays = []
export class Tray extends Emitter {
  constructor(image) {
    super()
    this.image = image
    this.menus = []
    trays.push(this)
  }
  setImage(image) {
    this.image = image
  }
  setToolTip(text) {
    this.tooltip = text
  }
  setContextMenu(menu) {
    this.menus.push(menu)
  }
  destroy() {
    report('trayDestroyed')
  }
}

// ---- the user ----

async function until(cond, what) {
  for (let i = 0; i < 500; i++) {
    const v = cond()
    if (v) return v
    await new Promise((r) => setTimeout(r, 10))
  }
  report('timeout', { waitingFor: what })
  process.exit(3)
}

async function play() {
  const win = await until(() => windows[0], 'the window')
  const call = await until(() => handlers.get('junction:call'), 'the IPC handler')
  const tray = await until(() => trays[0]?.menus.length > 0 && trays[0], 'the tray menu')
  await until(() => win.visible, 'the window shown')
  report('window', { webPreferences: win.options.webPreferences, loaded: win.loaded })

  const own = { sender: win.webContents, senderFrame: win.webContents.mainFrame }
  report('call', { reply: await call(own, 'status') })
  report('badCall', { reply: await call(own, 'getApp', { id: 7 }) })
  const stranger = new FakeWebContents()
  report('strangerCall', { reply: await call({ sender: stranger, senderFrame: { url: win.webContents.mainFrame.url, parent: null } }, 'status') })

  const close = event()
  win.emit('close', close)
  report('close', { prevented: close.defaultPrevented, visible: win.visible })

  // Shell settings changed on the Settings page reach the shell through the settingsChanged event.
  const autostart = join(process.env.XDG_CONFIG_HOME, 'autostart', 'junction.desktop')
  await call(own, 'setSettings', { startAtLogin: true, closeToTray: false })
  await until(() => existsSync(autostart), 'the autostart entry')
  report('autostart', { entry: readFileSync(autostart, 'utf8') })
  const closeAgain = event()
  win.emit('close', closeAgain)
  report('closeWithoutTray', { prevented: closeAgain.defaultPrevented })
  await call(own, 'setSettings', { startAtLogin: false, closeToTray: true })
  await until(() => !existsSync(autostart), 'the autostart entry removed')

  report('tray', { image: tray.image, tooltip: tray.tooltip, labels: tray.menus.at(-1).map((i) => i.label ?? '—') })
  const before = tray.menus.length
  tray.menus.at(-1).find((i) => i.label === 'Pause all apps').click()
  const paused = await until(() => tray.menus.length > before && tray.menus.at(-1).find((i) => i.label === 'Pause all apps').checked && tray, 'the paused menu')
  await until(() => win.webContents.sent.some(([channel, name]) => channel === 'junction:event' && name === 'paused'), 'the paused event')
  report('paused', { image: paused.image, events: win.webContents.sent.filter(([c]) => c === 'junction:event').map(([, name, data]) => ({ name, data })) })

  tray.menus.at(-1).find((i) => i.label === 'Quit Junction').click()
}

// Drives the app once main has had its turn; a crash of the script is a failed run, not a hang.
setImmediate(() =>
  play().catch((err) => {
    report('scriptError', { message: err.stack })
    process.exit(4)
  }),
)
