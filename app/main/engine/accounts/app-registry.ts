// The apps Junction knows, and every decision about them: who may connect (the new-app policy, blocked apps,
// registered names), status, display names, budgets and limits, and forgetting. It keeps the apps in memory (the
// budget middleware reads them on every packet) and writes each change through to the apps store at once, so a
// restart keeps everything, including registered apps' token bindings. Connections, accounts and routes belong to
// the connector; the registry asks for what it needs through `AppRegistryHost`.
import { randomBytes } from 'node:crypto'
import type { Logger } from '../log'
import type { AppRow, AppsStore } from '../store/apps-store'
import { type AppDirectory, hashToken, registrableNameProblem, sameTokenHash } from './app-auth'
import { type AppBudget, type AppStatus, formatBudget, NEW_APP_POLICIES, type NewAppPolicy, parseBudget, refusals } from './app-policy'
import { type AppState, newSpend, periodStarts, rollSpend } from './app-state'

/** Unnamed apps (token-derived ids) not seen for this long are forgotten. ilp-plugin makes a new one every run. */
export const DEFAULT_UNNAMED_IDLE_MS = 7 * 24 * 3600 * 1000
/** How often idle unnamed apps are looked for. */
const SWEEP_EVERY_MS = 3600 * 1000

const SETTING_POLICY = 'apps.new_app_policy'
const SETTING_DEFAULT_BUDGET = 'apps.default_budget'

/** Why a registry operation was refused; the API turns `kind` into its error code. */
export class AppError extends Error {
  constructor(
    message: string,
    readonly kind: 'not-found' | 'conflict' | 'invalid',
  ) {
    super(message)
    this.name = 'AppError'
  }
}

export interface AppRegistryHost {
  isConnected(id: string): boolean
  /** Closes the app's connection, telling it why (BTP close reason). */
  disconnect(id: string, reason: string): void
  /** The app was created or changed (status, name, budget, limits): apply it to its account (creating it if needed). */
  updated(app: AppState): void
  /** The app was forgotten: drop its account and route (its balance and ledger stay in the store). */
  forgotten(id: string): void
  /** Why an account of another kind owns this name (an incoming peer connects with its id as username), if one does. */
  nameOwner?(name: string): string | undefined
}

export interface AppRegistryOptions {
  store: AppsStore
  directory: AppDirectory
  host: AppRegistryHost
  log: Logger
  now?: () => number
  /** From a command-line flag: overrides the saved policy for this run (not saved). */
  newApps?: NewAppPolicy
  /** From a command-line flag: overrides the saved default budget for this run (null = none; not saved). */
  defaultBudget?: AppBudget | null
  unnamedIdleMs?: number
}

export interface AppLimitsChange {
  /** undefined leaves it as it is; null removes it (the engine-wide default applies). */
  maxPacketAmount?: bigint | null
  maxPacketsPerSecond?: number | null
}

export class AppRegistry {
  private readonly apps = new Map<string, AppState>()
  private readonly store: AppsStore
  private readonly directory: AppDirectory
  private readonly host: AppRegistryHost
  private readonly log: Logger
  private readonly now: () => number
  private readonly unnamedIdleMs: number
  private policy: NewAppPolicy
  private defaultBudget: AppBudget | null
  private sweepTimer: ReturnType<typeof setInterval> | undefined

  constructor(opts: AppRegistryOptions) {
    this.store = opts.store
    this.directory = opts.directory
    this.host = opts.host
    this.log = opts.log
    this.now = opts.now ?? Date.now
    this.unnamedIdleMs = opts.unnamedIdleMs ?? DEFAULT_UNNAMED_IDLE_MS
    this.policy = opts.newApps ?? this.savedPolicy() ?? 'allow'
    this.defaultBudget = opts.defaultBudget !== undefined ? opts.defaultBudget : this.savedDefaultBudget()

    const t = this.now()
    const starts = periodStarts(t)
    for (const row of this.store.all()) {
      const app: AppState = { ...row, spend: newSpend(t, this.store.spentSince(row.id, starts)) }
      this.apps.set(app.id, app)
      if (app.tokenHash) {
        try {
          this.directory.registerHash(app.id, app.tokenHash)
        } catch (err) {
          this.log.warn(`ignoring the registration of app ${JSON.stringify(app.id)}: ${(err as Error).message}`)
        }
      }
    }
  }

