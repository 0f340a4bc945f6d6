// The UI/API server of headless mode: the contract (app/shared/contract.ts) over a WebSocket on 127.0.0.1, and the
// UI page over plain HTTP on the same port. Wire format: README "UI/API wire format".
//
// Who may talk to it:
// - Only this machine: it listens on 127.0.0.1 alone.
// - Only someone who has the token (printed on the ready line). The client sends it in the WebSocket subprotocol list:
//   `new WebSocket(url, ['junction', 'token.<token>'])`. Chosen over a `?token=` query because a subprotocol is a
//   header, not part of the URL: it never lands in a URL bar, history, or a log line that prints request URLs, and a
//   browser page can set it as easily as a query. The server answers with the subprotocol `junction` only, so the token
//   is never echoed. Without the right token the upgrade is refused with 401 before any WebSocket exists.
// - Not a web page that reached us by DNS rebinding: `Host` must name the loopback address and our port, and a
//   browser's `Origin` must be our own page's origin; anything else gets 403.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { type WebSocket, WebSocketServer } from 'ws'
import type { JunctionApi } from '../shared/api-types'
import {
  type EventName,
  type EventPayload,
  type WireError,
  type WireResponse,
  toJson,
} from '../shared/contract'
import type { Connector } from './engine/connector'
import { createEventFeed, createEventThrottle, type EventThrottle, type SendEvent } from './contract-events'
import { createLogger, type Logger } from './engine/log'
import { callContract } from './contract-calls'
import { createStaticUi } from './ui-static'

export const DEFAULT_UI_PORT = 7769
/** The subprotocol the server selects; the token travels as a second one, `token.<token>`. */
export const UI_PROTOCOL = 'junction'
const TOKEN_PREFIX = 'token.'
export { EVENT_INTERVAL_MS } from './contract-events'
const MAX_FRAME = 1024 * 1024

export interface ApiServerOptions {
  api: JunctionApi
  /** Where events come from; without it the server pushes none. */
  connector?: Connector
  /** 0 picks a free port (tests). */
  port: number
  /** Fresh random one if not given. */
  token?: string
  log?: Logger
  /** The built UI to serve (default dist/renderer). */
  uiDir?: string
  /** The throttle interval (tests). */
  eventIntervalMs?: number
}

export interface ApiServer {
  readonly port: number
  readonly token: string
  /** `http://127.0.0.1:<port>/#token=<token>`: the fragment stays in the browser, it is never sent to a server. */
  readonly url: string
  /** Pushes an event to every connected client (throttled per stream); nothing while none is connected. */
  publish<E extends EventName>(event: E, data: EventPayload<E>): void
  stop(): Promise<void>
}

export function newUiToken(): string {
  return randomBytes(32).toString('base64url')
}

/** A token given with --ui-token must survive as a subprotocol (HTTP token characters); base64url does. */
export function uiTokenProblem(token: string): string | null {
  if (token.length < 16) return 'must have at least 16 characters'
  if (token.length > 256) return 'must have at most 256 characters'
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return "may contain only letters, digits, '-' and '_'"
  return null
}

