// The links to peers: one peer account and one BTP client each (btp/btp-client.ts: auth, keep-alive, reconnect with
// backoff). While a link is up its packets go through the pipeline like any account's, and CCP runs on it; when it
// drops, the peer's routes go with it (as in ilp-connector), so packets fall back to the next best route.
import { type Account, createAccount } from '../accounts/account'
import type { BalanceStore } from '../balances/balance-store'
import { BtpClient, type LinkState } from '../btp/btp-client'
import type { PrepareHandler } from '../btp/btp-session'
import { parseBtpUrl } from '../btp/btp-url'
import { createLogger } from '../log'
import type { OwnIdentity } from '../own-identity'
import type { RouteExchange } from '../routing/ccp/route-exchange'
import { type PeerConfig, peerAccountId } from './peer-config'

export interface PeerLinksOptions {
  peers: readonly PeerConfig[]
  own: OwnIdentity
  accounts: Map<string, Account>
  balances: BalanceStore
  exchange: RouteExchange
  handle: (account: Account) => PrepareHandler
  backoff: { initialMs: number; maxMs: number }
  /** A peer link came up or went down. */
  changed?: (accountId: string, state: LinkState) => void
}

export class PeerLinks {
  private readonly clients = new Map<string, BtpClient>()

  constructor(private readonly opts: PeerLinksOptions) {
    for (const peer of opts.peers) this.add(peer)
  }

  start(): void {
    for (const client of this.clients.values()) client.start()
  }

  stop(): void {
    for (const [id, client] of this.clients) {
      client.stop()
      this.opts.exchange.detach(id)
    }
  }

  state(accountId: string): LinkState | undefined {
    return this.clients.get(accountId)?.state
  }

  private add(peer: PeerConfig): void {
    const { own, exchange } = this.opts
    const id = peerAccountId(peer.id)
    const account = createAccount({
      id,
      relation: 'peer',
      assetCode: peer.assetCode ?? own.assetCode,
      assetScale: peer.assetScale ?? own.assetScale,
      limits: { ...peer.limits },
      balance: this.opts.balances.load(id),
    })
    this.opts.accounts.set(id, account)
    const endpoint = parseBtpUrl(peer.url)
    const log = createLogger(id)
    const role = { send: peer.sendRoutes ?? true, receive: peer.receiveRoutes ?? true }
    const client = new BtpClient({
      endpoint,
      log,
      backoff: this.opts.backoff,
      onPrepare: this.opts.handle(account),
      onState: (state) => this.opts.changed?.(id, state),
      onOpen: (session) => {
        log.info(`connected to peer ${endpoint.display}`)
        account.link = session
        exchange.attach(account, role)
      },
      onClose: (reason) => {
        account.link = undefined
        exchange.detach(id)
        log.warn(`disconnected from peer ${endpoint.display}: ${reason}`)
      },
    })
    this.clients.set(id, client)
  }
}
