// An in-memory engine for renderer tests: the test gives method handlers, the fake records every call, checks its
// params against the contract's schemas (as the real engine does, answering invalid-input), and lets the test emit
// events and change the connection state.
import { CallError, createClient, type AnyEvent, type Client, type ConnectionState, type Transport } from '../../../app/renderer/src/api/client'
import { checkParams, isMethodName, type EventName, type EventPayload, type MethodName, type MethodParams, type MethodResult, type WireError } from '../../../app/shared/contract'

export type Handler<M extends MethodName> = (params: MethodParams<M>) => MethodResult<M> | Promise<MethodResult<M>>
export type Handlers = { [M in MethodName]?: Handler<M> }

export interface RecordedCall {
  method: MethodName
  params: unknown
}

export interface FakeEngine {
  transport: Transport
  client: Client
  /** Every call, in order. */
  calls: RecordedCall[]
  /** The params of each call to one method. */
  callsTo<M extends MethodName>(method: M): MethodParams<M>[]
  /** Replaces (or adds) a handler. */
  handle<M extends MethodName>(method: M, handler: Handler<M>): void
  /** Pushes an event to the page's listeners (wrap in act() when components are mounted). */
  emit<E extends EventName>(event: E, data: EventPayload<E>): void
  setState(state: ConnectionState): void
}

/** A CallError as the engine would send it, for handlers to throw. */
export function engineError(code: CallError['code'], message: string, issues?: WireError['issues']): CallError {
  return new CallError({ code, message, issues } as WireError)
}

export function createFakeEngine(handlers: Handlers = {}): FakeEngine {
  const table: Handlers = { ...handlers }
  const calls: RecordedCall[] = []
  const eventListeners = new Set<(e: AnyEvent) => void>()
  const stateListeners = new Set<(s: ConnectionState) => void>()
  let state: ConnectionState = 'open'

  const transport: Transport = {
    async call(method, params) {
      if (!isMethodName(method)) throw engineError('unknown-method', `unknown method ${method}`)
      calls.push({ method, params })
      const issues = checkParams(method, params)
      if (issues) throw engineError('invalid-input', `invalid ${method} input: ${issues.map((i) => i.message).join('; ')}`, issues)
      const handler = table[method] as ((p: unknown) => unknown) | undefined
      if (!handler) throw engineError('not-implemented', `the fake engine has no handler for ${method}`)
      // A copy, so a test's later changes to its fixtures do not reach into what the page holds (and the other way).
      return structuredClone(await handler(params))
    },
    onEvent(l) {
      eventListeners.add(l)
      return () => eventListeners.delete(l)
    },
    onState(l) {
      stateListeners.add(l)
      return () => stateListeners.delete(l)
    },
    get state() {
      return state
    },
    close() {
      state = 'closed'
    },
  }

  return {
    transport,
    client: createClient(transport),
    calls,
    callsTo: <M extends MethodName>(method: M) => calls.filter((c) => c.method === method).map((c) => c.params as MethodParams<M>),
    handle(method, handler) {
      ;(table as Record<string, unknown>)[method] = handler
    },
    emit(event, data) {
      for (const l of eventListeners) l({ event, data } as AnyEvent)
    },
    setState(s) {
      state = s
      for (const l of stateListeners) l(s)
    },
  }
}
