// Several providers, one active: the list the user manages (stored), the links that are up, the live switch and the
// failover. The connector gives it a host (routes, identity, accounts) and is otherwise unaware of providers.
//
// Live switch (activate): the new provider's link is connected and has answered ILDCP before anything moves; then
// the default route points at its account and the connector takes its address (which closes apps' connections so
// they reconnect and fetch their new addresses). The old link stays up for the grace period: packets in flight on it
// finish, and payments still addressed to apps' old addresses (STREAM receivers fetch ILDCP once) keep arriving —
// the host routes the old address prefix to the apps until the grace period ends. Then the old address is no longer
// routed, but the link is disconnected only once the packets in flight on it are answered (at most DRAIN_MAX_MS): a
// payment an app was still fulfilling must reach the old provider, or its books and Junction's would differ. New
// prepares from it meanwhile are refused at once (F02): routed onwards they could loop back to it through the new
// provider. Each provider's balance is its own parent account, so nothing is moved between providers.
//
// Failover: when the active link has carried no packets for `failoverMs`, the enabled providers after it in the
// order (wrapping) are tried one by one; the first that connects and answers ILDCP becomes active. Junction does not
// switch back by itself: the user does.
//
// Health checks: Junction holds links only to the active provider and one in its grace period. Every other enabled
// provider is checked now and then (shortly after start, then every `healthCheckMs`): connect, one ILDCP round trip,
// disconnect — one provider after another, never holding a connection open. Failover tries the providers whose last
// check failed only after the others (so a dead one earlier in the order is skipped when a healthy one exists), and
// still tries them when none is known to be healthy.
import { randomBytes } from 'node:crypto'
import { type Account, type AccountLimits, createAccount } from '../accounts/account'
import type { BalanceStore } from '../balances/balance-store'
import type { PacketLink, PrepareHandler } from '../btp/btp-session'
import { parseLinkUrl, sameLinkEndpoint } from '../links/link-url'
import { MemorySecretStore, type SecretStore } from '../secrets/secrets'
import { withoutUrlSecret } from '../secrets/url-secret'
import { unreachable } from '../ilp/ilp-failure'
import { rejectReply } from '../ilp/packets'
import { createLogger, type Logger } from '../log'
import { accountIdFor, type ProviderRow, type ProvidersStore } from '../store/providers-store'
import { createProviderLink, type ProviderConnection } from './provider-link'
import { HttpProviderLink, type HttpReceiveConfig } from './http-provider-link'
import { type ProbeResult, probeProvider } from './provider-probe'
import { ildcpRoundTrip, type ProviderIdentity } from './ildcp-round-trip'

export interface ProviderSwitchHost {
  accounts: Map<string, Account>
  balances: BalanceStore
  handle(account: Account): PrepareHandler
  /** Own address and asset from the active provider. */
  setIdentity(identity: ProviderIdentity): void
  /** The default route's next hop (undefined: none). */
  setDefaultRoute(accountId: string | undefined): void
  /** Route `<address>.<app>` to the apps too (an old address during a grace period), or stop doing so. */
  addGraceAddress(address: string): void
  removeGraceAddress(address: string): void
  /** The provider list, a link state, the active provider or a provider's identity changed. */
  changed(): void
  /** The active link's state changed. */
  activeState(link: ProviderConnection): void
  failover(event: { from: string; to: string; reason: string }): void
}

export interface ProviderSwitchOptions {
  store: ProvidersStore
  host: ProviderSwitchHost
  defaultAsset: { assetCode: string; assetScale: number }
  limits: AccountLimits
  backoff?: { initialMs: number; maxMs: number }
  /** How long an old provider stays connected after a switch (ms). */
  graceMs: number
  /** How long the active provider may be unreachable before failing over (ms); 0 = never. */
  failoverMs: number
  /** How long a switch waits for the new provider's link and ILDCP (ms). */
  connectTimeoutMs?: number
  /** How often the enabled providers without a link are checked (ms); 0 = never. Default 5 minutes. */
  healthCheckMs?: number
  /** How long after start the first round of health checks begins (ms). Default 5 s: the active link comes first. */
  firstHealthCheckMs?: number
  log?: Logger
  /** Where an HTTP provider's receive token is kept (`provider-<id>-receive`); memory if not given. */
  secrets?: SecretStore
}

/** The name of an HTTP provider's receive token in the secret store. */
export const receiveSecretName = (id: string) => `provider-${id}-receive`

