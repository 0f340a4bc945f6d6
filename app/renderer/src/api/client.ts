// The UI's one way to the engine: the contract (app/shared/contract.ts) over whichever transport this page has —
// Electron IPC through the preload's `window.junction` bridge, or the headless WebSocket with the token from the
// page's URL fragment. Pages and stores call `client.call('listApps')` and subscribe to events; they never know which.
import type { EventName, EventPayload, MethodName, MethodParams, MethodResult, WireError } from '../../../shared/contract'

/** A failed call: the engine's or the transport's error code, a message for people, and per-field issues. */
export class CallError extends Error {
  readonly code: WireError['code'] | 'disconnected'
  readonly issues: NonNullable<WireError['issues']>
  constructor(error: WireError | { code: 'disconnected'; message: string; issues?: WireError['issues'] }) {
    super(error.message)
    this.name = 'CallError'
    this.code = error.code
    this.issues = error.issues ?? []
  }
}

export type ConnectionState = 'connecting' | 'open' | 'closed' | 'unauthorized'

export type AnyEvent = { [E in EventName]: { event: E; data: EventPayload<E> } }[EventName]

/** What the preload exposes as `window.junction` (app/main/electron/preload.ts). */
export interface JunctionBridge {
  call(method: string, params: unknown): Promise<{ ok: true; result: unknown } | { ok: false; error: WireError }>
  onEvent(listener: (event: string, data: unknown) => void): () => void
}

/** The transport under the client (tests pass their own). */
export interface Transport {
  call(method: string, params: unknown): Promise<unknown>
  /** Every event pushed by the engine; returns an unsubscribe function. */
  onEvent(listener: (e: AnyEvent) => void): () => void
  onState(listener: (s: ConnectionState) => void): () => void
  readonly state: ConnectionState
  close(): void
}

export interface Client {
  call<M extends MethodName>(method: M, ...params: undefined extends MethodParams<M> ? [params?: MethodParams<M>] : [params: MethodParams<M>]): Promise<MethodResult<M>>
  on<E extends EventName>(event: E, listener: (data: EventPayload<E>) => void): () => void
  onState(listener: (s: ConnectionState) => void): () => void
  readonly state: ConnectionState
  close(): void
}

export function createClient(transport: Transport): Client {
  const listeners = new Map<EventName, Set<(data: never) => void>>()
  transport.onEvent((e) => {
    for (const fn of listeners.get(e.event) ?? []) fn(e.data as never)
  })
  return {
    call: (method, ...params) => transport.call(method, params[0]) as never,
    on(event, listener) {
      let set = listeners.get(event)
      if (!set) listeners.set(event, (set = new Set()))
      set.add(listener as (data: never) => void)
      return () => set.delete(listener as (data: never) => void)
    },
    onState: (l) => transport.onState(l),
    get state() {
      return transport.state
    },
    close: () => transport.close(),
  }
}

/** Electron: the preload's bridge. Always open (the engine lives in the same app). */
export function bridgeTransport(bridge: JunctionBridge): Transport {
  return {
    async call(method, params) {
      const reply = await bridge.call(method, params)
      if (reply.ok) return reply.result
      throw new CallError(reply.error)
    },
    onEvent: (listener) => bridge.onEvent((event, data) => listener({ event, data } as AnyEvent)),
    onState: () => () => {},
    state: 'open',
    close() {},
  }
}

const RECONNECT_MS = [500, 1000, 2000, 5000]

/**
 * Headless: a WebSocket to the page's own host, the token as a subprotocol. Reconnects with a short backoff while
 * the page is open (Junction restarting); a refused token is final ('unauthorized').
 */
export function webSocketTransport(url: string, token: string, WebSocketImpl: typeof WebSocket = WebSocket): Transport {
  let ws: WebSocket | undefined
  let state: ConnectionState = 'connecting'
  let nextId = 1
  let attempt = 0
  let closed = false
  let everOpened = false
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>()
  const eventListeners = new Set<(e: AnyEvent) => void>()
  const stateListeners = new Set<(s: ConnectionState) => void>()
  const setState = (s: ConnectionState) => {
    if (state === s) return
    state = s
    for (const l of stateListeners) l(s)
  }
  const connect = () => {
    setState('connecting')
    const socket = new WebSocketImpl(url, ['junction', `token.${token}`])
    ws = socket
    socket.onopen = () => {
      attempt = 0
      everOpened = true
      setState('open')
    }
    socket.onmessage = (m) => {
      let msg: { id?: number; result?: unknown; error?: WireError; event?: string; data?: unknown }
      try {
        msg = JSON.parse(String(m.data))
      } catch {
        return
      }
      if (typeof msg.event === 'string') {
        for (const l of eventListeners) l({ event: msg.event, data: msg.data } as AnyEvent)
        return
      }
      const p = typeof msg.id === 'number' ? pending.get(msg.id) : undefined
      if (!p) return
      pending.delete(msg.id!)
      if (msg.error) p.reject(new CallError(msg.error))
      else p.resolve(msg.result)
    }
    socket.onclose = () => {
      for (const p of pending.values()) p.reject(new CallError({ code: 'disconnected', message: 'the connection to Junction was lost; retrying' }))
      pending.clear()
      if (closed) return setState('closed')
      // A refused upgrade never opens: before the first open, that means a wrong or missing token.
      if (!everOpened && attempt >= 1) return setState('unauthorized')
      setState('closed')
      const delay = RECONNECT_MS[Math.min(attempt++, RECONNECT_MS.length - 1)]
      setTimeout(() => !closed && connect(), delay)
    }
  }
  connect()
  return {
    call(method, params) {
      if (!ws || ws.readyState !== WebSocketImpl.OPEN) {
        return Promise.reject(new CallError({ code: 'disconnected', message: 'not connected to Junction' }))
      }
      const id = nextId++
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject })
        ws!.send(JSON.stringify(params === undefined ? { id, method } : { id, method, params }))
      })
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
      closed = true
      ws?.close()
    },
  }
}

declare global {
  interface Window {
    junction?: JunctionBridge
  }
}

/** The client for this page: Electron's bridge if present, else the headless WebSocket (token from `#token=`). */
export function connectFromPage(): Client {
  if (window.junction) return createClient(bridgeTransport(window.junction))
  const fromUrl = new URLSearchParams(window.location.hash.slice(1)).get('token')
  const token = fromUrl ?? sessionStorage.getItem('junction.token') ?? ''
  // Keep the token for reloads, and take it out of the address bar (and so out of screenshots and shared links);
  // a page route in the fragment (#/apps after a reload) stays.
  if (token) sessionStorage.setItem('junction.token', token)
  if (fromUrl !== null) history.replaceState(null, '', window.location.pathname)
  const url = `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/`
  return createClient(webSocketTransport(url, token))
}
