// The engine assembled: the app port (children), the provider link (parent), the accounts, the routing table and
// the packet pipeline. `createConnector(config)` is what the headless runner and the desktop shell start.
import { EventEmitter } from 'node:events'
import type { PacketView, RatesView, SettingsView, TrafficView } from '../../shared/api-types'
import { type Account, type AccountLimits, createAccount } from './accounts/account'
import { ActivityMonitor, type BudgetWarningKind } from './activity/activity-monitor'
import { RecentPackets } from './activity/recent-packets'
import { AppDirectory } from './accounts/app-auth'
import { AppRegistry } from './accounts/app-registry'
import type { AppState } from './accounts/app-state'
import { type BalanceStore, MemoryBalanceStore } from './balances/balance-store'
import { AppServer, CLOSE_POLICY, CLOSE_RESTART } from './btp/app-server'
import type { LinkState } from './btp/btp-client'
import { type EngineConfig, resolveConfig } from './config'
import { IlpFailure } from './ilp/ilp-failure'
import { readPrepare, rejectReply, type Reply } from './ilp/packets'
import { createLogger, type Logger } from './log'
import type { OwnIdentity } from './own-identity'
import { createChain } from './pipeline/chain'
import { PacketPipeline } from './pipeline/packet-pipeline'
import type { PauseSwitch } from './pipeline/pause'
import { DEFAULT_HEALTH_CHECK_MS, ProviderSwitch } from './providers/provider-switch'
import { MemorySecretStore, type SecretStore } from './secrets/secrets'
import { loadRateTable } from './rates/rate-settings'
import type { RateTable } from './rates/rate-table'
import { Router } from './routing/router'
import { RoutingTable } from './routing/routing-table'
import { RouteExchange } from './routing/ccp/route-exchange'
import { PeerLinks } from './peers/peer-links'
import { PROBE_SEGMENT, ProbeEntry } from './probe/probe-account'
import { Peers } from './peers/peers'
import { MemoryPeersStore, type PeersStore } from './peers/peer-store'
import { type AppsStore, MemoryAppsStore } from './store/apps-store'
import { MemoryProvidersStore, type ProvidersStore } from './store/providers-store'

export const PARENT_ACCOUNT_ID = 'parent'

const SETTING_PAUSED = 'engine.paused'
const SETTING_ALLOWED_ORIGINS = 'engine.allowed_origins'
export const SETTING_PROVIDER_GRACE_MS = 'providers.grace_ms'
export const SETTING_PROVIDER_FAILOVER_MS = 'providers.failover_ms'
export const DEFAULT_PROVIDER_GRACE_MS = 60_000
/** After an address change, how long an app's packets in flight may take before its connection is closed anyway. */
const APP_RECONNECT_WAIT_MS = 5000
export const DEFAULT_PROVIDER_FAILOVER_MS = 30_000
export const SETTING_PROVIDER_HEALTH_MS = 'providers.health_check_ms'
export const SETTING_PROVIDER_SWITCH_BACK = 'providers.switch_back'

export interface ConnectorEvents {
  /** Own address set or changed. */
  address: [address: string]
  /** The active provider's link state changed. */
  provider: [state: LinkState]
  /** A provider was added, removed, reordered, enabled or disabled, made active, or its link changed. */
  providersChanged: []
  /** The active provider was unreachable too long and Junction switched to another (ids). */
  providerFailover: [event: { from: string; to: string; reason: string }]
  appConnected: [accountId: string]
  appDisconnected: [accountId: string]
  /** An app was created, or its status, name, budget or limits changed. */
  appChanged: [accountId: string]
  appForgotten: [accountId: string]
  /** Packets answered since the last batch, oldest first (≤ 10 batches/s; only while someone listens). */
  packets: [batch: PacketView[]]
  /** The packet rate, about once a second while packets move, then one zero. */
  traffic: [view: TrafficView]
  /** The user paused or resumed Junction. */
  paused: [paused: boolean]
  /** A route was added or removed. */
  routesChanged: []
  /** An app used 80 % of its budget ('near') or all of it ('reached'): once each per app and budget period. */
  budgetWarning: [accountId: string, kind: BudgetWarningKind]
  /** Settings changed (emitted by the engine API, which builds the view). */
  settingsChanged: [settings: SettingsView]
  /** A peer was added or removed, or its link came up or went down. */
  peersChanged: []
  /** The rate table or spread changed (emitted by the engine API, which builds the view). */
  ratesChanged: [rates: RatesView]
}