export const DEFAULT_HEALTH_CHECK_MS = 5 * 60_000

/** After its grace period, how long an old link may still wait for packets in flight on it (ILP packets expire sooner). */
export const DRAIN_MAX_MS = 30_000

/** What the last health check of a provider found (connect + ILDCP round trip). */
export interface ProviderHealth {
  checkedAt: number
  ok: boolean
  latencyMs: number | null
  error: string | null
}

/** A provider as failover sees it: known to work, known to have failed its last check, or not checked yet. */
export type HealthVerdict = 'healthy' | 'failed' | 'unknown'

/**
 * The order failover tries `candidates` (already in the user's order): those whose last check failed go after the
 * others, unless every candidate failed — then they are all tried in the user's order.
 */
export function failoverOrder<T extends { id: string }>(candidates: readonly T[], verdict: (id: string) => HealthVerdict): T[] {
  const failed = candidates.filter((c) => verdict(c.id) === 'failed')
  if (failed.length === candidates.length) return [...candidates]
  return [...candidates.filter((c) => verdict(c.id) !== 'failed'), ...failed]
}

export class ProviderError extends Error {
  constructor(
    readonly kind: 'not-found' | 'invalid' | 'conflict' | 'unavailable',
    message: string,
  ) {
    super(message)
  }
}

export class ProviderSwitch {
  private readonly links = new Map<string, ProviderConnection>()
  /** Old links in their grace period, with the timer that ends it. */
  private readonly grace = new Map<string, { timer: ReturnType<typeof setTimeout>; address: string | undefined }>()
  private activeLink: ProviderConnection | undefined
  private switching: Promise<void> | undefined
  private watchdog: ReturnType<typeof setInterval> | undefined
  private stopped = false
  /** Health checks (see the header): the last result per provider, the next round's timer, the round running. */
  private readonly health = new Map<string, ProviderHealth>()
  private healthTimer: ReturnType<typeof setTimeout> | undefined
  private healthRound: Promise<void> | undefined
  /** The provider a health check is connected to right now (a switch to it waits for the check to end). */
  private probing: { id: string; done: Promise<unknown> } | undefined
  private healthEveryMs: number
  /** Per provider link: prepares it sent Junction that are not answered yet (see finishGrace). */
  private readonly answering = new Map<string, { count: number }>()
  /** Old links past their grace period, waiting for their packets in flight (see finishGrace). */
  private readonly draining = new Set<string>()
  private readonly log: Logger
  graceMs: number
  failoverMs: number

  constructor(private readonly opts: ProviderSwitchOptions) {
    this.log = opts.log ?? createLogger('providers')
    this.graceMs = opts.graceMs
    this.failoverMs = opts.failoverMs
    this.healthEveryMs = opts.healthCheckMs ?? DEFAULT_HEALTH_CHECK_MS
    // Every provider's account exists from the start: its balance shows even while it is not connected.
    for (const row of opts.store.all()) this.account(row)
  }

  list(): ProviderRow[] {
    return this.opts.store.all()
  }

  get(id: string): ProviderRow {
    const row = this.list().find((p) => p.id === id)
    if (!row) throw new ProviderError('not-found', `no provider with id ${JSON.stringify(id)}`)
    return row
  }

  get active(): ProviderConnection | undefined {
    return this.activeLink
  }

  get activeId(): string | undefined {
    return this.activeLink?.id
  }

  link(id: string): ProviderConnection | undefined {
    return this.links.get(id)
  }

  inGrace(id: string): boolean {
    return this.grace.has(id)
  }

  add(name: string, url: string, receive: HttpReceiveConfig | null = null): ProviderRow {
    const endpoint = this.checkUrl(url)
    if (receive && endpoint.transport !== 'http') {
      throw new ProviderError('invalid', 'only an ILP-over-HTTP provider needs a receive bind: a BTP provider sends over the connection Junction opens')
    }
    this.checkReceivePort(undefined, receive)
    const rows = this.list()
    const same = rows.find((p) => sameLinkEndpoint(p.url, url))
    if (same?.secretError) {
      // Its secret was lost (store/providers-store.ts): the URL entered again restores the entry, place and balance.
      const restored = this.fromConfig(url)
      this.log.info(`provider "${same.name}" has its URL again (${endpoint.display})`)
      this.resume(restored)
      this.opts.host.changed()
      return restored
    }
    if (same) throw new ProviderError('conflict', `${endpoint.display} is already provider "${same.name}"`)
    const id = randomBytes(6).toString('hex')
    const row: ProviderRow = {
      id,
      name: name.trim() || hostOf(url),
      url,
      position: rows.reduce((max, p) => Math.max(max, p.position + 1), 0),
      enabled: true,
      accountId: accountIdFor(id, rows),
      createdAt: Date.now(),
      receive: receive ? { host: receive.host, port: receive.port } : null,
    }
    if (receive) this.secrets.set(receiveSecretName(id), receive.token)
    this.opts.store.put(row)
    this.account(row)
    this.log.info(`provider "${row.name}" added (${endpoint.display})`)
    this.opts.host.changed()
    return row
  }

