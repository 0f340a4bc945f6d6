// ILP-over-HTTP (RFC 35) on the app port, for peers only: a peer Junction sends to over HTTP POSTs its own packets to
// `http://127.0.0.1:<app port>/ilp` with `Authorization: Bearer <its incoming token>` (or the bare token, as older
// ilp-plugin-http sends it) and `ILP-Peer-Name: <its peer id>` (ilp-plugin-http's `outgoing.name`). The name and
// token are checked like an incoming BTP peer's auth (peers.ts identifyIncoming, constant time); a request never
// creates an app. Answers: 200 with the Fulfill/Reject, 401 (no/wrong token, unknown peer), 400 (not a Prepare),
// 413 (above 32767 bytes), 405 (/ilp with another method), 404 (another path), 403 (a browser origin not allowed).
import type { IncomingMessage, ServerResponse } from 'node:http'
import { answerPreparePost } from '../links/http-receiver'
import type { Logger } from '../log'
import type { IncomingPeerHost } from './app-server'

export const ILP_HTTP_PATH = '/ilp'

export interface AppHttpOptions {
  peers?: IncomingPeerHost
  /** Whether a browser origin may talk to the app port (the WebSocket upgrade's rule). */
  originAllowed(origin: string): boolean
  log: Logger
  /** The hint for a plain GET of another path (the app port speaks BTP over WebSocket). */
  hint(): string
}

export function serveAppHttp(req: IncomingMessage, res: ServerResponse, opts: AppHttpOptions): void {
  const fail = (status: number, reason: string, close = false) => {
    if (res.headersSent || res.destroyed) return
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...(close ? { connection: 'close' } : {}) })
    res.end(reason + '\n')
  }
  req.on('error', () => {})
  const path = (req.url ?? '').split('?')[0]
  if (path !== ILP_HTTP_PATH) {
    req.resume()
    if (req.method === 'GET' && path === '/') return fail(426, opts.hint())
    return fail(404, `not found: the app port takes BTP over WebSocket, and peers' ILP-over-HTTP packets at POST ${ILP_HTTP_PATH}`)
  }
  if (req.method !== 'POST') {
    req.resume()
    res.setHeader('allow', 'POST')
    return fail(405, `POST an ILP Prepare to ${ILP_HTTP_PATH}`)
  }
  const origin = req.headers.origin
  if (origin !== undefined && !opts.originAllowed(origin)) {
    req.resume()
    opts.log.warn(`refused an ILP-over-HTTP request from browser origin ${origin}`)
    return fail(403, `origin ${origin} is not allowed to send to Junction; the user can allow it in Junction's settings (allowed origins)`)
  }
  const peerName = header(req, 'ilp-peer-name')
  const auth = header(req, 'authorization')
  const token = auth.startsWith('Bearer ') ? auth.slice(7) : auth
  const identity = peerName && token ? opts.peers?.identifyIncoming(peerName, token) : undefined
  if (!identity?.ok) {
    req.resume()
    const why = !token
      ? 'send Authorization: Bearer <the incoming token Junction has for you>'
      : !peerName
        ? 'send ILP-Peer-Name: <your peer id in Junction>'
        : identity === undefined
          ? `"${peerName}" is not a peer allowed to send to this Junction`
          : identity.message
    opts.log.info(`refused an ILP-over-HTTP request: ${why}`)
    return fail(401, why)
  }
  // Looked up when the body is in (inside answerPreparePost's try): a peer removed meanwhile is a 500, not a throw.
  answerPreparePost(req, res, fail, (body, answer) => opts.peers!.incomingHandler(identity.accountId)(body, answer))
}

function header(req: IncomingMessage, name: string): string {
  const v = req.headers[name]
  return (Array.isArray(v) ? v[0] : v ?? '').trim()
}
