// Small stand-ins for the few Electron objects the shell's modules use, and a real engine in memory, for the
// test/unit/electron tests. Nothing here loads Electron.
import { EventEmitter } from 'node:events'
import { createEngineApi } from '../../../app/main/engine/api'
import { createConnector } from '../../../app/main/engine/connector'
import type { Logger } from '../../../app/main/engine/log'

/** A Logger that keeps its lines (the real one is silenced in tests by JUNCTION_LOG=silent). */
export function memoryLog(): Logger & { lines: Array<{ level: string; msg: string }> } {
  const lines: Array<{ level: string; msg: string }> = []
  const at = (level: string) => (msg: string) => void lines.push({ level, msg })
  return { lines, error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') }
}

/** The engine and its API, in memory and not listening (local mode). */
export function memoryEngine() {
  const connector = createConnector({ port: 0 })
  return { connector, api: createEngineApi(connector) }
}

/** An Electron-style event whose preventDefault is observable. */
export function fakeEvent<T extends object>(fields: T): T & { defaultPrevented: boolean; preventDefault(): void } {
  const e = {
    ...fields,
    defaultPrevented: false,
    preventDefault() {
      e.defaultPrevented = true
    },
  }
  return e
}

/** webContents: events, the window-open handler, the session's permission handlers, send. */
export class FakeWebContents extends EventEmitter {
  static nextId = 1
  readonly id = FakeWebContents.nextId++
  openHandler: ((details: { url: string }) => { action: 'deny' | 'allow' }) | undefined
  permissionRequest: ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | undefined
  permissionCheck: ((...args: unknown[]) => boolean) | undefined
  sent: unknown[][] = []
  destroyed = false
  scripts: string[] = []
  readonly session = {
    setPermissionRequestHandler: (fn: FakeWebContents['permissionRequest']) => {
      this.permissionRequest = fn
    },
    setPermissionCheckHandler: (fn: FakeWebContents['permissionCheck']) => {
      this.permissionCheck = fn
    },
  }
  setWindowOpenHandler(fn: FakeWebContents['openHandler']) {
    this.openHandler = fn
  }
  send(...args: unknown[]) {
    this.sent.push(args)
  }
  isDestroyed() {
    return this.destroyed
  }
  executeJavaScript(code: string) {
    this.scripts.push(code)
    return Promise.resolve()
  }
}

/** BrowserWindow: records its options and what it loads. */
export class FakeBrowserWindow extends EventEmitter {
  static created: FakeBrowserWindow[] = []
  readonly webContents = new FakeWebContents()
  loaded: { file: string; options?: { hash?: string } } | undefined
  shown = false
  hidden = false
  constructor(readonly options: Record<string, unknown>) {
    super()
    FakeBrowserWindow.created.push(this)
  }
  loadFile(file: string, options?: { hash?: string }) {
    this.loaded = { file, options }
    return Promise.resolve()
  }
  show() {
    this.shown = true
  }
  hide() {
    this.hidden = true
  }
}

/** ipcMain: the handlers by channel. */
export class FakeIpcMain {
  handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>()
  handle(channel: string, fn: (event: unknown, ...args: unknown[]) => unknown) {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`)
    this.handlers.set(channel, fn)
  }
  removeHandler(channel: string) {
    this.handlers.delete(channel)
  }
}