  /** The `--parent` URL: the provider with that endpoint gets this URL (a new secret), or a new one is added. */
  fromConfig(url: string): ProviderRow {
    const same = this.list().find((p) => sameLinkEndpoint(p.url, url))
    if (!same) return this.add('', url)
    if (same.url !== url || !same.enabled) this.opts.store.put({ ...same, url, enabled: true })
    return this.get(same.id)
  }

  /**
   * Renames a provider, or gives it its URL with a new secret (the ILSP rotated it, or it was lost): the same place and
   * account only — another place or account is another provider, to add. A running link of the provider reconnects
   * with the new secret; the active one stays active (a reconnect: packets meanwhile get T01, as in any outage).
   */
  update(id: string, change: { name?: string; url?: string }): ProviderRow {
    const row = this.get(id)
    let url = row.url
    if (change.url !== undefined) {
      const endpoint = this.checkUrl(change.url)
      // A row whose secret was lost holds its URL without it, which an HTTP URL does not parse without.
      if (!sameLinkEndpoint(row.url, change.url) && withoutUrlSecret(row.url) !== withoutUrlSecret(change.url)) {
        throw new ProviderError('invalid', `another place or account (${endpoint.display}) than "${row.name}" (${withoutUrlSecret(row.url)}): add it as a new provider; here only its secret may change`)
      }
      url = change.url
    }
    const name = change.name?.trim() || row.name
    const secretChanged = url !== row.url || (change.url !== undefined && row.secretError !== undefined)
    this.opts.store.put({ ...row, name, url })
    const updated = this.get(id)
    if (secretChanged) {
      this.log.info(`provider "${updated.name}" has a new secret`)
      const running = this.links.get(id)
      // The active link reconnects now; one in its grace period or being checked ends with the old secret, and the
      // next connection takes the new one.
      if (running && running === this.activeLink) {
        this.stopLink(id)
        this.commit(this.startLink(updated))
      } else this.resume(updated)
    } else if (name !== row.name) {
      this.log.info(`provider "${row.name}" is now called "${name}"`)
    }
    this.opts.host.changed()
    return updated
  }

  /**
   * A provider that was active when its secret was lost and has it again: with no other provider connected meanwhile
   * (none could be), it connects and is the active one again.
   */
  private resume(row: ProviderRow): void {
    if (!this.watchdog || this.stopped || this.activeLink || this.switching) return
    if (this.opts.store.activeId() !== row.id || !row.enabled || row.secretError) return
    this.log.info(`provider "${row.name}" can connect again: it is the active one`)
    this.commit(this.startLink(row))
  }

  remove(id: string): void {
    const row = this.get(id)
    if (this.activeId === id) throw new ProviderError('conflict', `"${row.name}" is the active provider; make another one active first`)
    this.endGrace(id)
    this.health.delete(id)
    this.opts.store.delete(id)
    this.secrets.delete(receiveSecretName(id))
    // The account and its balance stay in the database: a debt with a provider does not vanish with its entry.
    this.opts.host.accounts.delete(row.accountId)
    this.log.info(`provider "${row.name}" removed`)
    this.opts.host.changed()
  }

  setEnabled(id: string, enabled: boolean): ProviderRow {
    const row = this.get(id)
    if (!enabled && this.activeId === id) throw new ProviderError('conflict', `"${row.name}" is the active provider; make another one active first`)
    this.opts.store.put({ ...row, enabled })
    this.opts.host.changed()
    return this.get(id)
  }