export interface ConnectorDeps {
  balances?: BalanceStore
  /** Where apps and the user's decisions about them are kept; in memory if not given. */
  appsStore?: AppsStore
  /** Where providers are kept; in memory if not given. */
  providersStore?: ProvidersStore
  /** Where peers are kept; in memory if not given. */
  peersStore?: PeersStore
  /** Where provider and peer secrets are kept; in memory if not given. */
  secrets?: SecretStore
  log?: Logger
  /** The clock for budgets' calendar periods and apps' times (tests inject one). */
  now?: () => number
}

export class Connector extends EventEmitter<ConnectorEvents> {
  readonly config: EngineConfig
  readonly own: OwnIdentity
  readonly accounts = new Map<string, Account>()
  readonly routes = new RoutingTable(() => this.emit('routesChanged'))
  /** CCP route exchange with peers (routing/ccp). */
  readonly routeExchange: RouteExchange
  /** The peers (stored, with config.peers upserted at start), each its own account; their links. */
  readonly peers: Peers
  /** Provider and peer secrets (secrets/secrets.ts). */
  readonly secrets: SecretStore
  /** Registered names and their token hashes, for BTP auth. */
  readonly directory = new AppDirectory()
  /** Every app Junction knows, with its status, budget and limits. */
  readonly apps: AppRegistry
  /** Where the user's settings are kept (the `settings` table, or memory for a throwaway engine). */
  readonly settingsStore: AppsStore
  /** The last answered packets (the Activity page). */
  readonly recent = new RecentPackets()
  /** Rates between assets and the spread (rates/rate-table.ts): what forwarding and quotes convert with. */
  readonly rates: RateTable
  private readonly log: Logger
  /** Read by the pause middleware on every packet. */
  private readonly pauseSwitch: PauseSwitch
  private readonly monitor: ActivityMonitor
  /** Browser origins the user allowed in the settings (the --allow-origin ones come on top). */
  private savedOrigins: string[]
  private readonly balances: BalanceStore
  private readonly pipeline: PacketPipeline
  private readonly appServer: AppServer
  /** Junction's own STREAM client's entry into the pipeline: the internal account `junction:probe` (quotes/stream-probe.ts). */
  readonly probes: ProbeEntry
  /** The providers (ILSPs): the stored list, the active link, live switching and failover. */
  readonly providers: ProviderSwitch
  /** Addresses Junction had before a provider switch, still routed to the apps during the grace period. */
  private readonly graceAddresses = new Set<string>()
  private started = false