  // ---- reading ----

  list(): AppState[] {
    const t = this.now()
    for (const app of this.apps.values()) rollSpend(app.spend, t)
    return [...this.apps.values()]
  }

  get(id: string): AppState | undefined {
    const app = this.apps.get(id)
    if (app) rollSpend(app.spend, this.now())
    return app
  }

  require(id: string): AppState {
    const app = this.get(id)
    if (!app) throw new AppError(`no app "${id}" in Junction`, 'not-found')
    return app
  }

  get newAppPolicy(): NewAppPolicy {
    return this.policy
  }

  get newAppBudget(): AppBudget | null {
    return this.defaultBudget ? { ...this.defaultBudget } : null
  }

  // ---- connections ----

  /**
   * Called at BTP auth, after the credentials were checked: may this app connect? A new app is created here as the
   * policy says. Returns a refusal (sent to the app as a BTP error) or undefined.
   */
  admit(id: string, named: boolean): string | undefined {
    const known = this.apps.get(id)
    if (known) return known.status === 'blocked' ? refusals.blocked(id) : undefined
    if (this.policy === 'deny') return refusals.denied(id)
    const t = this.now()
    const app = this.create({ id, named, status: this.policy === 'ask' ? 'pending' : 'approved', tokenHash: null, lastSeenAt: t })
    this.writeQuietly(app, `record the new app ${id}`)
    this.log.info(`new app ${id}${named ? '' : ' (unnamed)'}: ${app.status}${app.budget ? `, budget ${formatBudget(app.budget)}` : ''}`)
    this.host.updated(app)
    return undefined
  }

  /** Connected or disconnected: remembered as last seen (not per packet). */
  seen(id: string): void {
    const app = this.apps.get(id)
    if (!app) return
    app.lastSeenAt = this.now()
    try {
      this.store.touch(id, app.lastSeenAt)
    } catch (err) {
      this.log.warn(`could not record when app ${id} was last seen: ${(err as Error).message}`)
    }
  }

  // ---- the user's decisions ----

  approve(id: string): AppState {
    return this.setStatus(id, 'approved')
  }

  /** Blocks the app: it is disconnected now and refused at every later connection until approved again. */
  block(id: string): AppState {
    const app = this.setStatus(id, 'blocked')
    if (this.host.isConnected(id)) this.host.disconnect(id, refusals.blocked(id))
    return app
  }

  rename(id: string, displayName: string | null): AppState {
    const app = this.require(id)
    this.write({ ...app, displayName })
    app.displayName = displayName
    this.host.updated(app)
    return app
  }

  setBudget(id: string, budget: AppBudget | null): AppState {
    const app = this.require(id)
    const next = budget ? { ...budget } : null
    this.write({ ...app, budget: next })
    app.budget = next
    this.host.updated(app)
    return app
  }

  setLimits(id: string, change: AppLimitsChange): AppState {
    const app = this.require(id)
    const maxPacketAmount = change.maxPacketAmount === undefined ? app.maxPacketAmount : change.maxPacketAmount
    const maxPacketsPerSecond = change.maxPacketsPerSecond === undefined ? app.maxPacketsPerSecond : change.maxPacketsPerSecond
    this.write({ ...app, maxPacketAmount, maxPacketsPerSecond })
    app.maxPacketAmount = maxPacketAmount
    app.maxPacketsPerSecond = maxPacketsPerSecond
    this.host.updated(app)
    return app
  }

