// Junction's peers: the stored list (peer-store.ts: the `peers` table and the secret store), the config's peers
// upserted into it at start (as --parent becomes a stored provider), the live links (peer-links.ts), and the check of
// an incoming peer's auth on the app port (its BTP auth, or the token of its ILP-over-HTTP POSTs). The engine API's
// listPeers/addPeer/updatePeer/removePeer act through this.
import { hashToken } from '../accounts/app-auth'
import type { LinkState } from '../btp/btp-client'
import type { PrepareHandler, BtpSession } from '../btp/btp-session'
import { displayLinkUrl, linkTransport, parseLinkUrl } from '../links/link-url'
import type { Logger } from '../log'
import type { RoutingTable } from '../routing/routing-table'
import type { SecretStore } from '../secrets/secrets'
import { type PeerConfig, peerAccountId, PEER_ACCOUNT_PREFIX } from './peer-config'
import type { PeerLinks } from './peer-links'
import { withoutUrlSecret } from '../secrets/url-secret'
import { matchesIncomingHash, PeerSecrets, type PeerRow, type PeersStore } from './peer-store'

export class PeerError extends Error {
  constructor(
    readonly kind: 'invalid' | 'not-found' | 'conflict',
    message: string,
    /** The input field at fault, for the API's issues. */
    readonly field?: string,
  ) {
    super(message)
  }
}

export interface NewPeer {
  id: string
  name?: string
  /** Where Junction connects to it, secret included. */
  url?: string
  /** The token it must present when it connects to Junction's app port. */
  incomingToken?: string
  assetCode?: string
  assetScale?: number
}

/** A change to a stored peer: undefined leaves a part as it is; null removes a way of connecting. */
export interface PeerChange {
  name?: string
  /** A new URL, secret included (Junction reconnects there); null: Junction no longer connects to the peer. */
  url?: string | null
  /** A new token for the peer's connections to the app port (its current one closes); null: it may no longer connect. */
  incomingToken?: string | null
}

/** What an incoming connection's auth says, when its username is a peer's id. */
export type IncomingPeerIdentity = { ok: true; accountId: string; tokenHash: Buffer } | { ok: false; code: 'F00'; message: string }

export interface PeersOptions {
  store: PeersStore
  secrets: SecretStore
  links: PeerLinks
  table: RoutingTable
  /** Whether an app by this name is known (a peer id may not be one). */
  isAppName(name: string): boolean
  /** The list changed, or a peer's link did. */
  changed(): void
  log: Logger
  now?: () => number
}

export class Peers {
  /** The stored rows, kept in memory too: incoming auth reads them without a query. */
  private readonly rows = new Map<string, PeerRow>()
  /** Settings only the config gives (limits, route roles), for peers from config.peers / --peer. */
  private readonly fromConfig = new Map<string, PeerConfig>()
  private readonly secrets: PeerSecrets

  constructor(private readonly opts: PeersOptions) {
    this.secrets = new PeerSecrets(opts.secrets)
  }

  /** Upserts the config's peers into the store, then opens a link (an account, a client) for every stored peer. */
  load(config: readonly PeerConfig[]): void {
    const now = this.opts.now ?? Date.now
    for (const c of config) {
      const existing = this.opts.store.get(c.id)
      this.secrets.save(c.id, { url: c.url })
      this.opts.store.put({
        id: c.id,
        name: existing?.name ?? c.id,
        url: withoutUrlSecret(c.url),
        incoming: existing?.incoming ?? false,
        assetCode: c.assetCode ?? existing?.assetCode ?? null,
        assetScale: c.assetScale ?? existing?.assetScale ?? null,
        createdAt: existing?.createdAt ?? now(),
      })
      this.fromConfig.set(c.id, c)
    }
    for (const row of this.opts.store.all()) {
      this.rows.set(row.id, row)
      this.open(row)
    }
  }

  /** Connects to every peer with a URL (and keeps reconnecting). */
  start(): void {
    this.opts.links.start()
  }

  stop(): void {
    this.opts.links.stop()
  }

  list(): PeerRow[] {
    return [...this.rows.values()].map((r) => ({ ...r }))
  }

  get(id: string): PeerRow | undefined {
    const row = this.rows.get(id)
    return row && { ...row }
  }

  /** The peer came from config.peers / --peer: each start stores it again. */
  isFromConfig(id: string): boolean {
    return this.fromConfig.has(id)
  }