  constructor(config: Partial<EngineConfig>, deps: ConnectorDeps = {}) {
    super()
    this.config = resolveConfig(config)
    this.log = deps.log ?? createLogger('engine')
    this.balances = deps.balances ?? new MemoryBalanceStore()
    const providersStore = deps.providersStore ?? new MemoryProvidersStore()
    const local = this.config.parent === undefined && !providersStore.all().some((p) => p.enabled)
    this.own = {
      address: local ? this.config.address : undefined,
      assetCode: this.config.assetCode,
      assetScale: this.config.assetScale,
    }

    this.settingsStore = deps.appsStore ?? new MemoryAppsStore()
    this.secrets = deps.secrets ?? new MemorySecretStore()
    this.pauseSwitch = { paused: this.settingsStore.getSetting(SETTING_PAUSED) === '1' }
    this.savedOrigins = this.readSavedOrigins()
    this.rates = loadRateTable(this.settingsStore, { spread: this.config.spread, pairs: this.config.rates }, this.log)

    const reject = (failure: IlpFailure): Reply => rejectReply(failure, this.own.address ?? '')
    this.routeExchange = new RouteExchange({
      table: this.routes,
      ownAddress: () => this.own.address,
      log: createLogger('routes'),
      broadcastIntervalMs: this.config.ccp.broadcastIntervalMs,
      routeExpiryMs: this.config.ccp.routeExpiryMs,
    })
    const router = new Router({
      own: this.own,
      table: this.routes,
      accounts: this.accounts,
      rates: this.rates,
      minMessageWindowMs: this.config.minMessageWindowMs,
      maxHoldTimeMs: this.config.maxHoldTimeMs,
      routeMessages: this.routeExchange,
    })
    this.pipeline = new PacketPipeline(
      createChain({
        balances: this.balances,
        deduplicate: this.config.deduplicate,
        reject,
        now: deps.now,
        pause: this.pauseSwitch,
        recent: this.recent,
      }),
      router,
      reject,
      this.balances,
    )

    this.probes = new ProbeEntry({
      own: this.own,
      accounts: this.accounts,
      routes: this.routes,
      handle: (account, ilp, answer) => this.pipeline.handle(account, ilp, answer),
    })

    this.appServer = new AppServer({
      port: this.config.port,
      hosts: this.config.hosts,
      allowOrigins: this.allowedOrigins,
      directory: this.directory,
      authTimeoutMs: this.config.authTimeoutMs,
      log: createLogger('apps'),
      peers: {
        identifyIncoming: (username, token) => this.peers.identifyIncoming(username, token),
        incomingHandler: (accountId) => this.peers.incomingHandler(accountId),
        attachIncoming: (accountId, session) => this.peers.attachIncoming(accountId, session),
        detachIncoming: (accountId, session) => this.peers.detachIncoming(accountId, session),
      },
      host: {
        admit: (accountId, named) => {
          if (accountId === PROBE_SEGMENT) return `the name "${PROBE_SEGMENT}" is Junction's own (its rate probe); give the app another name`
          try {
            const refusal = this.apps.admit(accountId, named)
            if (refusal === undefined) this.childAccount(accountId)
            return refusal
          } catch (err) {
            // An auth must never throw out of the WebSocket handler; the app retries later.
            this.log.error(`could not admit app ${accountId}: ${(err as Error).message}`)
            return `Junction could not admit app "${accountId}" right now (${(err as Error).message}); try again later`
          }
        },
        prepareHandler: (accountId) => {
          const account = this.childAccount(accountId)
          return (ilp, answer) => this.pipeline.handle(account, ilp, answer)
        },
        attach: (accountId, session) => {
          this.childAccount(accountId).link = session
          this.apps.seen(accountId)
          this.log.info(`app ${accountId} connected`)
          this.emit('appConnected', accountId)
        },
        detach: (accountId, session) => {
          const account = this.accounts.get(accountId)
          if (account && account.link === session) {
            account.link = undefined
            this.apps.seen(accountId)
            this.log.info(`app ${accountId} disconnected`)
            this.emit('appDisconnected', accountId)
          }
        },
      },
    })

    this.apps = new AppRegistry({
      store: this.settingsStore,
      directory: this.directory,
      log: createLogger('apps'),
      now: deps.now,
      newApps: this.config.newApps,
      defaultBudget: this.config.defaultBudget,
      unnamedIdleMs: this.config.unnamedAppIdleMs,
      host: {
        isConnected: (id) => this.appServer.isConnected(id),
        disconnect: (id, reason) => this.appServer.disconnect(id, CLOSE_POLICY, reason),
        updated: (app) => {
          this.applyApp(app)
          this.emit('appChanged', app.id)
        },
        forgotten: (id) => {
          const account = this.accounts.get(id)
          if (account?.relation === 'child') {
            this.accounts.delete(id)
            if (this.own.address) this.routes.remove(`${this.own.address}.${account.segment}`, 'child')
          }
          this.emit('appForgotten', id)
        },
        // Apps from the config are registered before the peers are loaded: a clash then shows when the peer is added.
        nameOwner: (name) => (this.peers?.get(name) ? 'it is the id of a peer (a peer connects with its id as username); choose another name' : undefined),
      },
    })
    // Every known app has its account (balance, route) from the start; flags register apps over what was saved.
    for (const app of this.apps.list()) this.applyApp(app)
    for (const app of this.config.apps) this.apps.register(app.name, { token: app.token, replaceToken: true })
    if (local) this.installOwnRoutes()
    for (const r of this.config.routes) this.routes.add({ prefix: r.prefix, accountId: r.accountId, source: 'configured' })

    const ms = (key: string, fallback: number) => {
      const v = Number(this.settingsStore.getSetting(key))
      return Number.isSafeInteger(v) && v >= 0 && this.settingsStore.getSetting(key) !== undefined ? v : fallback
    }
    this.providers = new ProviderSwitch({
      store: providersStore,
      defaultAsset: { assetCode: this.config.assetCode, assetScale: this.config.assetScale },
      limits: this.config.parentLimits,
      backoff: this.config.reconnect,
      graceMs: ms(SETTING_PROVIDER_GRACE_MS, DEFAULT_PROVIDER_GRACE_MS),
      failoverMs: ms(SETTING_PROVIDER_FAILOVER_MS, DEFAULT_PROVIDER_FAILOVER_MS),
      healthCheckMs: ms(SETTING_PROVIDER_HEALTH_MS, DEFAULT_HEALTH_CHECK_MS),
      secrets: this.secrets,
      host: {
        accounts: this.accounts,
        balances: this.balances,
        handle: (account) => (ilp, answer) => this.pipeline.handle(account, ilp, answer),
        setIdentity: (id) => this.setIdentity(id.address, id.assetCode, id.assetScale),
        setDefaultRoute: (accountId) => {
          this.routes.removeSource('parent')
          if (accountId !== undefined) this.routes.add({ prefix: '', accountId, source: 'parent' })
        },
        addGraceAddress: (address) => {
          if (address === this.own.address) return
          this.graceAddresses.add(address)
          this.installOwnRoutes()
        },
        removeGraceAddress: (address) => {
          if (this.graceAddresses.delete(address)) this.installOwnRoutes()
        },
        changed: () => this.emit('providersChanged'),
        activeState: (link) => this.emit('provider', link.state),
        failover: (event) => {
          this.log.warn(`failover from provider ${event.from} to ${event.to}: ${event.reason}`)
          this.emit('providerFailover', event)
        },
      },
    })
    this.providers.switchBack = this.settingsStore.getSetting(SETTING_PROVIDER_SWITCH_BACK) === '1'

    this.peers = new Peers({
      store: deps.peersStore ?? new MemoryPeersStore(),
      secrets: this.secrets,
      table: this.routes,
      links: new PeerLinks({
        own: this.own,
        accounts: this.accounts,
        balances: this.balances,
        exchange: this.routeExchange,
        handle: (account) => (ilp, answer) => this.pipeline.handle(account, ilp, answer),
        backoff: this.config.reconnect,
        changed: () => this.emit('peersChanged'),
      }),
      isAppName: (name) => this.apps.get(name) !== undefined || this.directory.isRegistered(name),
      changed: () => this.emit('peersChanged'),
      log: createLogger('peers'),
      now: deps.now,
    })
    // config.peers and --peer are stored peers too (their secrets in the secret store), linked with the stored ones.
    this.peers.load(this.config.peers)

    this.monitor = new ActivityMonitor({
      recent: this.recent,
      apps: () => this.apps.list(),
      wantsPackets: () => this.listenerCount('packets') > 0,
      packets: (batch) => this.emit('packets', batch),
      traffic: (view) => this.emit('traffic', view),
      budgetWarning: (id, kind) => {
        this.log.info(`app ${id} ${kind === 'near' ? 'used 80 % of' : 'reached'} its budget`)
        this.emit('budgetWarning', id, kind)
      },
      now: deps.now,
    })
  }