  setOrder(ids: string[]): ProviderRow[] {
    const rows = this.list()
    const known = new Set(rows.map((r) => r.id))
    const unknown = ids.filter((id) => !known.has(id))
    if (unknown.length > 0) throw new ProviderError('not-found', `no provider with id ${unknown.map((u) => JSON.stringify(u)).join(', ')}`)
    if (new Set(ids).size !== ids.length) throw new ProviderError('invalid', 'each provider may appear once in the order')
    // Listed ones first, in the given order; any not listed keep their relative order after them.
    const rest = rows.filter((r) => !ids.includes(r.id))
    const ordered = [...ids.map((id) => rows.find((r) => r.id === id)!), ...rest]
    ordered.forEach((row, position) => this.opts.store.put({ ...row, position }))
    this.opts.host.changed()
    return this.list()
  }

  async test(target: { id: string } | { url: string }): Promise<ProbeResult> {
    const live = 'id' in target ? this.links.get(target.id) : undefined
    if (live?.up && live.account.link) return await this.testOverLink(live.account.link)
    const url = 'id' in target ? this.connectable(this.get(target.id)).url : target.url
    if ('url' in target) this.checkUrl(url)
    return await probeProvider(url, this.log, this.opts.connectTimeoutMs ?? 10_000)
  }

  /** At start: the active provider's link starts now (`preferred`, else the saved one, else the first enabled);
   *  its address comes when it answers ILDCP. */
  start(preferred?: string): void {
    const rows = this.list()
    const saved = preferred ?? this.opts.store.activeId()
    // One whose URL lost its secret cannot connect (it says so in its view); the next one in the order starts instead.
    const usable = (r: ProviderRow) => r.enabled && !r.secretError
    const first = rows.find((r) => r.id === saved && usable(r)) ?? rows.find(usable)
    if (first) this.commit(this.startLink(first))
    this.watchdog = setInterval(() => this.checkFailover(), 250)
    this.watchdog.unref()
    this.scheduleHealth(this.opts.firstHealthCheckMs ?? 5000)
  }

  stop(): void {
    this.stopped = true
    clearInterval(this.watchdog)
    clearTimeout(this.healthTimer)
    for (const id of [...this.grace.keys()]) this.endGrace(id)
    for (const link of this.links.values()) link.stop()
    this.links.clear()
    this.activeLink = undefined
  }

  /**
   * Switch back: when on, and Junction failed over away from a provider, it goes back to that provider as soon as a
   * health check finds it reachable again (the user's own choice of a provider is never undone: it clears this).
   */
  switchBack = false
  /** The provider Junction failed over away from, until it switches back or the user chooses one. */
  private failedOverFrom: string | undefined

  /** Makes a provider the active one once its link is up and ILDCP answered; throws (changing nothing) if not. */
  async activate(id: string, why = 'the user switched'): Promise<void> {
    this.failedOverFrom = undefined
    while (this.switching) await this.switching.catch(() => {})
    const run = this.switchTo(id, why)
    this.switching = run
    try {
      await run
    } finally {
      if (this.switching === run) this.switching = undefined
    }
  }

  private async switchTo(id: string, why: string): Promise<void> {
    const row = this.get(id)
    if (this.activeId === id) return
    if (!row.enabled) throw new ProviderError('conflict', `"${row.name}" is disabled; enable it first`)
    // Two connections as the same account at once: an ilp-plugin-btp server would keep only the later one.
    if (this.probing?.id === id) await this.probing.done.catch(() => {})
    const existing = this.links.get(id)
    const link = existing ?? this.startLink(row)
    try {
      await link.ready(this.opts.connectTimeoutMs ?? 10_000)
    } catch (err) {
      if (!existing) this.stopLink(id)
      throw new ProviderError('unavailable', `could not switch to "${row.name}": ${(err as Error).message}`)
    }
    if (this.stopped) {
      // Junction stopped while the new link came up: nothing may stay connected.
      this.stopLink(id)
      throw new ProviderError('unavailable', 'Junction is stopping')
    }
    this.endGraceTimer(id)
    const previous = this.activeLink
    this.log.info(`switching to provider "${row.name}" (${why})`)
    this.commit(link)
    if (previous && previous !== link) this.beginGrace(previous)
  }

  private commit(link: ProviderConnection): void {
    this.activeLink = link
    this.opts.store.setActiveId(link.id)
    this.opts.host.setDefaultRoute(link.account.id)
    if (link.identity) this.opts.host.setIdentity(link.identity)
    this.opts.host.activeState(link)
    this.opts.host.changed()
  }