  /**
   * Forgets the app: disconnects it and deletes its record (name, status, budget, registration). Its balance and
   * ledger stay; if it connects again it is a new app, as the policy says.
   */
  forget(id: string): void {
    const app = this.require(id)
    this.store.delete(id)
    this.apps.delete(id)
    if (app.tokenHash) this.directory.unregister(id)
    this.host.forgotten(id)
    if (this.host.isConnected(id)) this.host.disconnect(id, `app "${id}" was forgotten by Junction; it may connect again as a new app`)
    this.log.info(`forgot app ${id}`)
  }

  /**
   * Registers a named app with a token: the name is then reserved for that token. With `token` undefined a random one
   * is generated. Returns the app and the token (the only time it is visible: only its hash is kept).
   * An app already registered is refused unless `replaceToken`; an app known by name only keeps its books and
   * status (pending becomes approved: registering is the user's approval).
   */
  register(name: string, opts: { token?: string; replaceToken?: boolean; displayName?: string | null } = {}): { app: AppState; token: string } {
    const problem = registrableNameProblem(name)
    if (problem) throw new AppError(`cannot register app ${JSON.stringify(name)}: ${problem}`, 'invalid')
    const owner = this.host.nameOwner?.(name)
    if (owner) throw new AppError(`cannot register app "${name}": ${owner}`, 'invalid')
    if (opts.token !== undefined && opts.token.length === 0) throw new AppError(`cannot register app "${name}": its token is empty`, 'invalid')
    const token = opts.token ?? randomBytes(32).toString('base64url')
    const tokenHash = hashToken(token)
    const existing = this.apps.get(name)
    if (existing?.tokenHash && !opts.replaceToken) {
      throw new AppError(`app "${name}" is already registered; replace its token to get a new one`, 'conflict')
    }
    let app: AppState
    if (existing) {
      const unchanged = existing.tokenHash !== null && sameTokenHash(existing.tokenHash, tokenHash)
      const status: AppStatus = existing.status === 'pending' ? 'approved' : existing.status
      const displayName = opts.displayName !== undefined ? opts.displayName : existing.displayName
      if (!unchanged || status !== existing.status || displayName !== existing.displayName) {
        this.write({ ...existing, tokenHash, status, displayName })
      }
      existing.tokenHash = tokenHash
      existing.status = status
      existing.displayName = displayName
      app = existing
      this.directory.registerHash(name, tokenHash)
      // Its live connection (if any) did not authenticate with this token.
      if (!unchanged && this.host.isConnected(name)) {
        this.host.disconnect(name, `app "${name}" was registered with a new token in Junction; reconnect with it`)
      }
      this.host.updated(app)
    } else {
      app = this.create({ id: name, named: true, status: 'approved', tokenHash, lastSeenAt: null, displayName: opts.displayName ?? null })
      this.write(app)
      this.directory.registerHash(name, tokenHash)
      this.host.updated(app)
    }
    return { app, token }
  }

  setNewAppPolicy(policy: NewAppPolicy): void {
    if (!NEW_APP_POLICIES.includes(policy)) throw new AppError(`unknown new-app policy ${JSON.stringify(policy)}`, 'invalid')
    this.store.setSetting(SETTING_POLICY, policy)
    this.policy = policy
  }

  /** The budget given to apps created from now on (existing apps keep theirs). */
  setDefaultBudget(budget: AppBudget | null): void {
    this.store.setSetting(SETTING_DEFAULT_BUDGET, budget ? formatBudget(budget) : undefined)
    this.defaultBudget = budget ? { ...budget } : null
  }

  // ---- unnamed apps ----

  /**
   * Forgets unnamed apps that are not connected and were last seen (or created) more than the idle time ago.
   * Blocked ones are kept, so a blocked token stays blocked. Returns the ids forgotten.
   */
  forgetIdleUnnamed(): string[] {
    const before = this.now() - this.unnamedIdleMs
    const gone: string[] = []
    for (const app of [...this.apps.values()]) {
      if (app.named || app.status === 'blocked' || this.host.isConnected(app.id)) continue
      if ((app.lastSeenAt ?? app.createdAt) >= before) continue
      try {
        this.forget(app.id)
        gone.push(app.id)
      } catch (err) {
        this.log.warn(`could not forget idle unnamed app ${app.id}: ${(err as Error).message}`)
      }
    }
    if (gone.length > 0) this.log.info(`forgot ${gone.length} unnamed app(s) idle for more than ${Math.round(this.unnamedIdleMs / 3600_000)} h`)
    return gone
  }

