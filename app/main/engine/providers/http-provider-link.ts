// A provider reached by ILP-over-HTTP (RFC 35). HTTP holds no connection, so "connected" means: the provider answered
// an ILDCP request, and nothing since failed to reach it. The link asks ILDCP on start, again with backoff after a
// request could not reach the provider, and every `keepaliveMs` when nothing else was answered, so an idle link that
// died is noticed (and failover can act) without waiting for a payment to fail.
//
// Receiving: only with an explicit bind (host, port, token); then an HttpReceiver serves the provider's POSTs. Without
// one the link is send-only: apps pay through it, but nothing can be sent to them over it.
import type { LinkState } from '../btp/btp-client'
import { backoffDelay } from '../btp/btp-client'
import type { Account } from '../accounts/account'
import { HttpClientLink } from '../links/http-client'
import { HttpReceiver } from '../links/http-receiver'
import { parseHttpUrl } from '../links/link-url'
import { ildcpRoundTrip, type ProviderIdentity } from './ildcp-round-trip'
import type { ProviderConnection, ProviderLinkOptions } from './provider-link'
import { ReadyWaiters } from './ready-waiters'

export interface HttpReceiveConfig {
  host: string
  port: number
  token: string
}

export interface HttpProviderLinkOptions extends ProviderLinkOptions {
  receive?: HttpReceiveConfig | null
  /** ILDCP while idle, to notice a provider that went away (default 30 s). */
  keepaliveMs?: number
}

export class HttpProviderLink implements ProviderConnection {
  readonly transport = 'http' as const
  readonly id: string
  readonly account: Account
  identity: ProviderIdentity | undefined
  latencyMs: number | null = null
  downSince: number | null
  lastError: string | undefined
  state: LinkState = { state: 'stopped' }
  /** Present while the link runs with a receive bind. */
  receiver: HttpReceiver | undefined
  private client: HttpClientLink | undefined
  private readonly waiters = new ReadyWaiters()
  private attempt = 0
  private retryTimer: ReturnType<typeof setTimeout> | undefined
  private keepaliveTimer: ReturnType<typeof setInterval> | undefined
  private lastAnswerAt = 0
  private checking = false

  constructor(private readonly opts: HttpProviderLinkOptions) {
    this.id = opts.id
    this.account = opts.account
    this.downSince = Date.now()
    // Throws on a bad URL before anything starts.
    parseHttpUrl(opts.url)
  }

  get up(): boolean {
    return this.account.link !== undefined && this.identity !== undefined && this.downSince === null
  }

  get sendOnly(): boolean {
    return !this.opts.receive
  }

  start(): void {
    if (this.client) return
    const endpoint = parseHttpUrl(this.opts.url)
    this.client = new HttpClientLink(endpoint, {
      onAnswer: () => {
        this.lastAnswerAt = Date.now()
      },
      onUnreachable: (err) => this.lost(err.message),
    })
    void this.startReceiver()
    const keepaliveMs = this.opts.keepaliveMs ?? 30_000
    this.keepaliveTimer = setInterval(() => {
      if (this.up && Date.now() - this.lastAnswerAt >= keepaliveMs) void this.check()
    }, keepaliveMs)
    this.keepaliveTimer.unref?.()
    void this.check()
  }

  stop(): void {
    clearTimeout(this.retryTimer)
    clearInterval(this.keepaliveTimer)
    this.client?.close()
    this.client = undefined
    void this.receiver?.stop()
    this.receiver = undefined
    if (this.account.link) this.account.link = undefined
    this.downSince = Date.now()
    this.setState({ state: 'stopped' })
    this.waiters.settle(new Error('the link was stopped'))
  }

  /** Rebinds (or stops) the receiver; rejects with the reason if the new bind fails (the link then is send-only). */
  async setReceive(receive: HttpReceiveConfig | null): Promise<void> {
    this.opts.receive = receive
    const old = this.receiver
    this.receiver = undefined
    await old?.stop()
    if (this.client) await this.startReceiver(true)
  }

  private async startReceiver(rethrow = false): Promise<void> {
    const config = this.opts.receive
    if (!config) return
    const receiver = new HttpReceiver({ ...config, log: this.opts.log, onPrepare: this.opts.onPrepare })
    this.receiver = receiver
    try {
      await receiver.start()
    } catch (err) {
      this.opts.log.warn(`${(err as Error).message}; the provider link is send-only until this is fixed`)
      if (rethrow) throw err
    } finally {
      this.opts.onState(this)
    }
  }

  ready(ms: number): Promise<void> {
    if (this.up) return Promise.resolve()
    return this.waiters.wait(ms, () => this.lastError)
  }

  /** One ILDCP round trip: up on an answer, down (and a retry after the backoff) on a failure. */
  private async check(): Promise<void> {
    const client = this.client
    if (!client || this.checking) return
    this.checking = true
    if (!this.up) this.setState({ state: 'connecting', attempt: this.attempt + 1 })
    try {
      const { identity, latencyMs } = await ildcpRoundTrip(client)
      if (this.client !== client) return
      const wasUp = this.up
      this.attempt = 0
      this.latencyMs = latencyMs
      this.identity = identity
      this.account.assetCode = identity.assetCode
      this.account.assetScale = identity.assetScale
      this.account.link = client
      this.lastError = undefined
      if (!wasUp) {
        this.downSince = null
        this.opts.log.info(`ILP-over-HTTP provider ${client.endpoint.display} answered ILDCP: ${identity.address}`)
        this.opts.onIdentity(this)
        this.setState({ state: 'connected', since: Date.now() })
        this.waiters.settle()
      }
    } catch (err) {
      if (this.client === client) this.lost(`ILDCP failed: ${(err as Error).message}`)
    } finally {
      this.checking = false
    }
  }

  /** A request could not reach the provider (or ILDCP failed): down until an ILDCP answer comes back. */
  private lost(reason: string): void {
    if (!this.client) return
    const wasUp = this.up
    this.lastError = reason
    this.account.link = undefined
    if (wasUp || this.downSince === null) this.downSince = Date.now()
    if (this.retryTimer !== undefined && this.state.state === 'waiting') return
    const delay = backoffDelay(this.attempt++, this.opts.backoff)
    if (wasUp) this.opts.log.warn(`ILP-over-HTTP provider unreachable (${reason}); asking again in ${Math.round(delay)} ms`)
    this.setState({ state: 'waiting', retryAt: Date.now() + delay, lastError: reason })
    this.waiters.settle(new Error(reason))
    clearTimeout(this.retryTimer)
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined
      void this.check()
    }, delay)
  }

  private setState(state: LinkState): void {
    this.state = state
    this.opts.onState(this)
  }
}
