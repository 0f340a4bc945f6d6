// Several providers, one active: the list the user manages (stored), the links that are up, the live switch and the
// failover. The connector gives it a host (routes, identity, accounts) and is otherwise unaware of providers.
//
// Live switch (activate): the new provider's link is connected and has answered ILDCP before anything moves; then
// the default route points at its account and the connector takes its address (which closes apps' connections so
// they reconnect and fetch their new addresses). The old link stays up for the grace period: packets in flight on it
// finish, and payments still addressed to apps' old addresses (STREAM receivers fetch ILDCP once) keep arriving —
// the host routes the old address prefix to the apps until the grace period ends. Each provider's balance is its own
// parent account, so nothing is moved between providers.
//
// Failover: when the active link has carried no packets for `failoverMs`, the enabled providers after it in the
// order (wrapping) are tried one by one; the first that connects and answers ILDCP becomes active. Junction does not
// switch back by itself: the user does.
import { randomBytes } from 'node:crypto'
import { type Account, type AccountLimits, createAccount } from '../accounts/account'
import type { BalanceStore } from '../balances/balance-store'
import type { PrepareHandler } from '../btp/btp-session'
import { parseBtpUrl } from '../btp/btp-url'
import { createLogger, type Logger } from '../log'
import { accountIdFor, type ProviderRow, type ProvidersStore } from '../store/providers-store'
import { ProviderLink } from './provider-link'
import { type ProbeResult, probeProvider } from './provider-probe'
import type { ProviderIdentity } from './ildcp-round-trip'

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
  activeState(link: ProviderLink): void
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
  log?: Logger
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
  private readonly links = new Map<string, ProviderLink>()
  /** Old links in their grace period, with the timer that ends it. */
  private readonly grace = new Map<string, { timer: ReturnType<typeof setTimeout>; address: string | undefined }>()
  private activeLink: ProviderLink | undefined
  private switching: Promise<void> | undefined
  private watchdog: ReturnType<typeof setInterval> | undefined
  private stopped = false
  private readonly log: Logger
  graceMs: number
  failoverMs: number

  constructor(private readonly opts: ProviderSwitchOptions) {
    this.log = opts.log ?? createLogger('providers')
    this.graceMs = opts.graceMs
    this.failoverMs = opts.failoverMs
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

  get active(): ProviderLink | undefined {
    return this.activeLink
  }

  get activeId(): string | undefined {
    return this.activeLink?.id
  }

  link(id: string): ProviderLink | undefined {
    return this.links.get(id)
  }

  inGrace(id: string): boolean {
    return this.grace.has(id)
  }

  add(name: string, url: string): ProviderRow {
    const endpoint = this.checkUrl(url)
    const rows = this.list()
    const same = rows.find((p) => sameEndpoint(p.url, url))
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
    }
    this.opts.store.put(row)
    this.account(row)
    this.log.info(`provider "${row.name}" added (${endpoint.display})`)
    this.opts.host.changed()
    return row
  }

  /** The `--parent` URL: the provider with that endpoint gets this URL (a new secret), or a new one is added. */
  fromConfig(url: string): ProviderRow {
    const same = this.list().find((p) => sameEndpoint(p.url, url))
    if (!same) return this.add('', url)
    if (same.url !== url || !same.enabled) this.opts.store.put({ ...same, url, enabled: true })
    return this.get(same.id)
  }

  remove(id: string): void {
    const row = this.get(id)
    if (this.activeId === id) throw new ProviderError('conflict', `"${row.name}" is the active provider; make another one active first`)
    this.endGrace(id)
    this.opts.store.delete(id)
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
    const url = 'id' in target ? this.get(target.id).url : target.url
    if ('url' in target) this.checkUrl(url)
    return await probeProvider(url, this.log, this.opts.connectTimeoutMs ?? 10_000)
  }

  /** At start: the active provider's link starts now (`preferred`, else the saved one, else the first enabled);
   *  its address comes when it answers ILDCP. */
  start(preferred?: string): void {
    const rows = this.list()
    const saved = preferred ?? this.opts.store.activeId()
    const first = rows.find((r) => r.id === saved && r.enabled) ?? rows.find((r) => r.enabled)
    if (first) this.commit(this.startLink(first))
    this.watchdog = setInterval(() => this.checkFailover(), 250)
    this.watchdog.unref()
  }

  stop(): void {
    this.stopped = true
    clearInterval(this.watchdog)
    for (const id of [...this.grace.keys()]) this.endGrace(id)
    for (const link of this.links.values()) link.stop()
    this.links.clear()
    this.activeLink = undefined
  }

  /** Makes a provider the active one once its link is up and ILDCP answered; throws (changing nothing) if not. */
  async activate(id: string, why = 'the user switched'): Promise<void> {
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

  private commit(link: ProviderLink): void {
    this.activeLink = link
    this.opts.store.setActiveId(link.id)
    this.opts.host.setDefaultRoute(link.account.id)
    if (link.identity) this.opts.host.setIdentity(link.identity)
    this.opts.host.activeState(link)
    this.opts.host.changed()
  }

  private beginGrace(link: ProviderLink): void {
    const address = link.identity?.address
    if (address) this.opts.host.addGraceAddress(address)
    const timer = setTimeout(() => this.endGrace(link.id), this.graceMs)
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

  private stopLink(id: string): void {
    this.links.get(id)?.stop()
    this.links.delete(id)
  }

  private startLink(row: ProviderRow): ProviderLink {
    const account = this.account(row)
    const link = new ProviderLink({
      id: row.id,
      url: row.url,
      account,
      log: createLogger('provider'),
      backoff: this.opts.backoff,
      onPrepare: this.opts.host.handle(account),
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
    const candidates = [...rows.slice(at + 1), ...rows.slice(0, Math.max(at, 0))].filter((r) => r.enabled && r.id !== active.id)
    if (candidates.length === 0) return
    const reason = active.lastError ?? 'not connected'
    const run = (async () => {
      for (const row of candidates) {
        try {
          await this.switchTo(row.id, `failover: the active provider was unreachable for ${this.failoverMs / 1000} s (${reason})`)
          this.opts.host.failover({ from: active.id, to: row.id, reason })
          return
        } catch (err) {
          this.log.warn(`failover to "${row.name}" failed: ${(err as Error).message}`)
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

  private checkUrl(url: string) {
    try {
      return parseBtpUrl(url)
    } catch (err) {
      throw new ProviderError('invalid', (err as Error).message)
    }
  }
}

/** Same host, port, path and username: the same account with a provider, whatever its secret. */
function sameEndpoint(a: string, b: string): boolean {
  try {
    const x = parseBtpUrl(a)
    const y = parseBtpUrl(b)
    return x.wsUrl === y.wsUrl && x.username === y.username
  } catch {
    return false
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return 'provider'
  }
}
