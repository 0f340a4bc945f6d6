// The preload: the only code that runs beside the page with access to IPC. It exposes exactly the JunctionBridge
// (app/renderer/src/api/client.ts) as `window.junction` — one call function and one event subscription — and
// nothing of ipcRenderer itself. It runs sandboxed, so it is bundled into one CommonJS file with only 'electron'
// left to require (scripts/build.mjs); it imports nothing else at runtime.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import type { JunctionBridge } from '../../renderer/src/api/client'
import { CALL_CHANNEL, EVENT_CHANNEL } from './ipc-channels'

const bridge: JunctionBridge = {
  call: (method, params) => ipcRenderer.invoke(CALL_CHANNEL, String(method), params),
  onEvent(listener) {
    // Only the event's name and data cross over: the IPC event object (with `sender`) stays on this side.
    const handler = (_e: IpcRendererEvent, event: unknown, data: unknown) => listener(String(event), data)
    ipcRenderer.on(EVENT_CHANNEL, handler)
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, handler)
    }
  },
}

contextBridge.exposeInMainWorld('junction', bridge)
