// The contract (app/shared/contract.ts) over Electron IPC: one invoke channel for every method, one push channel for
// every event. Each call's method name and argument are checked against the contract in main before the engine sees
// them; replies are `{ok: true, result}` or `{ok: false, error: WireError}` — the same errors the headless WebSocket
// gives. Calls from anything but the app's own page in its own window's main frame are refused before they reach the
// engine (as electron/fiddle does: a page that got into some other frame or webContents must not drive the node).
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron'
import { ApiError, type JunctionApi } from '../../shared/api-types'
import { checkParams, type EventName, type EventPayload, isMethodName, type WireError } from '../../shared/contract'
import type { Logger } from '../engine/log'
import { CALL_CHANNEL, EVENT_CHANNEL } from './ipc-channels'
import { isAppPage } from './paths'

export { CALL_CHANNEL, EVENT_CHANNEL }

export type IpcReply = { ok: true; result: unknown } | { ok: false; error: WireError }

/** Runs one call: checks the method and its argument against the contract, then asks the engine. Never throws. */
export async function answerCall(api: JunctionApi, method: unknown, params: unknown, log: Logger): Promise<IpcReply> {
  if (!isMethodName(method)) {
    const message = typeof method === 'string' ? `no method ${JSON.stringify(method.slice(0, 100))}` : 'expected a method name (a string)'
    return { ok: false, error: { code: 'unknown-method', message } }
  }
  const issues = checkParams(method, params)
  if (issues) {
    const text = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')
    return { ok: false, error: { code: 'invalid-input', message: `${method}: ${text}`, issues } }
  }
  try {
    const call = api[method] as (input?: unknown) => Promise<unknown>
    const result = await call.call(api, params)
    return { ok: true, result: result === undefined ? null : result }
  } catch (err) {
    if (err instanceof ApiError) {
      const error: WireError = { code: err.code, message: err.message }
      if (err.issues.length > 0) error.issues = err.issues
      return { ok: false, error }
    }
    log.error(`IPC ${method} failed: ${(err as Error).stack ?? String(err)}`)
    return { ok: false, error: { code: 'internal', message: `${method} failed: ${(err as Error).message}` } }
  }
}

export interface IpcDeps {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>
  api: JunctionApi
  /** The app's window's webContents now (null while no window is open). */
  ownContents: () => Pick<WebContents, 'id'> | null
  /** The app's page (dist/renderer/index.html). */
  page: string
  log: Logger
}

type SenderEvent = Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>

/** Whether an IPC message comes from the app's page in the main frame of the app's own window. */
export function isOwnSender(event: SenderEvent, own: Pick<WebContents, 'id'> | null, page: string): boolean {
  const frame = event.senderFrame
  return own !== null && event.sender.id === own.id && frame !== null && frame.parent === null && isAppPage(frame.url, page)
}

/** Registers the call channel; returns a function that removes it. */
export function registerIpc(deps: IpcDeps): () => void {
  const warned = new Set<number>()
  deps.ipcMain.handle(CALL_CHANNEL, async (event: SenderEvent, method: unknown, params: unknown): Promise<IpcReply> => {
    if (!isOwnSender(event, deps.ownContents(), deps.page)) {
      // Logged once per sender: a misbehaving page could otherwise fill the log.
      if (!warned.has(event.sender.id)) {
        warned.add(event.sender.id)
        deps.log.warn(`ignored IPC from a page that is not Junction's window (webContents ${event.sender.id}, ${event.senderFrame?.url ?? 'frame gone'})`)
      }
      return { ok: false, error: { code: 'bad-request', message: "refused: this page is not Junction's window" } }
    }
    return answerCall(deps.api, method, params, deps.log)
  })
  return () => deps.ipcMain.removeHandler(CALL_CHANNEL)
}

/** Pushes one contract event to the window (if open); a closed or crashed window's webContents is skipped. */
export function sendEvent<E extends EventName>(
  contents: Pick<WebContents, 'send' | 'isDestroyed'> | null,
  event: E,
  data: EventPayload<E>,
): void {
  if (contents === null || contents.isDestroyed()) return
  contents.send(EVENT_CHANNEL, event, data)
}