  /** The app port actually bound (useful when configured as 0). */
  get port(): number {
    return this.appServer.boundPort
  }

  get listeningHosts(): string[] {
    return this.appServer.boundHosts
  }

  /** The active provider's link state; undefined in local mode. */
  get providerState(): LinkState | undefined {
    return this.providers.active?.state
  }

  async start(): Promise<void> {
    if (this.started) return
    this.started = true
    await this.appServer.listen()
    this.apps.startSweeping()
    this.monitor.start()
    // --parent / the config's provider is a stored provider too, and the active one at start.
    this.providers.start(this.config.parent !== undefined ? this.providers.fromConfig(this.config.parent).id : undefined)
    if (this.own.address !== undefined) this.emit('address', this.own.address)
    this.peers.start()
  }

  async stop(): Promise<void> {
    if (!this.started) return
    this.started = false
    this.apps.stopSweeping()
    this.monitor.stop()
    this.providers.stop()
    this.peers.stop()
    await this.appServer.close()
  }

  /** Paused by the user: apps' packets are refused with T03 (pipeline/pause.ts). Kept across restarts. */
  get paused(): boolean {
    return this.pauseSwitch.paused
  }

  /** Pauses or resumes; saved first, so a failed write changes nothing. */
  setPaused(paused: boolean): void {
    if (paused === this.pauseSwitch.paused) return
    this.settingsStore.setSetting(SETTING_PAUSED, paused ? '1' : '0')
    this.pauseSwitch.paused = paused
    this.log.info(paused ? 'paused by the user: apps\' packets are refused until resumed' : 'resumed by the user')
    this.emit('paused', paused)
  }

