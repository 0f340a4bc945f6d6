// The engine API contract: what the desktop UI (over IPC) and headless mode (over a loopback WebSocket) can ask the
// engine, and the shapes of its answers. Pure types and one error class; both processes import this file.
// Every answer is plain JSON: amounts are decimal strings of base units (the asset's smallest unit; the UI formats
// them with `assetScale`), times are Unix milliseconds.
import type { ApiInput } from './api-schemas'

export type NewAppPolicy = 'allow' | 'ask' | 'deny'
export type AppStatus = 'pending' | 'approved' | 'blocked'
export type BudgetPeriod = 'day' | 'week' | 'month'

export interface BudgetView {
  amount: string
  period: BudgetPeriod
}

export interface AppBudgetView extends BudgetView {
  /** The current calendar period (local time): [periodStart, periodEnd). */
  periodStart: number
  periodEnd: number
  /** Fulfilled this period. */
  spent: string
  /** Sent and not yet answered: counts against the budget until rejected. */
  inFlight: string
  /** amount − spent − inFlight, never below 0. */
  remaining: string
}

export interface AppView {
  /** The account id: the BTP username, or for unnamed apps base64url(sha256(token)). Also its address segment. */
  id: string
  /** The name the user gave it; null = none (show the id, or "unnamed app" for unnamed ones). */
  displayName: string | null
  status: AppStatus
  /** False for unnamed apps (empty BTP username, ilp-plugin's default): group them, they are a new app every run. */
  named: boolean
  /** Registered apps have a token bound to their name. */
  registered: boolean
  connected: boolean
  /** Its ILP address, once Junction has one. */
  address: string | null
  createdAt: number
  lastSeenAt: number | null
  /** Junction's view: positive = the app owes Junction (what it spent beyond what it earned). */
  balance: string
  limits: {
    /** null = Junction's default for apps applies. */
    maxPacketAmount: string | null
    maxPacketsPerSecond: number | null
  }
  budget: AppBudgetView | null
  /** Fulfilled this local day, week (from Monday) and month. */
  spent: { day: string; week: string; month: string }
}

/** The provider link, as the status strip shows it. */
export type ProviderLinkState =
  | { state: 'connecting'; attempt: number }
  | { state: 'connected'; since: number }
  | { state: 'waiting'; retryAt: number; lastError: string }
  | { state: 'stopped' }

export interface StatusView {
  /** Junction's own ILP address; null until the provider has answered. */
  address: string | null
  assetCode: string
  assetScale: number
  /** Where apps connect: `btp+ws://<name>:<token>@localhost:<port>`. */
  appPort: number
  provider: {
    /** False in local mode (no provider). */
    configured: boolean
    /** The provider's URL with the secret masked. */
    url: string | null
    state: ProviderLinkState | null
  }
  newAppPolicy: NewAppPolicy
  defaultBudget: BudgetView | null
  apps: { total: number; connected: number; pending: number }
}

export interface RegisteredAppView {
  app: AppView
  /** Shown once: only its hash is kept. */
  token: string
  /** The URL to give the app. */
  url: string
}

export type ApiErrorCode =
  /** The input failed validation: `issues` says which field and why. */
  | 'invalid-input'
  | 'not-found'
  /** The request conflicts with the current state (e.g. registering a name that is already registered). */
  | 'conflict'
  /** The engine cannot do it now (e.g. the database cannot be written); the message says why. */
  | 'unavailable'
  /** Not built yet in this version. */
  | 'not-implemented'

export interface ApiIssue {
  /** Dotted path of the field, '' for the input as a whole. */
  path: string
  message: string
}

/** Packets and amounts in one direction: in the app's units and in the provider's (the other side of the hop). */
export interface FlowView {
  packets: string
  amountApp: string
  amountProvider: string
}

export interface AppTotalsView {
  app: string
  spent: FlowView
  earned: FlowView
}

export type SeriesResolution = 'minute' | 'hour' | 'day'

export interface SeriesPointView {
  /** The bucket's start, Unix ms. */
  start: number
  /** What the point covers: the resolution asked for, or a coarser one where only that is kept (older history). */
  resolution: SeriesResolution
  spent: FlowView
  earned: FlowView
}

export interface DestinationView {
  /** The first segments of the destination addresses, e.g. `g.ilsp.merchant`. */
  prefix: string
  packets: string
  amountApp: string
  amountProvider: string
}

export interface RejectCountView {
  app: string
  code: string
  packets: string
}

export interface BackupView {
  file: string
  bytes: number
  schemaVersion: number
}

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly issues: ApiIssue[] = [],
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

/** The engine API: one object, every method async, every input validated. */
export interface JunctionApi {
  status(): Promise<StatusView>

  // ---- apps ----
  listApps(): Promise<AppView[]>
  getApp(input: ApiInput<'getApp'>): Promise<AppView>
  approveApp(input: ApiInput<'approveApp'>): Promise<AppView>
  /** Blocks and disconnects the app; it is refused at every connection until approved again. */
  blockApp(input: ApiInput<'blockApp'>): Promise<AppView>
  /** Changes the display name only; the app's id and address stay. */
  renameApp(input: ApiInput<'renameApp'>): Promise<AppView>
  /** Disconnects the app and deletes its record; its balance and ledger stay. */
  forgetApp(input: ApiInput<'forgetApp'>): Promise<void>
  setAppBudget(input: ApiInput<'setAppBudget'>): Promise<AppView>
  setAppLimits(input: ApiInput<'setAppLimits'>): Promise<AppView>
  /** Reserves a name for a generated token, returned once. */
  registerApp(input: ApiInput<'registerApp'>): Promise<RegisteredAppView>

  // ---- new apps ----
  getNewAppPolicy(): Promise<NewAppPolicy>
  setNewAppPolicy(input: ApiInput<'setNewAppPolicy'>): Promise<NewAppPolicy>
  getDefaultBudget(): Promise<BudgetView | null>
  setDefaultBudget(input: ApiInput<'setDefaultBudget'>): Promise<BudgetView | null>

  // ---- the per-app ledger (ranges are [from, to) in Unix ms; 'unavailable' without a database) ----
  /** Spent and earned per app over the range (apps with ledger rows in it, forgotten ones included). */
  ledgerTotals(input: ApiInput<'ledgerTotals'>): Promise<AppTotalsView[]>
  ledgerAppTotals(input: ApiInput<'ledgerAppTotals'>): Promise<AppTotalsView>
  /** One app's chart: a point per bucket with data. */
  ledgerSeries(input: ApiInput<'ledgerSeries'>): Promise<SeriesPointView[]>
  /** Where one app's money went: the destination prefixes it spent most on (default 10). */
  ledgerTopDestinations(input: ApiInput<'ledgerTopDestinations'>): Promise<DestinationView[]>
  ledgerRejects(input: ApiInput<'ledgerRejects'>): Promise<RejectCountView[]>
  /** The ledger rows of the range as CSV text (RFC 4180), for the shell to save where the user chooses. */
  exportLedgerCsv(input: ApiInput<'exportLedgerCsv'>): Promise<string>
  /** An online backup into the data folder's `backups/` (never a path from the caller). */
  backupDatabase(): Promise<BackupView>
  // Restore replaces the database file and needs the engine stopped: it is a shell action (store/backup.ts
  // restoreDatabase), not a method of the running engine's API.
}