  private beginGrace(link: ProviderConnection): void {
    const address = link.identity?.address
    if (address) this.opts.host.addGraceAddress(address)
    const timer = setTimeout(() => this.finishGrace(link.id), this.graceMs)
    timer.unref()
    this.grace.set(link.id, { timer, address })
    this.log.info(`provider ${link.id} stays connected for ${this.graceMs / 1000} s so packets in flight finish`)
  }

  /** Stops the grace timer without disconnecting (the link became active again). */
  private endGraceTimer(id: string): void {
    const g = this.grace.get(id)
    if (!g) return
    clearTimeout(g.timer)
    this.grace.delete(id)
    if (g.address) this.opts.host.removeGraceAddress(g.address)
  }

  private endGrace(id: string): void {
    if (!this.grace.has(id)) return
    this.endGraceTimer(id)
    if (this.activeId !== id) this.stopLink(id)
    this.opts.host.changed()
  }

  /**
   * The grace period is over: the old address is no longer routed to the apps; the link is disconnected once every
   * packet in flight on it (either way) is answered, or after DRAIN_MAX_MS. Nothing is done if the provider became
   * active again, began a new grace period, or was removed meanwhile.
   */
  private finishGrace(id: string): void {
    if (!this.grace.has(id)) return
    this.endGraceTimer(id)
    this.opts.host.changed()
    const since = Date.now()
    this.draining.add(id)
    const drain = () => {
      if (this.stopped || this.activeId === id || this.grace.has(id) || !this.links.has(id)) return void this.draining.delete(id)
      const busy = this.inFlight(id)
      if (busy > 0 && Date.now() - since < DRAIN_MAX_MS) {
        setTimeout(drain, 50).unref()
        return
      }
      if (busy > 0) this.log.warn(`provider ${id}: ${busy} packet(s) still unanswered ${DRAIN_MAX_MS / 1000} s after its grace period; disconnecting`)
      this.draining.delete(id)
      this.stopLink(id)
      this.opts.host.changed()
    }
    drain()
  }

  /** Packets in flight on a provider's link: prepares it sent that Junction has not answered, and the other way. */
  private inFlight(id: string): number {
    // BTP sessions count the prepares they sent that await a reply; a link without that count adds nothing.
    const outgoing = (this.links.get(id)?.account.link as { inFlight?: number } | undefined)?.inFlight ?? 0
    return (this.answering.get(id)?.count ?? 0) + outgoing
  }

  /** The host's prepare handler for a new link of a provider, counting the prepares not answered yet. */
  private counting(id: string, handler: PrepareHandler): PrepareHandler {
    // One counter per link: answers that come after its link was replaced count against the old one.
    const unanswered = { count: 0 }
    this.answering.set(id, unanswered)
    return (ilpPrepare, answer) => {
      if (this.draining.has(id) && this.activeId !== id && !this.grace.has(id)) {
        const address = this.links.get(id)?.identity?.address ?? 'private.junction'
        answer(rejectReply(unreachable('Junction has switched to another provider and takes no new packets from this one'), address).raw)
        return
      }
      unanswered.count++
      let answered = false
      handler(ilpPrepare, (ilpReply) => {
        if (!answered) {
          answered = true
          unanswered.count--
        }
        answer(ilpReply)
      })
    }
  }

  private stopLink(id: string): void {
    this.links.get(id)?.stop()
    this.links.delete(id)
  }

  private startLink(row: ProviderRow): ProviderConnection {
    this.connectable(row)
    const account = this.account(row)
    const link = createProviderLink({
      id: row.id,
      url: row.url,
      receive: this.receiveConfig(row),
      account,
      log: createLogger('provider'),
      backoff: this.opts.backoff,
      onPrepare: this.counting(row.id, this.opts.host.handle(account)),
      onState: (l) => {
        if (l === this.activeLink) this.opts.host.activeState(l)
        this.opts.host.changed()
      },
      onIdentity: (l) => {
        // A reconnect of the active provider may bring a new address; a link in its grace period keeps its old one.
        if (l === this.activeLink && l.identity) this.opts.host.setIdentity(l.identity)
      },
    })
    this.links.set(row.id, link)
    link.start()
    return link
  }

  /** The row, if its URL is whole; a provider whose secret could not be read cannot connect until it is entered again. */
  private connectable(row: ProviderRow): ProviderRow {
    if (row.secretError) throw new ProviderError('unavailable', `"${row.name}" cannot connect: ${row.secretError}`)
    return row
  }