  /** Looks for idle unnamed apps now and every hour (the timer does not keep the process alive). */
  startSweeping(): void {
    this.forgetIdleUnnamed()
    clearInterval(this.sweepTimer)
    this.sweepTimer = setInterval(() => this.forgetIdleUnnamed(), Math.min(SWEEP_EVERY_MS, Math.max(1000, this.unnamedIdleMs)))
    this.sweepTimer.unref()
  }

  stopSweeping(): void {
    clearInterval(this.sweepTimer)
    this.sweepTimer = undefined
  }

  // ---- internals ----

  private create(init: Pick<AppRow, 'id' | 'named' | 'status' | 'tokenHash' | 'lastSeenAt'> & { displayName?: string | null }): AppState {
    const t = this.now()
    const app: AppState = {
      id: init.id,
      displayName: init.displayName ?? null,
      status: init.status,
      named: init.named,
      tokenHash: init.tokenHash,
      createdAt: t,
      lastSeenAt: init.lastSeenAt,
      budget: this.defaultBudget ? { ...this.defaultBudget } : null,
      maxPacketAmount: null,
      maxPacketsPerSecond: null,
      // A new id has no ledger rows unless an app of that id was forgotten; its spending this period still counts.
      spend: newSpend(t, this.spentSince(init.id, t)),
    }
    this.apps.set(app.id, app)
    return app
  }

  private spentSince(id: string, t: number) {
    try {
      return this.store.spentSince(id, periodStarts(t))
    } catch (err) {
      this.log.warn(`could not read what app ${id} spent this period (counting from 0): ${(err as Error).message}`)
      return { day: 0n, week: 0n, month: 0n }
    }
  }

  private setStatus(id: string, status: AppStatus): AppState {
    const app = this.require(id)
    if (app.status !== status) {
      this.write({ ...app, status })
      app.status = status
      this.log.info(`app ${id} is now ${status}`)
    }
    this.host.updated(app)
    return app
  }

  /** Writes a row; a store error propagates (the user's action failed and is not applied). */
  private write(row: AppRow): void {
    this.store.put(toRow(row))
  }

  /** Writes a row the engine created by itself; a store error is logged (the app still works this run). */
  private writeQuietly(row: AppRow, what: string): void {
    try {
      this.write(row)
    } catch (err) {
      this.log.error(`could not ${what}: ${(err as Error).message}`)
    }
  }

  private savedPolicy(): NewAppPolicy | undefined {
    const saved = this.readSetting(SETTING_POLICY)
    if (saved === undefined) return undefined
    if ((NEW_APP_POLICIES as readonly string[]).includes(saved)) return saved as NewAppPolicy
    this.log.warn(`ignoring the saved new-app policy ${JSON.stringify(saved)}`)
    return undefined
  }

  private savedDefaultBudget(): AppBudget | null {
    const saved = this.readSetting(SETTING_DEFAULT_BUDGET)
    if (saved === undefined) return null
    try {
      return parseBudget(saved)
    } catch (err) {
      this.log.warn(`ignoring the saved default budget: ${(err as Error).message}`)
      return null
    }
  }

  private readSetting(key: string): string | undefined {
    return this.store.getSetting(key)
  }
}

function toRow(app: AppRow): AppRow {
  return {
    id: app.id,
    displayName: app.displayName,
    status: app.status,
    named: app.named,
    tokenHash: app.tokenHash,
    createdAt: app.createdAt,
    lastSeenAt: app.lastSeenAt,
    budget: app.budget,
    maxPacketAmount: app.maxPacketAmount,
    maxPacketsPerSecond: app.maxPacketsPerSecond,
  }
}