  /** The browser origins allowed on the app port: the --allow-origin ones and the user's, without duplicates. */
  get allowedOrigins(): string[] {
    return [...new Set([...this.config.allowOrigins, ...this.savedOrigins])]
  }

  /** Replaces the user's allowed origins (saved, applied to the next connection); --allow-origin ones stay. */
  setAllowedOrigins(origins: string[]): void {
    const list = [...new Set(origins)]
    this.settingsStore.setSetting(SETTING_ALLOWED_ORIGINS, list.length > 0 ? JSON.stringify(list) : undefined)
    this.savedOrigins = list
    this.appServer.setAllowedOrigins(this.allowedOrigins)
  }

  /** Round trip of the last ILDCP request to the provider (ms); null before the first answer. */
  get providerLatencyMs(): number | null {
    return this.providers.active?.latencyMs ?? null
  }

  /** Whether an app has a live connection now. */
  isAppConnected(accountId: string): boolean {
    return this.appServer.isConnected(accountId)
  }

  private readSavedOrigins(): string[] {
    const saved = this.settingsStore.getSetting(SETTING_ALLOWED_ORIGINS)
    if (saved === undefined) return []
    try {
      const list: unknown = JSON.parse(saved)
      if (Array.isArray(list) && list.every((o) => typeof o === 'string')) return list
    } catch {
      // falls through to the warning
    }
    this.log.warn(`ignoring the saved allowed origins ${JSON.stringify(saved.slice(0, 200))}: not a list of origins`)
    return []
  }

  /** The account of an app, created on first sight with its own limits (or the default app limits). */
  private childAccount(accountId: string): Account {
    let account = this.accounts.get(accountId)
    if (!account) {
      const app = this.apps.get(accountId)
      account = createAccount({
        id: accountId,
        relation: 'child',
        segment: accountId,
        assetCode: this.own.assetCode,
        assetScale: this.own.assetScale,
        limits: this.appLimits(app),
        balance: this.balances.load(accountId),
      })
      account.app = app
      this.accounts.set(accountId, account)
      if (this.own.address) this.routes.add({ prefix: `${this.own.address}.${accountId}`, accountId, source: 'child' })
    }
    return account
  }

