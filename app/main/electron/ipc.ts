// The contract (app/shared/contract.ts) over Electron IPC: one invoke channel for every method, one push channel for
// every event. Each call's method name and argument are checked against the contract in main before the engine sees
// them; replies are `{ok: true, result}` or `{ok: false, error: WireError}` — the same errors the headless WebSocket
// gives. Calls from anything but the app's own page in its own window's main frame are refused before they reach the
// engine (as electron/fiddle does: a page that got into some other frame or webContents must not drive the node).
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron'
import type { JunctionApi } from '../../shared/api-types'
import type { EventName, EventPayload, WireError } from '../../shared/contract'
import { callContract } from '../contract-calls'
import type { Logger } from '../engine/log'
import { CALL_CHANNEL, EVENT_CHANNEL } from './ipc-channels'
import { isAppPage } from './paths'

export { CALL_CHANNEL, EVENT_CHANNEL }

export type IpcReply = { ok: true; result: unknown } | { ok: false; error: WireError }

/** Runs one call (contract-calls.ts: checked against the contract, errors as WireError). Never throws. */
export async function answerCall(api: JunctionApi, method: unknown, params: unknown, log: Logger): Promise<IpcReply> {
  const outcome = await callContract(api, method, params, log, 'IPC')
  return 'error' in outcome ? { ok: false, error: outcome.error } : { ok: true, result: outcome.result }
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
