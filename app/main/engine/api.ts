// The engine API: the one object the desktop UI calls (over IPC) and headless mode serves (over a loopback
// WebSocket). Every input is validated with the contract's schemas (app/shared/api-schemas.ts) before anything
// happens, and every answer is plain JSON (app/shared/api-types.ts): amounts as decimal strings, bigint inside.
// Errors are ApiError with a code the UI can act on and a message a person can read.
import { mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { z } from 'zod'
import { type ApiSchemas, apiSchemas } from '../../shared/api-schemas'
import {
  type AccountView,
  ApiError,
  type AppTotalsView,
  type AppView,
  type BudgetView,
  type FlowView,
  type JunctionApi,
  type PacketView,
  type ProviderLinkState,
  type ProviderSettingsView,
  type ProviderView,
  type RegisteredAppView,
  type RouteView,
  type SeriesResolution,
  type SettingsView,
  type SpendPointView,
  type StatusView,
} from '../../shared/api-types'
import type { AppBudget } from './accounts/app-policy'
import { AppError } from './accounts/app-registry'
import type { AppState } from './accounts/app-state'
import { displayLinkUrl, linkTransport } from './links/link-url'
import { formatHostPort } from './links/http-receiver'
import { HttpProviderLink } from './providers/http-provider-link'
import { NodeSettings } from './node-settings'
import { diagnosticsText } from './diagnostics'
import type { Connector } from './connector'
import { BackupError, backupDatabase } from './store/backup'
import {
  DEFAULT_PROVIDER_FAILOVER_MS,
  DEFAULT_PROVIDER_GRACE_MS,
  SETTING_PROVIDER_FAILOVER_MS,
  SETTING_PROVIDER_GRACE_MS,
  SETTING_PROVIDER_HEALTH_MS,
  SETTING_PROVIDER_SWITCH_BACK,
} from './connector'
import { DEFAULT_HEALTH_CHECK_MS, ProviderError } from './providers/provider-switch'
import type { ProviderRow } from './store/providers-store'
import { type Db, StoreError } from './store/database'
import { DAY, HOUR, MINUTE } from './store/ledger-buckets'
import { ledgerCsv } from './store/ledger-export'
import { type AppTotals, type Flow, ledgerQueries, type Resolution } from './store/ledger-queries'
import { quoteView } from './quotes/quote-view'
import { peersApi } from './api-peers'
import { rateMethods } from './api-rates'
import { probeRate } from './quotes/stream-probe'

export interface EngineApiOptions {
  /** The engine's database (the per-app ledger, backups); without it the ledger methods answer 'unavailable'. */
  db?: Db
  /** What runs the engine (node.ts); without it the settings are those of a bare headless engine. */
  host?: NodeHost
}

/** The node around the engine, as the settings and diagnostics see it. */
export interface NodeHost {
  settings: NodeSettings
  /** The UI/API server's port; null when none is served. */
  uiPort(): number | null
}

const RESOLUTION_SECONDS: Record<SeriesResolution, Resolution> = { minute: MINUTE, hour: HOUR, day: DAY }
const RESOLUTION_NAME = new Map<number, SeriesResolution>([
  [MINUTE, 'minute'],
  [HOUR, 'hour'],
  [DAY, 'day'],
])

export function createEngineApi(connector: Connector, opts: EngineApiOptions = {}): JunctionApi {
  const apps = connector.apps
  const database = (): Db => {
    if (!opts.db) throw new ApiError('unavailable', 'this Junction keeps no ledger (it runs without a database)')
    return opts.db
  }

  const view = (app: AppState): AppView => appView(connector, app)
  // A bare engine (tests, a throwaway node) has settings too: headless, kept in the engine's settings store.
  const settings =
    opts.host?.settings ??
    new NodeSettings(connector.settingsStore, { shell: 'headless', dataFolder: opts.db ? dirname(opts.db.name) : null, logFile: null })
  const uiPort = () => opts.host?.uiPort() ?? null

  const settingsView = (): SettingsView => ({
    dataFolder: settings.facts.dataFolder,
    appPort: connector.port,
    uiPort: uiPort(),
    newAppPolicy: apps.newAppPolicy,
    defaultBudget: budgetView(apps.newAppBudget),
    allowedOrigins: connector.allowedOrigins,
    logLevel: settings.logLevel,
    logFile: settings.facts.logFile,
    startAtLogin: settings.startAtLogin,
    closeToTray: settings.closeToTray,
    shell: settings.shell,
  })
  const settingsChanged = () => connector.emit('settingsChanged', settingsView())

  const statusView = (): StatusView => {
    const list = apps.list()
    const active = connector.providers.active
    const activeRow = active ? connector.providers.list().find((p) => p.id === active.id) : undefined
    const provider = active?.account
    return {
      address: connector.own.address ?? null,
      assetCode: connector.own.assetCode,
      assetScale: connector.own.assetScale,
      appPort: connector.port,
      provider: {
        configured: active !== undefined,
        name: activeRow?.name ?? null,
        url: activeRow ? displayLinkUrl(activeRow.url) : null,
        state: (connector.providerState as ProviderLinkState | undefined) ?? null,
        balance: provider ? provider.balance.toString() : null,
        minBalance: provider?.limits.minimumBalance?.toString() ?? null,
        maxBalance: provider?.limits.maximumBalance?.toString() ?? null,
        latencyMs: connector.providerLatencyMs,
      },
      newAppPolicy: apps.newAppPolicy,
      defaultBudget: budgetView(apps.newAppBudget),
      apps: {
        total: list.length,
        connected: list.filter((a) => connector.isAppConnected(a.id)).length,
        pending: list.filter((a) => a.status === 'pending').length,
      },
      paused: connector.paused,
    }
  }

  const providerView = (row: ProviderRow): ProviderView => {
    const link = connector.providers.link(row.id)
    const account = connector.accounts.get(row.accountId)
    const health = connector.providers.healthOf(row.id)
    return {
      id: row.id,
      name: row.name,
      url: displayLinkUrl(row.url),
      transport: linkTransport(row.url),
      receive: receiveView(row, link),
      sendOnly: linkTransport(row.url) === 'http' && !row.receive,
      enabled: row.enabled,
      active: connector.providers.activeId === row.id,
      inGrace: connector.providers.inGrace(row.id),
      state: link ? (link.state as ProviderLinkState) : null,
      address: link?.identity?.address ?? null,
      assetCode: link?.identity?.assetCode ?? null,
      assetScale: link?.identity?.assetScale ?? null,
      latencyMs: link?.latencyMs ?? health?.latencyMs ?? null,
      lastCheckedAt: health?.checkedAt ?? null,
      // A provider whose URL lost its secret says so (and what to do) rather than how its last check went.
      lastError: row.secretError ?? health?.error ?? null,
      balance: (account?.balance ?? 0n).toString(),
      accountId: row.accountId,
      createdAt: row.createdAt,
    }
  }
  const providerSettingsView = (): ProviderSettingsView => {
    const seconds = (key: string, fallback: number) => {
      const v = Number(connector.settingsStore.getSetting(key) ?? fallback)
      return Math.round((Number.isFinite(v) ? v : fallback) / 1000)
    }
    return {
      graceSeconds: seconds(SETTING_PROVIDER_GRACE_MS, DEFAULT_PROVIDER_GRACE_MS),
      failoverSeconds: seconds(SETTING_PROVIDER_FAILOVER_MS, DEFAULT_PROVIDER_FAILOVER_MS),
      healthCheckSeconds: seconds(SETTING_PROVIDER_HEALTH_MS, DEFAULT_HEALTH_CHECK_MS),
      switchBack: connector.providers.switchBack,
    }
  }

  return {
    async status(): Promise<StatusView> {
      return statusView()
    },

    async listApps() {
      return apps.list().map(view)
    },

    async getApp(input) {
      const { id } = parse('getApp', input)
      return run(() => view(apps.require(id)))
    },

    async approveApp(input) {
      const { id } = parse('approveApp', input)
      return run(() => view(apps.approve(id)))
    },

    async blockApp(input) {
      const { id } = parse('blockApp', input)
      return run(() => view(apps.block(id)))
    },

    async renameApp(input) {
      const { id, displayName } = parse('renameApp', input)
      return run(() => view(apps.rename(id, displayName)))
    },

    async forgetApp(input) {
      const { id } = parse('forgetApp', input)
      run(() => apps.forget(id))
    },

    async setAppBudget(input) {
      const { id, budget } = parse('setAppBudget', input)
      return run(() => view(apps.setBudget(id, budget)))
    },

    async setAppLimits(input) {
      const { id, maxPacketAmount, maxPacketsPerSecond } = parse('setAppLimits', input)
      return run(() => view(apps.setLimits(id, { maxPacketAmount, maxPacketsPerSecond })))
    },

    async registerApp(input): Promise<RegisteredAppView> {
      const { name, displayName, replaceToken } = parse('registerApp', input)
      return run(() => {
        const { app, token } = apps.register(name, { displayName, replaceToken })
        const url = `btp+ws://${encodeURIComponent(name)}:${encodeURIComponent(token)}@localhost:${connector.port}`
        return { app: view(app), token, url }
      })
    },

    async getNewAppPolicy() {
      return apps.newAppPolicy
    },

    async setNewAppPolicy(input) {
      const { policy } = parse('setNewAppPolicy', input)
      run(() => apps.setNewAppPolicy(policy))
      settingsChanged()
      return apps.newAppPolicy
    },

    async getDefaultBudget() {
      return budgetView(apps.newAppBudget)
    },

    async setDefaultBudget(input) {
      const { budget } = parse('setDefaultBudget', input)
      run(() => apps.setDefaultBudget(budget))
      settingsChanged()
      return budgetView(apps.newAppBudget)
    },

    // ---- the per-app ledger (store/ledger-queries.ts, ledger-export.ts, backup.ts) ----

    async ledgerTotals(input) {
      const { from, to } = parse('ledgerTotals', input)
      return run(() => ledgerQueries(database()).totals({ from, to }).map(totalsView))
    },

    async ledgerAppTotals(input) {
      const { id, from, to } = parse('ledgerAppTotals', input)
      return run(() => totalsView(ledgerQueries(database()).appTotals(id, { from, to })))
    },

    async ledgerSeries(input) {
      const { id, from, to, resolution } = parse('ledgerSeries', input)
      return run(() =>
        ledgerQueries(database())
          .series(id, { from, to }, RESOLUTION_SECONDS[resolution])
          .map((p) => ({ start: p.start, resolution: RESOLUTION_NAME.get(p.resolution)!, spent: flowView(p.spent), earned: flowView(p.earned) })),
      )
    },

    async ledgerTopDestinations(input) {
      const { id, from, to, limit } = parse('ledgerTopDestinations', input)
      return run(() =>
        ledgerQueries(database())
          .topDestinations(id, { from, to }, limit ?? 10)
          .map((d) => ({ prefix: d.prefix, packets: d.packets.toString(), amountApp: d.amountApp.toString(), amountProvider: d.amountProvider.toString() })),
      )
    },

    async ledgerRejects(input) {
      const { from, to, id } = parse('ledgerRejects', input)
      return run(() =>
        ledgerQueries(database())
          .rejectsByCode({ from, to }, id)
          .map((r) => ({ app: r.app, code: r.code, packets: r.packets.toString() })),
      )
    },

    async exportLedgerCsv(input) {
      const { from, to, id } = parse('exportLedgerCsv', input)
      return run(() => ledgerCsv(database(), { from, to }, { app: id }))
    },

    async backupDatabase() {
      const db = run(database)
      // Into the data folder, under a name of its own: a caller never chooses where the engine writes.
      const folder = join(dirname(db.name), 'backups')
      // e.g. junction-20261122-015844-123.db (UTC, to the millisecond)
      const stamp = new Date().toISOString().replace(/[-:Z]/g, '').replace(/[T.]/g, '-')
      try {
        mkdirSync(folder, { recursive: true })
        const info = await backupDatabase(db, join(folder, `junction-${stamp}.db`))
        return { file: info.file, bytes: info.bytes, schemaVersion: info.schemaVersion }
      } catch (err) {
        if (err instanceof BackupError || (err as NodeJS.ErrnoException).code) throw new ApiError('unavailable', (err as Error).message)
        throw err
      }
    },

    async ledgerSpendSeries(input): Promise<SpendPointView[]> {
      const { from, to, resolution } = parse('ledgerSpendSeries', input)
      return run(() =>
        ledgerQueries(database())
          .spendSeries({ from, to }, RESOLUTION_SECONDS[resolution])
          .map((p) => ({
            start: p.start,
            resolution: RESOLUTION_NAME.get(p.resolution)!,
            spent: Object.fromEntries([...p.spent].map(([app, amount]) => [app, amount.toString()])),
          })),
      )
    },

    async ledgerDestinations(input) {
      const { from, to, id, limit } = parse('ledgerDestinations', input)
      return run(() =>
        ledgerQueries(database())
          .destinations({ from, to }, limit ?? 10, id)
          .map((d) => ({ prefix: d.prefix, packets: d.packets.toString(), amountApp: d.amountApp.toString(), amountProvider: d.amountProvider.toString() })),
      )
    },

    // ---- node state ----

    async listAccounts(): Promise<AccountView[]> {
      const out: AccountView[] = []
      const providerRows = new Map(connector.providers.list().map((p) => [p.accountId, p]))
      for (const account of connector.accounts.values()) {
        const app = account.relation === 'child' ? apps.get(account.id) : undefined
        // A forgotten app's account is gone; one not in the registry is not shown.
        if (account.relation === 'child' && !app) continue
        let link: AccountView['link']
        if (account.relation === 'parent') {
          const row = providerRows.get(account.id)
          const state = row ? connector.providers.link(row.id)?.state.state : undefined
          link = state === 'connected' ? 'connected' : state === 'connecting' ? 'connecting' : state === 'waiting' ? 'waiting' : 'disconnected'
        } else {
          link = account.link ? 'connected' : 'disconnected'
        }
        const st = account.stats
        out.push({
          id: account.id,
          relation: account.relation,
          label:
            account.relation === 'parent'
              ? providerLabel(providerRows.get(account.id)?.url)
              : account.relation === 'peer'
                ? (connector.peers.byAccount(account.id)?.name ?? null)
                : (app?.displayName ?? null),
          link,
          balance: account.balance.toString(),
          minBalance: account.limits.minimumBalance?.toString() ?? null,
          maxBalance: account.limits.maximumBalance?.toString() ?? null,
          packets: { fulfilled: st.fulfilledIn + st.fulfilledOut, rejected: st.rejectedIn + st.rejectedOut },
        })
      }
      // The provider first, then apps by id.
      const rank = { parent: 0, peer: 1, child: 2 } as const
      return out.sort((a, b) => rank[a.relation] - rank[b.relation] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    },

    async listRoutes(): Promise<RouteView[]> {
      // The routes in use, one per prefix; peers' routes (CCP) carry their path and the end of their hold-down time.
      return connector.routes.list().map((r) => ({
        prefix: r.prefix,
        nextHop: r.accountId,
        source: r.source,
        path: r.path ?? [],
        expiresAt: r.expiresAt ?? null,
      }))
    },

    async quote(input) {
      return quoteView(connector, parse('quote', input))
    },

    async recentPackets(input): Promise<PacketView[]> {
      const parsed = parse('recentPackets', input)
      return connector.recent.newest(parsed?.limit ?? 200)
    },

    async pause() {
      run(() => connector.setPaused(true))
      return { paused: connector.paused }
    },

    async resume() {
      run(() => connector.setPaused(false))
      return { paused: connector.paused }
    },

    async getSettings() {
      return settingsView()
    },

    async setSettings(input) {
      const change = parse('setSettings', input)
      if (settings.shell !== 'electron') {
        const desktopOnly = (['startAtLogin', 'closeToTray'] as const).filter((k) => change[k] !== undefined)
        if (desktopOnly.length > 0) {
          const issues = desktopOnly.map((k) => ({ path: k, message: `${k} is a desktop app setting; headless mode has none` }))
          throw new ApiError('invalid-input', `setSettings: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues)
        }
      }
      // Everything was checked above; each change is saved as it is applied.
      run(() => {
        if (change.newAppPolicy !== undefined) apps.setNewAppPolicy(change.newAppPolicy)
        if (change.defaultBudget !== undefined) apps.setDefaultBudget(change.defaultBudget)
        if (change.allowedOrigins !== undefined) connector.setAllowedOrigins(change.allowedOrigins)
        if (change.logLevel !== undefined) settings.setLogLevel(change.logLevel)
        if (change.startAtLogin !== undefined) settings.setStartAtLogin(change.startAtLogin)
        if (change.closeToTray !== undefined) settings.setCloseToTray(change.closeToTray)
      })
      const now = settingsView()
      connector.emit('settingsChanged', now)
      return now
    },

    // ---- providers (providers/provider-switch.ts) ----

    async listProviders() {
      return connector.providers.list().map(providerView)
    },

    async addProvider(input) {
      const { name, url, receive } = parse('addProvider', input)
      const bind = receive ? { host: receive.host ?? '127.0.0.1', port: receive.port, token: receive.token } : null
      return providerView(runProvider(() => connector.providers.add(name, url, bind)))
    },

    async testProvider(input) {
      const target = parse('testProvider', input)
      const result = await runProviderAsync(() => connector.providers.test(target))
      if (!result.ok) return { ok: false, error: result.error }
      return { ok: true, address: result.identity.address, assetCode: result.identity.assetCode, assetScale: result.identity.assetScale, latencyMs: result.latencyMs }
    },

    async activateProvider(input) {
      const { id } = parse('activateProvider', input)
      await runProviderAsync(() => connector.providers.activate(id))
      return providerView(connector.providers.get(id))
    },

    async setProviderOrder(input) {
      const { ids } = parse('setProviderOrder', input)
      return runProvider(() => connector.providers.setOrder(ids)).map(providerView)
    },

    async enableProvider(input) {
      const { id } = parse('enableProvider', input)
      return providerView(runProvider(() => connector.providers.setEnabled(id, true)))
    },

    async disableProvider(input) {
      const { id } = parse('disableProvider', input)
      return providerView(runProvider(() => connector.providers.setEnabled(id, false)))
    },

    async updateProvider(input) {
      const { id, name, url } = parse('updateProvider', input)
      return providerView(runProvider(() => connector.providers.update(id, { name, url })))
    },

    async removeProvider(input) {
      const { id } = parse('removeProvider', input)
      runProvider(() => connector.providers.remove(id))
    },

    async getProviderSettings() {
      return providerSettingsView()
    },

    async setProviderSettings(input) {
      const { graceSeconds, failoverSeconds, healthCheckSeconds, switchBack } = parse('setProviderSettings', input)
      run(() => {
        if (graceSeconds !== undefined) {
          connector.settingsStore.setSetting(SETTING_PROVIDER_GRACE_MS, String(graceSeconds * 1000))
          connector.providers.graceMs = graceSeconds * 1000
        }
        if (failoverSeconds !== undefined) {
          connector.settingsStore.setSetting(SETTING_PROVIDER_FAILOVER_MS, String(failoverSeconds * 1000))
          connector.providers.failoverMs = failoverSeconds * 1000
        }
        if (healthCheckSeconds !== undefined) {
          connector.settingsStore.setSetting(SETTING_PROVIDER_HEALTH_MS, String(healthCheckSeconds * 1000))
          connector.providers.healthCheckMs = healthCheckSeconds * 1000
        }
        if (switchBack !== undefined) {
          connector.settingsStore.setSetting(SETTING_PROVIDER_SWITCH_BACK, switchBack ? '1' : '0')
          connector.providers.switchBack = switchBack
        }
      })
      connector.emit('providersChanged')
      return providerSettingsView()
    },

    // ---- not built yet (issue 5): each is replaced by its implementation ----
    async setProviderReceive(input) {
      const { id, receive } = parse('setProviderReceive', input)
      const bind = receive ? { host: receive.host ?? '127.0.0.1', port: receive.port, token: receive.token } : null
      return providerView(await runProviderAsync(() => connector.providers.setReceive(id, bind)))
    },
    async probeRate(input) {
      return probeRate(connector, parse('probeRate', input))
    },

    // ---- peers (peers/peers.ts) ----
    ...peersApi(connector),

    // ---- rates between assets (api-rates.ts) ----
    ...rateMethods(connector, (input) => parse('setRates', input)),

    async diagnostics() {
      return diagnosticsText({
        status: statusView(),
        settings: settingsView(),
        accounts: connector.accounts.size,
        recentPackets: connector.recent.seq,
        secrets: connector.secrets.description ?? connector.secrets.warning,
      })
    },
  }
}

/** Validates `input` with the method's schema; throws ApiError('invalid-input') naming each bad field. */
function parse<M extends keyof ApiSchemas>(method: M, input: unknown): z.output<ApiSchemas[M]> {
  const result = apiSchemas[method].safeParse(input)
  if (result.success) return result.data as z.output<ApiSchemas[M]>
  const issues = result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }))
  const text = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')
  throw new ApiError('invalid-input', `${method}: ${text}`, issues)
}

/** Runs an engine operation, turning the engine's errors into ApiErrors. */
function run<T>(op: () => T): T {
  try {
    return op()
  } catch (err) {
    if (err instanceof AppError) throw new ApiError(err.kind === 'invalid' ? 'invalid-input' : err.kind, err.message)
    if (err instanceof StoreError) throw new ApiError('unavailable', err.message)
    const e = err as { code?: unknown; message?: string }
    if (typeof e?.code === 'string' && e.code.startsWith('SQLITE_')) throw new ApiError('unavailable', `the database could not be written: ${e.message}`)
    throw err
  }
}

function providerError(err: unknown): never {
  if (err instanceof ProviderError) throw new ApiError(err.kind === 'invalid' ? 'invalid-input' : err.kind, err.message)
  throw err
}

function runProvider<T>(op: () => T): T {
  try {
    return run(op)
  } catch (err) {
    return providerError(err)
  }
}

async function runProviderAsync<T>(op: () => Promise<T>): Promise<T> {
  try {
    return await op()
  } catch (err) {
    return providerError(err)
  }
}

/** A provider account's label: its URL with the secret masked. */
function providerLabel(url: string | undefined): string | null {
  return url === undefined ? null : displayLinkUrl(url)
}

/** Where an HTTP provider's packets are received: the bind as stored, and whether the running link listens there. */
function receiveView(row: ProviderRow, link: unknown): ProviderView['receive'] {
  if (!row.receive) return null
  const receiver = link instanceof HttpProviderLink ? link.receiver : undefined
  const bind = formatHostPort(row.receive.host, row.receive.port)
  return { bind, url: `http://${bind}/ilp`, listening: receiver?.listening ?? false, error: receiver?.error ?? null }
}

function flowView(f: Flow): FlowView {
  return { packets: f.packets.toString(), amountApp: f.amountApp.toString(), amountProvider: f.amountProvider.toString() }
}

function totalsView(t: AppTotals): AppTotalsView {
  return { app: t.app, spent: flowView(t.spent), earned: flowView(t.earned) }
}

function budgetView(budget: AppBudget | null): BudgetView | null {
  return budget ? { amount: budget.amount.toString(), period: budget.period } : null
}

function appView(connector: Connector, app: AppState): AppView {
  const account = connector.accounts.get(app.id)
  const spend = app.spend
  let budget: AppView['budget'] = null
  if (app.budget) {
    const period = spend[app.budget.period]
    const left = app.budget.amount - period.spent - spend.inFlight
    budget = {
      amount: app.budget.amount.toString(),
      period: app.budget.period,
      periodStart: period.start,
      periodEnd: period.end,
      spent: period.spent.toString(),
      inFlight: spend.inFlight.toString(),
      remaining: (left > 0n ? left : 0n).toString(),
    }
  }
  return {
    id: app.id,
    displayName: app.displayName,
    status: app.status,
    named: app.named,
    registered: app.tokenHash !== null,
    connected: connector.isAppConnected(app.id),
    address: connector.own.address ? `${connector.own.address}.${account?.segment ?? app.id}` : null,
    createdAt: app.createdAt,
    lastSeenAt: app.lastSeenAt,
    balance: (account?.balance ?? 0n).toString(),
    limits: {
      maxPacketAmount: app.maxPacketAmount === null ? null : app.maxPacketAmount.toString(),
      maxPacketsPerSecond: app.maxPacketsPerSecond,
    },
    budget,
    spent: { day: spend.day.spent.toString(), week: spend.week.spent.toString(), month: spend.month.spent.toString() },
  }
}
