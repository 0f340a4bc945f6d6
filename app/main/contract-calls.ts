// One contract call, whatever carried it (the headless WebSocket in api-server.ts, Electron IPC in electron/ipc.ts):
// the method name and its argument are checked against the contract before the engine sees them, and every failure
// becomes a WireError the UI can act on. Never throws.
import { ApiError, type JunctionApi } from '../shared/api-types'
import { checkParams, isMethodName, type WireError } from '../shared/contract'
import type { Logger } from './engine/log'

export type CallOutcome = { result: unknown } | { error: WireError }

/** `via` names the carrier in the log line of an unexpected failure ('IPC', 'UI API'). */
export async function callContract(api: JunctionApi, method: unknown, params: unknown, log: Logger, via: string): Promise<CallOutcome> {
  if (!isMethodName(method)) {
    const message = typeof method === 'string' ? `no method ${JSON.stringify(method.slice(0, 100))}` : 'expected "method": a string'
    return { error: { code: 'unknown-method', message } }
  }
  const issues = checkParams(method, params)
  if (issues) {
    const text = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')
    return { error: { code: 'invalid-input', message: `${method}: ${text}`, issues } }
  }
  try {
    // Validated above; the engine API validates again and does the parsing (amounts to bigint) itself.
    const call = api[method] as (input?: unknown) => Promise<unknown>
    const result = await call.call(api, params)
    return { result: result === undefined ? null : result }
  } catch (err) {
    if (err instanceof ApiError) {
      const error: WireError = { code: err.code, message: err.message }
      if (err.issues.length > 0) error.issues = err.issues
      return { error }
    }
    log.error(`${via} ${method} failed: ${(err as Error).stack ?? String(err)}`)
    return { error: { code: 'internal', message: `${method} failed: ${(err as Error).message}` } }
  }
}
