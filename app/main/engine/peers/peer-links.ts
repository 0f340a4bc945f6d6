// The links to peers: one peer account each, reached over up to two connections — the one Junction opens to the
// peer's URL and the one the peer opens to Junction's app port (an incoming peer, handed over by btp/app-server.ts).
// Junction's side is an Outgoing: over BTP a BtpClient (auth, keep-alive, reconnect with backoff); over ILP-over-HTTP
// an HttpClientLink, which holds no connection and so counts as up from the start ('waiting' after a request could
// not reach the peer, 'connected' again at its next answer). One connection carries the account at a time (ours
// first); while one is up, packets go through the pipeline like any account's and CCP runs on it. When none is up,
// the peer's routes go (as in ilp-connector), so packets fall back to the next best route. An HTTP peer's own
// packets come as POSTs to the app port (btp/app-server.ts) and go to incomingHandler like an incoming BTP peer's.
import { type Account, createAccount } from '../accounts/account'
import type { BalanceStore } from '../balances/balance-store'
import { BtpClient, type LinkState } from '../btp/btp-client'
import type { BtpSession, PacketLink, PrepareHandler } from '../btp/btp-session'
import { parseBtpUrl } from '../btp/btp-url'
import { HttpClientLink } from '../links/http-client'
import { linkTransport, parseHttpUrl } from '../links/link-url'
import { createLogger, type Logger } from '../log'
import type { OwnIdentity } from '../own-identity'
import type { RouteExchange } from '../routing/ccp/route-exchange'
import { type PeerConfig, peerAccountId } from './peer-config'

/** What a link needs to know of a peer: its id, where to connect (full URL, secret included) and its settings. */
export type LinkedPeer = Omit<PeerConfig, 'url' | 'relation'> & { url?: string }

/**
 * An incoming connection waits this long for the peer's first packet before Junction starts CCP on it: an
 * ilp-connector that is the client sets its side of the link up only after our auth answer, and refuses (and then
 * ignores for 30 s) a route control that comes sooner. Its own first route control marks it ready at once.
 */
const INCOMING_SETTLE_MS = 1000

export interface PeerLinksOptions {
  own: OwnIdentity
  accounts: Map<string, Account>
  balances: BalanceStore
  exchange: RouteExchange
  handle: (account: Account) => PrepareHandler
  backoff: { initialMs: number; maxMs: number }
  /** A peer's link came up, went down or changed state (account id). */
  changed?: (accountId: string) => void
}

interface Incoming {
  session: BtpSession
  since: number
  ready: boolean
  timer?: ReturnType<typeof setTimeout>
}

/** Junction's connection to the peer's URL, whichever the transport. */
interface Outgoing {
  readonly state: LinkState
  start(): void
  stop(): void
}

interface Live {
  peer: LinkedPeer
  account: Account
  log: Logger
  client?: Outgoing
  /** The open link of our connection (a BTP session, or the HTTP client while it runs). */
  outgoing?: PacketLink
  outgoingSince?: number
  incoming?: Incoming
  /** The connection the account and CCP are on now. */
  linked?: PacketLink
}

export class PeerLinks {
  private readonly live = new Map<string, Live>()
  private started = false

  constructor(private readonly opts: PeerLinksOptions) {}

  start(): void {
    this.started = true
    for (const p of this.live.values()) p.client?.start()
  }

  stop(): void {
    this.started = false
    for (const p of this.live.values()) this.shut(p)
  }

  has(id: string): boolean {
    return this.live.has(peerAccountId(id))
  }

  /** Creates the peer's account (its balance loaded) and, when it has a URL, its client (connecting if started). */
  open(peer: LinkedPeer): Account {
    const id = peerAccountId(peer.id)
    if (this.live.has(id)) throw new Error(`peer ${peer.id} is already linked`)
    const { own } = this.opts
    const account = createAccount({
      id,
      relation: 'peer',
      assetCode: peer.assetCode ?? own.assetCode,
      assetScale: peer.assetScale ?? own.assetScale,
      limits: { ...peer.limits },
      balance: this.opts.balances.load(id),
    })
    this.opts.accounts.set(id, account)
    const p: Live = { peer, account, log: createLogger(id) }
    this.live.set(id, p)
    if (peer.url !== undefined) p.client = this.client(p, peer.url)
    if (this.started) p.client?.start()
    return account
  }

  /** A new URL for the peer (undefined: Junction stops connecting to it). Its account, balance and routes stay. */
  setUrl(id: string, url: string | undefined): void {
    const p = this.live.get(peerAccountId(id))
    if (!p) return
    p.client?.stop()
    p.client = undefined
    p.outgoing = undefined
    p.peer = { ...p.peer, url }
    this.relink(p)
    if (url !== undefined) p.client = this.client(p, url)
    if (this.started) p.client?.start()
  }

  /**
   * Starts the route exchange with the peer again, when it is linked: asks it for its routes anew. For an HTTP peer
   * given an incoming token, whose route updates (POSTs to the app port) were refused until now.
   */
  restartRoutes(id: string): void {
    const p = this.live.get(peerAccountId(id))
    if (!p?.linked) return
    this.opts.exchange.attach(p.account, { send: p.peer.sendRoutes ?? true, receive: p.peer.receiveRoutes ?? true })
  }

  /** Closes the peer's connection to the app port, if it has one (it must connect again, or may no longer). */
  dropIncoming(id: string, reason: string): void {
    this.live.get(peerAccountId(id))?.incoming?.session.close(1008, reason)
  }