  /** The provider's parent account, created (with its saved balance) on first need. */
  private account(row: ProviderRow): Account {
    const accounts = this.opts.host.accounts
    let account = accounts.get(row.accountId)
    if (!account) {
      account = createAccount({
        id: row.accountId,
        relation: 'parent',
        assetCode: this.opts.defaultAsset.assetCode,
        assetScale: this.opts.defaultAsset.assetScale,
        limits: { ...this.opts.limits },
        balance: this.opts.host.balances.load(row.accountId),
      })
      accounts.set(row.accountId, account)
    }
    return account
  }

  private checkFailover(): void {
    const active = this.activeLink
    if (!active || this.switching || this.failoverMs <= 0) return
    if (active.downSince === null || Date.now() - active.downSince < this.failoverMs) return
    const rows = this.list()
    const at = rows.findIndex((r) => r.id === active.id)
    const inOrder = [...rows.slice(at + 1), ...rows.slice(0, Math.max(at, 0))].filter((r) => r.enabled && r.id !== active.id)
    if (inOrder.length === 0) return
    const candidates = failoverOrder(inOrder, (id) => this.verdict(id))
    const reason = active.lastError ?? 'not connected'
    const run = (async () => {
      for (const row of candidates) {
        try {
          await this.switchTo(row.id, `failover: the active provider was unreachable for ${this.failoverMs / 1000} s (${reason})`)
          this.recordHealth(active.id, { ok: false, latencyMs: null, error: reason })
          this.failedOverFrom ??= active.id
          this.opts.host.failover({ from: active.id, to: row.id, reason })
          return
        } catch (err) {
          this.log.warn(`failover to "${row.name}" failed: ${(err as Error).message}`)
          this.recordHealth(row.id, { ok: false, latencyMs: null, error: (err as Error).message })
        }
      }
      // None reachable: try again after another failover period.
      if (this.activeLink === active && active.downSince !== null) active.downSince = Date.now()
    })()
    this.switching = run
    void run.finally(() => {
      if (this.switching === run) this.switching = undefined
    })
  }

  // ---- health checks of the providers Junction holds no link to ----

  /**
   * Tests a provider Junction is connected to over that link (one ILDCP round trip). A second connection as the same
   * account is no test: an ilp-plugin-btp server keeps one connection per account and silently retires the older one
   * (Junction's), which then fails its next packet.
   */
  private async testOverLink(link: PacketLink): Promise<ProbeResult> {
    try {
      const { identity, latencyMs } = await ildcpRoundTrip(link, this.opts.connectTimeoutMs ?? 10_000)
      return { ok: true, identity, latencyMs }
    } catch (err) {
      return { ok: false, error: `connected, but ILDCP failed: ${(err as Error).message}` }
    }
  }

  /** How often the enabled providers without a link are checked (ms); 0 = never. Setting it restarts the schedule. */
  get healthCheckMs(): number {
    return this.healthEveryMs
  }

  set healthCheckMs(ms: number) {
    this.healthEveryMs = ms
    if (this.watchdog !== undefined) this.scheduleHealth(ms)
  }

  /** The last health check of a provider; undefined before its first. */
  healthOf(id: string): ProviderHealth | undefined {
    return this.health.get(id)
  }

  /** A link Junction holds says more than an old check: up is healthy, retrying is failed. */
  private verdict(id: string): HealthVerdict {
    const state = this.links.get(id)?.state.state
    if (state === 'connected') return 'healthy'
    if (state === 'waiting') return 'failed'
    const last = this.health.get(id)
    return last === undefined ? 'unknown' : last.ok ? 'healthy' : 'failed'
  }

  /**
   * One round of health checks: each enabled provider Junction holds no link to, one after another (so they are
   * staggered and at most one check connection is open), is probed and disconnected. Resolves when the round is done;
   * a round already running is joined, not doubled.
   */
  async checkHealth(): Promise<void> {
    if (this.healthRound) return await this.healthRound
    const round = (async () => {
      for (const row of this.list()) {
        if (this.stopped) return
        if (!row.enabled || this.links.has(row.id)) continue
        let result: ProbeResult
        const probe = this.test({ id: row.id })
        this.probing = { id: row.id, done: probe }
        try {
          result = await probe
        } catch (err) {
          result = { ok: false, error: (err as Error).message }
        } finally {
          this.probing = undefined
        }
        // Removed, or linked (activated) while it was being checked: the result says nothing any more.
        if (this.stopped || this.links.has(row.id) || !this.list().some((r) => r.id === row.id)) continue
        if (!result.ok) this.log.info(`health check of provider "${row.name}" failed: ${result.error}`)
        this.recordHealth(row.id, result.ok ? { ok: true, latencyMs: result.latencyMs, error: null } : { ok: false, latencyMs: null, error: result.error })
      }
    })()
    this.healthRound = round
    try {
      await round
    } finally {
      this.healthRound = undefined
    }
    this.maybeSwitchBack()
  }