  /** Puts an app's state and limits on its account (new limits take effect with the next packet). */
  private applyApp(app: AppState): void {
    const account = this.childAccount(app.id)
    account.app = app
    const limits = this.appLimits(app)
    const rate = limits.rateLimit
    const before = account.limits.rateLimit
    if (rate?.capacity !== before?.capacity || rate?.refillPerSecond !== before?.refillPerSecond) account.rateBucket = undefined
    account.limits = limits
  }

  /** The engine-wide app limits, overridden by the app's own. */
  private appLimits(app: AppState | undefined): AccountLimits {
    const limits: AccountLimits = { ...this.config.childLimits }
    if (app?.maxPacketAmount != null) limits.maxPacketAmount = app.maxPacketAmount
    if (app?.maxPacketsPerSecond != null) {
      limits.rateLimit = { capacity: app.maxPacketsPerSecond, refillPerSecond: app.maxPacketsPerSecond }
    }
    return limits
  }

  /** Routes for Junction's own address and each app under it. */
  private installOwnRoutes(): void {
    this.routes.removeSource('local')
    this.routes.removeSource('child')
    const address = this.own.address
    if (!address) return
    this.routes.add({ prefix: address, accountId: '', source: 'local' })
    // During a provider switch's grace period the old address still reaches the apps (see providers/provider-switch.ts).
    for (const base of [address, ...this.graceAddresses]) {
      for (const account of this.accounts.values()) {
        if (account.relation === 'child') this.routes.add({ prefix: `${base}.${account.segment}`, accountId: account.id, source: 'child' })
      }
    }
  }

  private setIdentity(address: string, assetCode: string, assetScale: number): void {
    const previous = this.own.address
    const changed = previous !== address || this.own.assetCode !== assetCode || this.own.assetScale !== assetScale
    if (!changed) return
    this.own.address = address
    this.own.assetCode = assetCode
    this.own.assetScale = assetScale
    for (const account of this.accounts.values()) {
      if (account.relation === 'child') {
        account.assetCode = assetCode
        account.assetScale = assetScale
      }
    }
    this.installOwnRoutes()
    if (previous !== address) this.routeExchange.ownAddressChanged()
    this.log.info(`own address is ${address} (${assetCode}, scale ${assetScale})`)
    this.emit('address', address)
    if (previous !== undefined) {
      // Apps cached their old address from ILDCP; closing makes them reconnect and fetch the new one.
      // Each app's packets in flight (both ways) are answered first — a STREAM sender would otherwise lose the
      // fulfillment of money that moved; new ones get a temporary reject meanwhile, which STREAM retries after the
      // reconnect. ILDCP still goes through: it gives the new address.
      const busy = () =>
        rejectReply(new IlpFailure('T03', `Junction's address changed to ${address}; the app reconnects to fetch its own, then retry`), address).raw
      const refuse = (ilpPrepare: Buffer) => (isPeerProtocol(ilpPrepare) ? undefined : busy())
      this.appServer.reconnectApps(CLOSE_RESTART, `Junction's address changed to ${address}; reconnect to fetch yours`, refuse, busy, APP_RECONNECT_WAIT_MS)
    }
  }
}

export function createConnector(config: Partial<EngineConfig>, deps?: ConnectorDeps): Connector {
  return new Connector(config, deps)
}

/** A prepare to `peer.*` (ILDCP, peer.balance); anything unreadable is not (the refusal answers it). */
function isPeerProtocol(ilpPrepare: Buffer): boolean {
  try {
    return readPrepare(ilpPrepare).destination.startsWith('peer.')
  } catch {
    return false
  }
}
