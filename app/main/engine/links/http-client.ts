// The sending half of an ILP-over-HTTP link (RFC 35): each prepare is POSTed as the request body, the Fulfill or
// Reject comes back as the response body. Headers are the ones the reference peer, ilp-plugin-http 1.6, reads and
// sends: `Authorization: Bearer <token>` (it also accepts a bare token), `ILP-Peer-Name` for its multilateral mode;
// the content type is RFC 35's `application/octet-stream` (ilp-plugin-http sends `application/ilp+octet-stream` and
// does not check it). Connections are kept alive, so a busy link pays the TCP (and TLS) set-up once.
//
// Outcomes: 200 with an ILP Fulfill/Reject → the reply; another status → NextHopAnswerError (5xx and auth failures
// T00, 400/413 F00); no answer (refused, reset, DNS) → a plain Error, which the pipeline calls unreachable (T01).
import http from 'node:http'
import https from 'node:https'
import type { PacketLink, ReplyCallback } from '../btp/btp-session'
import { NextHopAnswerError } from './link-errors'
import type { HttpEndpoint } from './link-url'

/** RFC 35 caps a packet at 32767 bytes; a reply larger than that is not an ILP packet. */
export const MAX_ILP_PACKET = 32767
const TYPE_FULFILL = 13
const TYPE_REJECT = 14

export interface HttpClientLinkOptions {
  /** Longest a request may stay unanswered if nobody forgets it first (the pipeline forgets it at packet expiry). */
  maxWaitMs?: number
  /** Most connections kept to the server at once. */
  maxSockets?: number
  /** The server could not be reached (not: it answered with an error). */
  onUnreachable?(error: Error): void
  /** The server answered a request (any status). */
  onAnswer?(): void
}

export class HttpClientLink implements PacketLink {
  private readonly agent: http.Agent
  private readonly request: typeof http.request
  private readonly inFlight = new Map<number, http.ClientRequest>()
  private nextId = 1
  private closed = false
  private readonly headers: Record<string, string>

  constructor(
    readonly endpoint: HttpEndpoint,
    private readonly opts: HttpClientLinkOptions = {},
  ) {
    const secure = endpoint.url.startsWith('https:')
    const agentOptions = { keepAlive: true, maxSockets: opts.maxSockets ?? 64, scheduling: 'lifo' as const }
    this.agent = secure ? new https.Agent(agentOptions) : new http.Agent(agentOptions)
    this.request = secure ? https.request : http.request
    this.headers = {
      authorization: `Bearer ${endpoint.token}`,
      'content-type': 'application/octet-stream',
      accept: 'application/octet-stream',
      ...(endpoint.peerName ? { 'ilp-peer-name': endpoint.peerName } : {}),
    }
  }

  get open(): boolean {
    return !this.closed
  }

  sendPrepare(ilpPrepare: Buffer, cb: ReplyCallback): number {
    const id = this.nextId++
    if (this.closed) {
      queueMicrotask(() => cb(new Error('link is closed')))
      return id
    }
    let answered = false
    const done = (err: Error | null, reply?: Buffer) => {
      if (answered) return
      answered = true
      this.inFlight.delete(id)
      cb(err, reply)
    }
    const req = this.request(this.endpoint.url, {
      method: 'POST',
      agent: this.agent,
      headers: { ...this.headers, 'content-length': String(ilpPrepare.length) },
      timeout: this.opts.maxWaitMs ?? 60_000,
    })
    req.on('response', (res) => {
      this.opts.onAnswer?.()
      const chunks: Buffer[] = []
      let size = 0
      res.on('data', (chunk: Buffer) => {
        size += chunk.length
        if (size > MAX_ILP_PACKET) {
          res.destroy()
          done(new NextHopAnswerError(`${this.endpoint.display} answered with more than ${MAX_ILP_PACKET} bytes, not an ILP packet`))
        } else chunks.push(chunk)
      })
      res.on('error', (err) => done(new Error(`${this.endpoint.display}: the answer broke off (${err.message})`)))
      res.on('end', () => {
        const body = Buffer.concat(chunks)
        const status = res.statusCode ?? 0
        if (status === 200 && (body[0] === TYPE_FULFILL || body[0] === TYPE_REJECT)) done(null, body)
        else if (status === 200) done(new NextHopAnswerError(`${this.endpoint.display} answered 200 without an ILP Fulfill or Reject`))
        else done(statusError(this.endpoint.display, status, body))
      })
    })
    req.on('timeout', () => req.destroy(new Error(`no answer within ${(this.opts.maxWaitMs ?? 60_000) / 1000} s`)))
    req.on('error', (err) => {
      if (answered) return
      const error = new Error(`${this.endpoint.display} could not be reached: ${describe(err)}`)
      this.opts.onUnreachable?.(error)
      done(error)
    })
    this.inFlight.set(id, req)
    req.end(ilpPrepare)
    return id
  }

  forget(requestId: number): void {
    const req = this.inFlight.get(requestId)
    if (!req) return
    this.inFlight.delete(requestId)
    // The packet expired: its reply no longer matters. Aborting keeps a stuck server from piling up sockets.
    req.removeAllListeners('error')
    req.on('error', () => {})
    req.destroy()
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    for (const req of this.inFlight.values()) req.destroy(new Error('link is closed'))
    this.inFlight.clear()
    this.agent.destroy()
  }
}

function statusError(display: string, status: number, body: Buffer): NextHopAnswerError {
  const text = body.toString('utf8').replace(/[^\x20-\x7e]+/g, ' ').trim().slice(0, 200)
  const said = text ? `: ${text}` : ''
  if (status === 401 || status === 403) return new NextHopAnswerError(`${display} refused Junction's token (HTTP ${status}${said})`)
  if (status === 400 || status === 413) return new NextHopAnswerError(`${display} refused the packet (HTTP ${status}${said})`, 'F00')
  return new NextHopAnswerError(`${display} failed (HTTP ${status}${said})`)
}

function describe(err: NodeJS.ErrnoException): string {
  if (err.code === 'ECONNREFUSED') return 'connection refused'
  if (err.code === 'ENOTFOUND') return 'no such host'
  if (err.code === 'ECONNRESET') return 'connection reset'
  if (err.code === 'ETIMEDOUT') return 'timed out'
  return err.message
}