  /** After a health round: back to the provider Junction failed over from, if switch back is on and it works again. */
  private maybeSwitchBack(): void {
    const back = this.failedOverFrom
    const active = this.activeLink
    if (!this.switchBack || back === undefined || !active || this.switching || this.stopped) return
    if (back === active.id) {
      this.failedOverFrom = undefined
      return
    }
    const row = this.list().find((r) => r.id === back)
    if (!row || !row.enabled) {
      this.failedOverFrom = undefined
      return
    }
    if (this.verdict(back) !== 'healthy') return
    const reason = `"${row.name}" is reachable again and switch back is on`
    const run = (async () => {
      try {
        await this.switchTo(back, `switch back: ${reason}`)
        this.failedOverFrom = undefined
        this.opts.host.failover({ from: active.id, to: back, reason })
      } catch (err) {
        this.log.warn(`switch back to "${row.name}" failed: ${(err as Error).message}`)
      }
    })()
    this.switching = run
    void run.finally(() => {
      if (this.switching === run) this.switching = undefined
    })
  }

  private recordHealth(id: string, result: Omit<ProviderHealth, 'checkedAt'>): void {
    this.health.set(id, { checkedAt: Date.now(), ...result })
    this.opts.host.changed()
  }

  private scheduleHealth(delayMs: number): void {
    clearTimeout(this.healthTimer)
    this.healthTimer = undefined
    if (this.stopped || this.healthEveryMs <= 0) return
    const timer = setTimeout(() => {
      void this.checkHealth().finally(() => {
        if (this.healthTimer === timer) this.scheduleHealth(this.healthEveryMs)
      })
    }, delayMs)
    timer.unref()
    this.healthTimer = timer
  }

  private checkUrl(url: string) {
    try {
      return parseLinkUrl(url)
    } catch (err) {
      throw new ProviderError('invalid', (err as Error).message)
    }
  }

  private checkReceivePort(id: string | undefined, receive: HttpReceiveConfig | null): void {
    const clash = receive && this.list().find((p) => p.id !== id && p.receive && p.receive.port === receive.port)
    if (clash) throw new ProviderError('conflict', `port ${receive.port} is already where "${clash.name}" sends its packets; choose another port`)
  }

  private get secrets(): SecretStore {
    return (this.opts.secrets ??= new MemorySecretStore())
  }

  /** An HTTP provider's receive bind with its token, or null (send-only, or BTP). */
  receiveConfig(row: ProviderRow): HttpReceiveConfig | null {
    if (!row.receive) return null
    const token = this.secrets.get(receiveSecretName(row.id))
    if (!token) {
      this.log.warn(`provider "${row.name}": the receive token is missing from the secret store; set the receive bind again`)
      return null
    }
    return { ...row.receive, token }
  }

  /** Sets or clears where Junction receives an HTTP provider's packets; a running link rebinds at once. */
  async setReceive(id: string, receive: HttpReceiveConfig | null): Promise<ProviderRow> {
    const row = this.get(id)
    if (receive && this.checkUrl(row.url).transport !== 'http') {
      throw new ProviderError('invalid', 'only an ILP-over-HTTP provider needs a receive bind: a BTP provider sends over the connection Junction opens')
    }
    this.checkReceivePort(id, receive)
    if (receive) this.secrets.set(receiveSecretName(id), receive.token)
    else this.secrets.delete(receiveSecretName(id))
    this.opts.store.put({ ...row, receive: receive ? { host: receive.host, port: receive.port } : null })
    const link = this.links.get(id)
    if (link instanceof HttpProviderLink) {
      try {
        await link.setReceive(receive)
      } finally {
        this.opts.host.changed()
      }
    } else this.opts.host.changed()
    return this.get(id)
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return 'provider'
  }
}