/** Starts serving; rejects (with the OS error, e.g. EADDRINUSE) if the port cannot be had. */
export async function startApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  const log = opts.log ?? createLogger('ui')
  const token = opts.token ?? newUiToken()
  const tokenHash = createHash('sha256').update(token).digest()
  let port = opts.port

  const ui = createStaticUi(opts.uiDir)
  const http: Server = createServer((req, res) => ui.serve(req, res, port, hostAllowed(req.headers.host, port)))
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_FRAME,
    handleProtocols: (protocols) => (protocols.has(UI_PROTOCOL) ? UI_PROTOCOL : false),
  })

  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refusal = checkUpgrade(req, port, tokenHash)
    if (refusal) {
      log.debug(`UI WebSocket refused: ${refusal.reason}`)
      const body = `${refusal.reason}\n`
      socket.end(
        `HTTP/1.1 ${refusal.status} ${refusal.status === 401 ? 'Unauthorized' : 'Forbidden'}\r\n` +
          `Content-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      )
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => onClient(ws))
  })

  const onClient = (ws: WebSocket) => {
    watchers()
    ws.once('close', watchers)
    ws.on('error', () => ws.terminate())
    ws.on('message', (raw, isBinary) => {
      void handleFrame(raw.toString(), isBinary).then((reply) => {
        if (ws.readyState === ws.OPEN) ws.send(toJson(reply))
      })
    })
  }

  const handleFrame = async (text: string, isBinary: boolean): Promise<WireResponse> => {
    if (isBinary) return fail(null, 'bad-request', 'expected a JSON text frame')
    let msg: unknown
    try {
      msg = JSON.parse(text)
    } catch {
      return fail(null, 'bad-request', 'the frame is not valid JSON')
    }
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) {
      return fail(null, 'bad-request', 'expected an object {"id", "method", "params"}')
    }
    const { id, method, params } = msg as Record<string, unknown>
    if (!(typeof id === 'number' && Number.isFinite(id)) && typeof id !== 'string') {
      return fail(null, 'bad-request', 'expected "id": a number or a string')
    }
    const outcome = await callContract(opts.api, method, params, log, 'UI API')
    return { id, ...outcome }
  }

  // ---- events (contract-events.ts): fed from the connector only while a client is connected, so a headless node
  // nobody watches builds no packet views ----
  const broadcast: SendEvent = (event, data) => {
    const frame = toJson({ event, data })
    for (const client of wss.clients) if (client.readyState === client.OPEN) client.send(frame)
  }
  let feed: EventThrottle | undefined
  let stopping = false
  const watchers = () => {
    if (wss.clients.size > 0 && !stopping) {
      feed ??= opts.connector
        ? createEventFeed({ connector: opts.connector, intervalMs: opts.eventIntervalMs, send: broadcast })
        : createEventThrottle({ intervalMs: opts.eventIntervalMs, send: broadcast })
    } else {
      feed?.stop()
      feed = undefined
    }
  }

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject)
    http.listen(port, '127.0.0.1', () => {
      http.off('error', reject)
      resolve()
    })
  })
  port = (http.address() as { port: number }).port
  http.on('error', (err) => log.error(`UI server: ${err.message}`))

  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/#token=${token}`,
    publish: (event, data) => feed?.publish(event, data),
    async stop() {
      stopping = true
      feed?.stop()
      feed = undefined
      for (const client of wss.clients) client.close(1001, 'Junction is stopping')
      wss.close()
      const closed = new Promise<void>((resolve) => http.close(() => resolve()))
      http.closeAllConnections()
      // Clients that do not answer the close handshake are cut after a moment.
      const cut = setTimeout(() => {
        for (const client of wss.clients) client.terminate()
      }, 500)
      cut.unref()
      await closed
      clearTimeout(cut)
    },
  }
}

function fail(id: number | string | null, code: WireError['code'], message: string): WireResponse {
  return { id, error: { code, message } }
}

/** The loopback `Host` values that name this server. */
function hostAllowed(host: string | undefined, port: number): boolean {
  if (host === undefined) return false
  return host === `127.0.0.1:${port}` || host.toLowerCase() === `localhost:${port}` || host === `[::1]:${port}`
}

/** A browser page's `Origin` may only be the UI page itself. */
function originAllowed(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return true
  return origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`
}

function checkUpgrade(req: IncomingMessage, port: number, tokenHash: Buffer): { status: 401 | 403; reason: string } | null {
  if (!hostAllowed(req.headers.host, port)) return { status: 403, reason: 'Host not allowed' }
  if (!originAllowed(req.headers.origin, port)) return { status: 403, reason: 'Origin not allowed' }
  const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim())
  const given = offered.find((p) => p.startsWith(TOKEN_PREFIX))?.slice(TOKEN_PREFIX.length)
  // Equal-length digests, compared in constant time: neither the token nor its length leaks through timing.
  const ok = given !== undefined && timingSafeEqual(createHash('sha256').update(given).digest(), tokenHash)
  if (!ok) return { status: 401, reason: 'a valid token is required' }
  if (!offered.includes(UI_PROTOCOL)) return { status: 403, reason: `expected the subprotocol ${UI_PROTOCOL}` }
  return null
}
