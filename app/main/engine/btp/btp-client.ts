// Our side of a BTP link to a provider: connects, authenticates (RFC 23), keeps the connection alive with pings,
// and reconnects with exponential backoff and full jitter whenever it drops, until stopped.
import WebSocket from 'ws'
import * as Btp from 'btp-packet'
import type { Logger } from '../log'
import { BtpSession, type PrepareHandler } from './btp-session'
import type { BtpEndpoint } from './btp-url'

export type LinkState =
  | { state: 'connecting'; attempt: number }
  | { state: 'connected'; since: number }
  | { state: 'waiting'; retryAt: number; lastError: string }
  | { state: 'stopped' }

export interface BtpClientOptions {
  endpoint: BtpEndpoint
  log: Logger
  onPrepare: PrepareHandler
  /** The link is authenticated and carries packets. */
  onOpen(session: BtpSession): void
  onClose(reason: string): void
  onState?(state: LinkState): void
  backoff?: { initialMs: number; maxMs: number }
  /** Interval between WebSocket pings; a missed pong closes the link (ms). */
  keepAliveMs?: number
}

const AUTH_TIMEOUT_MS = 10_000

export class BtpClient {
  private ws: WebSocket | undefined
  private session: BtpSession | undefined
  private attempt = 0
  private retryTimer: ReturnType<typeof setTimeout> | undefined
  private pingTimer: ReturnType<typeof setInterval> | undefined
  private stopped = true
  state: LinkState = { state: 'stopped' }

  constructor(private readonly opts: BtpClientOptions) {}

  start(): void {
    if (!this.stopped) return
    this.stopped = false
    this.connect()
  }

  stop(): void {
    this.stopped = true
    clearTimeout(this.retryTimer)
    clearInterval(this.pingTimer)
    this.session?.close(1000, 'Junction is disconnecting')
    this.ws?.terminate()
    this.ws = undefined
    this.session = undefined
    this.setState({ state: 'stopped' })
  }

  /** Drops the current connection (e.g. its ILDCP failed) and tries again after the backoff. */
  restart(reason: string): void {
    this.ws?.terminate()
    this.closed(reason)
  }

  private setState(state: LinkState): void {
    this.state = state
    this.opts.onState?.(state)
  }

  private connect(): void {
    const { endpoint, log } = this.opts
    this.attempt++
    this.setState({ state: 'connecting', attempt: this.attempt })
    const ws = new WebSocket(endpoint.wsUrl, { perMessageDeflate: false, handshakeTimeout: AUTH_TIMEOUT_MS })
    this.ws = ws
    let failed = false
    const fail = (reason: string) => {
      if (failed || this.ws !== ws) return
      failed = true
      ws.terminate()
      this.closed(reason)
    }
    ws.on('error', (err) => fail(err.message || String(err)))
    ws.once('close', (code, reason) => {
      if (!this.session) fail(`closed before authenticating (${code}${reason.length ? ' ' + reason.toString() : ''})`)
    })
    ws.once('open', () => {
      const session = new BtpSession(
        ws,
        this.opts.onPrepare,
        (code, reason) => {
          if (this.session === session) this.closed(`connection closed (${code}${reason ? ' ' + reason : ''})`)
        },
        (problem) => log.debug(`provider link: ${problem}`),
      )
      const authTimer = setTimeout(() => fail('no answer to BTP auth'), AUTH_TIMEOUT_MS)
      session.request(
        [
          { protocolName: 'auth', contentType: Btp.MIME_APPLICATION_OCTET_STREAM, data: Buffer.alloc(0) },
          { protocolName: 'auth_username', contentType: Btp.MIME_TEXT_PLAIN_UTF8, data: Buffer.from(endpoint.username, 'utf8') },
          { protocolName: 'auth_token', contentType: Btp.MIME_TEXT_PLAIN_UTF8, data: Buffer.from(endpoint.token, 'utf8') },
        ],
        (err) => {
          clearTimeout(authTimer)
          if (err) return fail(`authentication refused: ${err.message}`)
          if (this.ws !== ws) return
          this.session = session
          this.attempt = 0
          this.keepAlive(ws)
          this.setState({ state: 'connected', since: Date.now() })
          this.opts.onOpen(session)
        },
      )
    })
  }

  private keepAlive(ws: WebSocket): void {
    clearInterval(this.pingTimer)
    let answered = true
    ws.on('pong', () => {
      answered = true
    })
    this.pingTimer = setInterval(() => {
      if (!answered) {
        this.opts.log.warn('provider did not answer a ping; reconnecting')
        ws.terminate()
        return
      }
      answered = false
      ws.ping()
    }, this.opts.keepAliveMs ?? 15_000)
    this.pingTimer.unref()
  }

  private closed(reason: string): void {
    clearInterval(this.pingTimer)
    const hadSession = this.session !== undefined
    this.session = undefined
    this.ws = undefined
    if (hadSession) this.opts.onClose(reason)
    if (this.stopped) return
    const delay = backoffDelay(this.attempt, this.opts.backoff)
    this.opts.log.info(`provider link down (${reason}); retrying in ${Math.round(delay)} ms`)
    this.setState({ state: 'waiting', retryAt: Date.now() + delay, lastError: reason })
    clearTimeout(this.retryTimer)
    this.retryTimer = setTimeout(() => this.connect(), delay)
  }
}

/** Exponential backoff with full jitter, never below a tenth of the initial delay, so many clients do not retry in step. */
export function backoffDelay(attempt: number, backoff: { initialMs: number; maxMs: number } = { initialMs: 500, maxMs: 30_000 }): number {
  const ceiling = Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.min(attempt, 20))
  return Math.max(backoff.initialMs / 10, Math.random() * ceiling)
}