  /** Disconnects both ways, drops the peer's routes and its account from memory (its balance row stays). */
  close(id: string): void {
    const p = this.live.get(peerAccountId(id))
    if (!p) return
    this.shut(p)
    p.incoming?.session.close(1000, 'Junction removed this peer')
    this.live.delete(p.account.id)
    this.opts.accounts.delete(p.account.id)
  }

  /** Our connection's state; undefined when Junction does not connect to this peer. */
  outgoingState(id: string): LinkState | undefined {
    return this.live.get(peerAccountId(id))?.client?.state
  }

  /**
   * The peer's connection to the app port: 'connecting' until Junction has put the account on it (its first packet, or
   * INCOMING_SETTLE_MS), then 'connected' since it came up; undefined while it has none.
   */
  incomingState(id: string): LinkState | undefined {
    const incoming = this.live.get(peerAccountId(id))?.incoming
    if (!incoming) return undefined
    return incoming.ready ? { state: 'connected', since: incoming.since } : { state: 'connecting', attempt: 1 }
  }

  connected(id: string): boolean {
    return this.live.get(peerAccountId(id))?.linked !== undefined
  }

  // ---- the peer's connection to the app port (btp/app-server.ts) ----

  incomingHandler(accountId: string): PrepareHandler {
    const p = this.live.get(accountId)
    if (!p) throw new Error(`${accountId} is not a linked peer`)
    const handle = this.opts.handle(p.account)
    return (ilp, answer) => {
      // Its first packet (an ilp-connector's route control) shows its side is set up: start CCP before handling it.
      if (p.incoming && !p.incoming.ready) this.ready(p, p.incoming)
      handle(ilp, answer)
    }
  }

  attachIncoming(accountId: string, session: BtpSession): void {
    const p = this.live.get(accountId)
    if (!p) return session.close(1008, 'this peer was removed')
    if (p.incoming) clearTimeout(p.incoming.timer)
    const incoming: Incoming = { session, since: Date.now(), ready: false }
    incoming.timer = setTimeout(() => this.ready(p, incoming), INCOMING_SETTLE_MS)
    incoming.timer.unref?.()
    p.incoming = incoming
    p.log.info('the peer connected to the app port')
    this.relink(p)
  }

  detachIncoming(accountId: string, session: BtpSession): void {
    const p = this.live.get(accountId)
    if (!p || p.incoming?.session !== session) return
    clearTimeout(p.incoming.timer)
    p.incoming = undefined
    p.log.info('the peer’s connection to the app port closed')
    this.relink(p)
  }

  private ready(p: Live, incoming: Incoming): void {
    clearTimeout(incoming.timer)
    if (p.incoming !== incoming || incoming.ready) return
    incoming.ready = true
    this.relink(p)
  }

  private client(p: Live, url: string): Outgoing {
    if (linkTransport(url) === 'http') return this.httpClient(p, url)
    const endpoint = parseBtpUrl(url)
    // A client replaced by setUrl may still report its close: only the current one moves the link.
    const client: BtpClient = new BtpClient({
      endpoint,
      log: p.log,
      backoff: this.opts.backoff,
      onPrepare: this.opts.handle(p.account),
      onState: () => this.opts.changed?.(p.account.id),
      onOpen: (session) => {
        if (p.client !== client) return
        p.log.info(`connected to peer ${endpoint.display}`)
        p.outgoing = session
        p.outgoingSince = Date.now()
        this.relink(p)
      },
      onClose: (reason) => {
        if (p.client !== client) return
        p.outgoing = undefined
        this.relink(p)
        p.log.warn(`disconnected from peer ${endpoint.display}: ${reason}`)
      },
    })
    return client
  }

  /** ILP-over-HTTP: up from start (the CCP route control is the first request); its state follows the answers. */
  private httpClient(p: Live, url: string): Outgoing {
    const endpoint = parseHttpUrl(url)
    let link: HttpClientLink | undefined
    let state: LinkState = { state: 'stopped' }
    const setState = (next: LinkState) => {
      state = next
      this.opts.changed?.(p.account.id)
    }
    return {
      get state() {
        return state
      },
      start: () => {
        if (link) return
        link = new HttpClientLink(endpoint, {
          onAnswer: () => {
            if (state.state !== 'connected') {
              if (state.state === 'waiting') p.log.info(`peer ${endpoint.display} answers again`)
              setState({ state: 'connected', since: Date.now() })
            }
          },
          onUnreachable: (err) => {
            if (state.state === 'connected') p.log.warn(err.message)
            setState({ state: 'waiting', retryAt: Date.now(), lastError: err.message })
          },
        })
        p.log.info(`sending to peer ${endpoint.display} over ILP-over-HTTP`)
        state = { state: 'connected', since: Date.now() }
        p.outgoing = link
        p.outgoingSince = Date.now()
        this.relink(p)
      },
      stop: () => {
        link?.close()
        link = undefined
        state = { state: 'stopped' }
      },
    }
  }

  /** Puts the account and CCP on the best open connection (ours, else the peer's once ready), or takes them off. */
  private relink(p: Live): void {
    const next = p.outgoing ?? (p.incoming?.ready ? p.incoming.session : undefined)
    if (next === p.linked) return
    p.linked = next
    p.account.link = next
    if (next) {
      this.opts.exchange.attach(p.account, { send: p.peer.sendRoutes ?? true, receive: p.peer.receiveRoutes ?? true })
    } else {
      this.opts.exchange.detach(p.account.id)
    }
    this.opts.changed?.(p.account.id)
  }

  private shut(p: Live): void {
    p.client?.stop()
    p.outgoing = undefined
    if (p.incoming) clearTimeout(p.incoming.timer)
    p.linked = undefined
    p.account.link = undefined
    this.opts.exchange.detach(p.account.id)
  }
}