  /** The peer of an account id (`peer:<id>`), if it is one. */
  byAccount(accountId: string): PeerRow | undefined {
    return accountId.startsWith(PEER_ACCOUNT_PREFIX) ? this.get(accountId.slice(PEER_ACCOUNT_PREFIX.length)) : undefined
  }

  /** Stores a new peer (secrets first, so a failed write leaves no half peer) and connects to it at once. */
  add(input: NewPeer): PeerRow {
    const { id } = input
    if (this.rows.has(id)) throw new PeerError('conflict', `a peer with id "${id}" already exists; remove it first to change it`, 'id')
    if (this.opts.isAppName(id)) {
      throw new PeerError('invalid', `"${id}" is the name of an app on this Junction; choose another peer id (an incoming peer connects with it as its username)`, 'id')
    }
    let url: string | null = null
    if (input.url !== undefined) {
      try {
        parseLinkUrl(input.url)
      } catch (err) {
        throw new PeerError('invalid', (err as Error).message.replace('provider URL', 'peer URL'), 'url')
      }
      url = withoutUrlSecret(input.url)
    }
    const row: PeerRow = {
      id,
      name: input.name?.trim() || id,
      url,
      incoming: input.incomingToken !== undefined,
      assetCode: input.assetCode ?? null,
      assetScale: input.assetScale ?? null,
      createdAt: (this.opts.now ?? Date.now)(),
    }
    this.secrets.save(id, { url: input.url, incomingToken: input.incomingToken })
    try {
      this.opts.store.put(row)
    } catch (err) {
      this.secrets.delete(id)
      throw err
    }
    this.rows.set(id, row)
    this.open(row)
    this.opts.log.info(`peer ${id} added${url ? ` (${linkTransport(url) === 'http' ? 'sending over ILP-over-HTTP to' : 'connecting to'} ${displayLinkUrl(input.url!)})` : ''}${row.incoming ? ' (may connect to the app port)' : ''}`)
    this.opts.changed()
    return { ...row }
  }

  /**
   * Changes a peer in place: its account, balance and routes stay; only the connection whose settings changed is
   * replaced (a new URL: Junction reconnects there; a new or removed incoming token: the peer's connection closes).
   */
  update(id: string, change: PeerChange): PeerRow {
    const row = this.rows.get(id)
    if (!row) throw new PeerError('not-found', `no peer with id "${id}"`, 'id')
    let url = row.url
    if (change.url !== undefined && change.url !== null) {
      try {
        parseLinkUrl(change.url)
      } catch (err) {
        throw new PeerError('invalid', (err as Error).message.replace('provider URL', 'peer URL'), 'url')
      }
      url = withoutUrlSecret(change.url)
    } else if (change.url === null) {
      url = null
    }
    const incoming = change.incomingToken === undefined ? row.incoming : change.incomingToken !== null
    if (incoming && !row.incoming && this.opts.isAppName(id)) {
      throw new PeerError('invalid', `"${id}" is also the name of an app on this Junction: the peer cannot connect with it; remove the app or add the peer again under another id`, 'incomingToken')
    }
    if (url === null && !incoming) {
      throw new PeerError('invalid', `peer "${id}" needs a url (Junction connects to it), an incoming token (it connects to Junction), or both`, change.url === null ? 'url' : 'incomingToken')
    }
    const next: PeerRow = { ...row, name: change.name?.trim() || row.name, url, incoming }
    // Secrets before the row, as in add: the row never names a secret that is not there.
    this.secrets.save(id, { url: change.url ?? undefined, incomingToken: change.incomingToken ?? undefined })
    if (change.url === null) this.secrets.forget(id, 'url')
    if (change.incomingToken === null) this.secrets.forget(id, 'incoming')
    this.opts.store.put(next)
    this.rows.set(id, next)
    if (change.url !== undefined) this.opts.links.setUrl(id, change.url ?? undefined)
    if (change.incomingToken !== undefined) {
      this.opts.links.dropIncoming(id, change.incomingToken === null ? 'Junction no longer lets this peer connect' : "this peer's token was changed in Junction; connect with the new one")
      // An HTTP peer sends its route updates as POSTs with that token: ask for its routes again.
      if (change.incomingToken !== null && next.url !== null && linkTransport(next.url) === 'http') this.opts.links.restartRoutes(id)
    }
    const what = [
      change.name !== undefined && next.name !== row.name && `name "${next.name}"`,
      change.url !== undefined && (change.url === null ? 'no longer connecting to it' : `URL ${displayLinkUrl(change.url)}`),
      change.incomingToken !== undefined && (change.incomingToken === null ? 'may no longer connect' : 'a new incoming token'),
    ].filter(Boolean)
    this.opts.log.info(`peer ${id} changed: ${what.join(', ') || 'nothing'}`)
    if (change.url !== undefined && this.fromConfig.has(id)) {
      this.opts.log.warn(`peer ${id} comes from the configuration: its URL there is used again at the next start`)
    }
    this.opts.changed()
    return { ...next }
  }

