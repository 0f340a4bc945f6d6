// The two IPC channel names, in a file of their own so the preload's bundle takes nothing else from main.

/** The renderer calls `ipcRenderer.invoke(CALL_CHANNEL, method, params)`. */
export const CALL_CHANNEL = 'junction:call'
/** Main pushes `webContents.send(EVENT_CHANNEL, event, data)`. */
export const EVENT_CHANNEL = 'junction:event'
