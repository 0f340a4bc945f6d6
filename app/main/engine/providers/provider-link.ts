// One provider's link: a BTP client that keeps reconnecting, the parent account Junction's balance with that
// provider is kept under, and the identity (address, asset) the provider gave by ILDCP on the last connect.
// The link does not decide anything: the provider switch (provider-switch.ts) reads its state and identity.
// ILP-over-HTTP providers have their own link (http-provider-link.ts) with the same face, ProviderConnection;
// createProviderLink picks one by the URL's scheme.
import { type Account } from '../accounts/account'
import { BtpClient, type LinkState } from '../btp/btp-client'
import type { BtpSession, PrepareHandler } from '../btp/btp-session'
import { parseBtpUrl } from '../btp/btp-url'
import type { Logger } from '../log'
import { ildcpRoundTrip, type ProviderIdentity } from './ildcp-round-trip'
import { ReadyWaiters } from './ready-waiters'
import { HttpProviderLink, type HttpProviderLinkOptions } from './http-provider-link'
import { linkTransport } from '../links/link-url'

/** What the provider switch sees of a provider's link, whatever carries it. */
export interface ProviderConnection {
  readonly id: string
  readonly account: Account
  readonly transport: 'btp' | 'http'
  identity: ProviderIdentity | undefined
  latencyMs: number | null
  downSince: number | null
  lastError: string | undefined
  readonly state: LinkState
  readonly up: boolean
  start(): void
  stop(): void
  ready(ms: number): Promise<void>
}

export interface ProviderLinkOptions {
  id: string
  url: string
  account: Account
  log: Logger
  backoff?: { initialMs: number; maxMs: number }
  onPrepare: PrepareHandler
  /** Link state changed. */
  onState(link: ProviderConnection): void
  /** ILDCP answered on a (re)connect. */
  onIdentity(link: ProviderConnection): void
}

export class ProviderLink implements ProviderConnection {
  readonly transport = 'btp' as const
  readonly id: string
  readonly account: Account
  identity: ProviderIdentity | undefined
  latencyMs: number | null = null
  /** When the link last stopped carrying packets (Date.now()); null while it carries them. */
  downSince: number | null
  /** Why the last connect or ILDCP failed. */
  lastError: string | undefined
  private readonly client: BtpClient
  private readonly waiters = new ReadyWaiters()

  constructor(private readonly opts: ProviderLinkOptions) {
    this.id = opts.id
    this.account = opts.account
    this.downSince = Date.now()
    const endpoint = parseBtpUrl(opts.url)
    const log = opts.log
    const client: BtpClient = new BtpClient({
      endpoint,
      log,
      backoff: opts.backoff,
      onPrepare: opts.onPrepare,
      onState: (state) => {
        if (state.state === 'waiting') {
          this.lastError = state.lastError
          this.settle(new Error(state.lastError))
        }
        if (state.state === 'stopped') this.settle(new Error('the link was stopped'))
        opts.onState(this)
      },
      onOpen: (session) => {
        log.info(`connected to ${endpoint.display}`)
        this.account.link = session
        this.fetchIdentity(session).catch((err: Error) => {
          log.warn(`ILDCP request to ${endpoint.display} failed: ${err.message}`)
          if (this.account.link === session) {
            this.account.link = undefined
            client.restart(`ILDCP failed: ${err.message}`)
          }
        })
      },
      onClose: (reason) => {
        this.account.link = undefined
        this.downSince = Date.now()
        log.warn(`disconnected from ${endpoint.display}: ${reason}`)
        opts.onState(this)
      },
    })
    this.client = client
  }

  get state(): LinkState {
    return this.client.state
  }

  /** Connected and ILDCP answered: packets can go through it. */
  get up(): boolean {
    return this.account.link !== undefined && this.identity !== undefined && this.downSince === null
  }

  start(): void {
    this.client.start()
  }

  stop(): void {
    this.client.stop()
    this.account.link = undefined
    this.downSince = Date.now()
  }

  /** Resolves when the link is up; rejects on its first failure (refused, unreachable, no ILDCP) or after `ms`. */
  ready(ms: number): Promise<void> {
    if (this.up) return Promise.resolve()
    return this.waiters.wait(ms, () => this.lastError)
  }

  private settle(error?: Error): void {
    this.waiters.settle(error)
  }

  private async fetchIdentity(session: BtpSession): Promise<void> {
    const { identity, latencyMs } = await ildcpRoundTrip(session)
    if (this.account.link !== session) return
    this.latencyMs = latencyMs
    this.identity = identity
    this.account.assetCode = identity.assetCode
    this.account.assetScale = identity.assetScale
    this.downSince = null
    this.lastError = undefined
    this.opts.onIdentity(this)
    this.opts.onState(this)
    this.settle()
  }
}

/** A BTP or an ILP-over-HTTP link, by the URL's scheme. */
export function createProviderLink(opts: HttpProviderLinkOptions): ProviderConnection {
  return linkTransport(opts.url) === 'http' ? new HttpProviderLink(opts) : new ProviderLink(opts)
}