  /** Disconnects the peer both ways, drops its routes and forgets it; its balance stays in the database. */
  remove(id: string): void {
    if (!this.rows.has(id)) throw new PeerError('not-found', `no peer with id "${id}"`, 'id')
    this.opts.store.delete(id)
    this.rows.delete(id)
    this.fromConfig.delete(id)
    this.opts.links.close(id)
    try {
      this.secrets.delete(id)
    } catch (err) {
      this.opts.log.warn(`peer ${id} removed, but its secrets could not be deleted: ${(err as Error).message}`)
    }
    this.opts.log.info(`peer ${id} removed`)
    this.opts.changed()
  }

  /**
   * An app-port auth whose username may be a peer's id: undefined when it is not a peer's (apps go on as before); else
   * the verdict. A peer's id never falls through to an app, whatever the token: a peer Junction only connects to is
   * refused too (unless an app had that name before the peer was stored).
   */
  identifyIncoming(username: string, token: string): IncomingPeerIdentity | undefined {
    const row = this.rows.get(username)
    if (!row) return undefined
    if (!row.incoming) {
      if (this.opts.isAppName(username)) return undefined
      return { ok: false, code: 'F00', message: `peer "${row.id}" may not connect to Junction: it has no incoming token (give it one on the Peers card)` }
    }
    let hash: string | null
    try {
      hash = this.secrets.incomingHash(row.id)
    } catch (err) {
      return { ok: false, code: 'F00', message: `Junction cannot read the token of peer "${row.id}" (${(err as Error).message}); try again later` }
    }
    if (hash === null) {
      return { ok: false, code: 'F00', message: `peer "${row.id}" has no incoming token stored; give it a new one on the Peers card` }
    }
    if (!matchesIncomingHash(hash, token)) return { ok: false, code: 'F00', message: `wrong auth_token for peer "${row.id}"` }
    return { ok: true, accountId: peerAccountId(row.id), tokenHash: hashToken(token) }
  }

  incomingHandler(accountId: string): PrepareHandler {
    return this.opts.links.incomingHandler(accountId)
  }

  attachIncoming(accountId: string, session: BtpSession): void {
    this.opts.links.attachIncoming(accountId, session)
  }

  detachIncoming(accountId: string, session: BtpSession): void {
    this.opts.links.detachIncoming(accountId, session)
  }

  /** The link as the user sees it: our connection, unless it is not up and the peer's own one is further; null when neither is up nor tried. */
  state(id: string): LinkState | null {
    const out = this.opts.links.outgoingState(id)
    const incoming = this.opts.links.incomingState(id)
    if (out?.state === 'connected') return out
    if (incoming && (incoming.state === 'connected' || !out)) return incoming
    return out ?? null
  }

  connected(id: string): boolean {
    return this.opts.links.connected(id)
  }

  /** How many routes the peer gives us now (its CCP offers, used or not). */
  routeCount(id: string): number {
    const accountId = peerAccountId(id)
    let n = 0
    for (const best of this.opts.table.list()) {
      if (this.opts.table.offers(best.prefix).some((r) => r.source === 'peer' && r.accountId === accountId)) n++
    }
    return n
  }

  private open(row: PeerRow): void {
    const config = this.fromConfig.get(row.id)
    let url: string | undefined
    if (row.url !== null) {
      try {
        url = this.secrets.url(row.id) ?? undefined
        if (url === undefined) this.opts.log.warn(`peer ${row.id}: its URL's secret is not in the secret store; not connecting (remove the peer and add it again)`)
      } catch (err) {
        this.opts.log.warn(`peer ${row.id}: its URL's secret cannot be read (${(err as Error).message}); not connecting`)
      }
    }
    this.opts.links.open({
      ...config,
      id: row.id,
      url,
      assetCode: row.assetCode ?? undefined,
      assetScale: row.assetScale ?? undefined,
    })
  }
}
