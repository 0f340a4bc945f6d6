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

/** How Junction reaches a provider or peer: BTP/2.0 over a WebSocket, or ILP-over-HTTP (RFC 35). */
export type LinkTransport = 'btp' | 'http'

/** Where Junction listens for an ILP-over-HTTP provider's (or peer's) packets; without it the link is send-only. */
export interface HttpReceiveView {
  /** host:port Junction binds (loopback unless the user chose otherwise). */
  bind: string
  /** The URL to give the provider as its outgoing URL (http://host:port/ilp). */
  url: string
  /** False while the port could not be bound (then `error` says why). */
  listening: boolean
  error: string | null
}

export interface ProviderView {
  id: string
  name: string
  /** The BTP or HTTP URL with the secret masked. */
  url: string
  transport: LinkTransport
  /** HTTP only: where Junction receives the provider's packets; null = none. */
  receive: HttpReceiveView | null
  /** An HTTP provider with no receive bind: apps can pay through it but cannot be paid. */
  sendOnly: boolean
  enabled: boolean
  active: boolean
  /** The old provider after a switch, kept connected for the grace period. */
  inGrace: boolean
  /** Null when Junction holds no link to it (neither active nor in a grace period). */
  state: ProviderLinkState | null
  /** The address it gave Junction by ILDCP on the last connect; null before. */
  address: string | null
  assetCode: string | null
  assetScale: number | null
  /** The link's last ILDCP round trip, or for a provider without a link its last health check's (ms). */
  latencyMs: number | null
  /** When Junction last checked a provider it holds no link to (connect + ILDCP); null = not checked yet. */
  lastCheckedAt: number | null
  /** Why that check failed; null when it worked or none was made. */
  lastError: string | null
  /** Junction's balance with this provider (its own parent account), base units. */
  balance: string
  /** The parent account this provider's balance is kept under (`parent` for the first provider). */
  accountId: string
  createdAt: number
}

export type ProviderTestView =
  | { ok: true; address: string; assetCode: string; assetScale: number; latencyMs: number }
  | { ok: false; error: string }

/** A rate between two assets, in whole units: 1 `from` = `rate` `to` (before the spread). */
export interface RatePairView {
  from: string
  to: string
  /** A positive decimal, e.g. "0.5" or "2500". */
  rate: string
}

/**
 * The static rate table (rates/rate-table.ts): equal codes convert one to one (scales still apply), and so does every
 * pair while the table is empty; otherwise two assets without a rate are refused (F02).
 */
export interface RatesView {
  /** Kept from every conversion, e.g. "0.005" (0.5 %). */
  spread: string
  pairs: RatePairView[]
}

/** A STREAM exchange-rate probe to a receiver beyond Junction (through the active provider). */
export interface RateProbeView {
  /** The receiver's ILP address (from SPSP, or as given). */
  destination: string
  sourceAsset: { code: string; scale: number }
  /** What the receiver said it takes (STREAM ConnectionAssetDetails); null if it did not say. */
  destinationAsset: { code: string; scale: number } | null
  /** The probed rate: destination base units per source base unit (`delivered` ÷ `sent` of the largest probe). */
  rate: { decimal: string; sent: string; delivered: string }
  /** The largest amount one packet got through the path (F08s lower it); null if not learnt. */
  maxPacketAmount: string | null
  latencyMs: number
}

/** A peer: another connector linked as an equal (CCP routes both ways). */
export interface PeerView {
  id: string
  name: string
  /** The account: `peer:<id>`. */
  accountId: string
  /** Where Junction connects to it (secret masked); null when only the peer connects to Junction. */
  url: string | null
  transport: LinkTransport | null
  /** The peer may connect to Junction's app port as `<id>` with its own token. */
  incoming: boolean
  connected: boolean
  state: ProviderLinkState | null
  assetCode: string
  assetScale: number
  balance: string
  /** Routes it gives us now. */
  routes: number
  createdAt: number
  /** From the config file's `peers` or a --peer flag: stored again at each start, so removing it here lasts one run. */
  fromConfig: boolean
}

export interface ProviderSettingsView {
  /** How long the old provider stays connected after a switch. */
  graceSeconds: number
  /** How long the active provider may be unreachable before Junction fails over (0 = never). */
  failoverSeconds: number
  /** How often providers Junction holds no link to are checked (connect + ILDCP; 0 = never). */
  healthCheckSeconds: number
  /** After a failover, go back to the provider it left as soon as a health check finds it reachable again. */
  switchBack: boolean
}

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
    /** The name the user gave the provider; null in local mode. */
    name: string | null
    /** The provider's URL with the secret masked. */
    url: string | null
    state: ProviderLinkState | null
    /** Junction's balance with the provider (positive = the provider owes Junction); null in local mode. */
    balance: string | null
    /** The provider account's limits; null = none on that side. */
    minBalance: string | null
    maxBalance: string | null
    /** Round trip of the last ILDCP request to the provider (ms); null before the first. */
    latencyMs: number | null
  }
  newAppPolicy: NewAppPolicy
  defaultBudget: BudgetView | null
  apps: { total: number; connected: number; pending: number }
  /** Paused by the user: every app's packets are refused (T03) until resumed; survives a restart. */
  paused: boolean
}

/** An account of this node: an app (child), the provider (parent) or a peer, with its balance against its limits. */
export interface AccountView {
  id: string
  relation: 'parent' | 'child' | 'peer'
  /** For apps: the display name, or null. For the provider: its masked URL. */
  label: string | null
  /** The link: for the provider its state; for apps connected/disconnected. */
  link: 'connected' | 'connecting' | 'waiting' | 'disconnected'
  /** Junction's view: positive = the counterparty owes Junction. */
  balance: string
  /** null = no limit on that side. */
  minBalance: string | null
  maxBalance: string | null
  /** Packets through this account since start, both directions. */
  packets: { fulfilled: number; rejected: number }
}

/** A route of the routing table. */
export interface RouteView {
  prefix: string
  /** The account packets for this prefix go to. */
  nextHop: string
  source: 'configured' | 'local' | 'child' | 'peer' | 'parent'
  /** The ILP addresses of connectors on the way (CCP); empty for local and configured routes. */
  path: string[]
  /** Unix ms; null = never expires. */
  expiresAt: number | null
}

/** One packet as the Activity page lists it (kept in a bounded ring in the engine). */
export interface PacketView {
  /** Increasing per start, for keys and "since" queries. */
  seq: number
  /** When the reply came, Unix ms. */
  time: number
  /** The app (account id) that sent it, or that it was for; 'parent' when neither end is an app. */
  app: string
  /** out = the app paid (it sent the prepare); in = the app was paid. */
  direction: 'out' | 'in'
  destination: string
  /** In the app's units. */
  amount: string
  /** 'fulfilled', or the reject's code (F02, T04, ...). */
  result: string
  /** The reject's message; '' for fulfills. */
  message: string
}

/** Live traffic, pushed about once a second. */
export interface TrafficView {
  /** Packets answered (fulfilled + rejected) per second over the last few seconds. */
  packetsPerSecond: number
  fulfilledPerSecond: number
}

/** Settings the Settings page edits; shell-only ones are null in headless mode. */
export interface SettingsView {
  dataFolder: string | null
  appPort: number
  uiPort: number | null
  newAppPolicy: NewAppPolicy
  defaultBudget: BudgetView | null
  /** Browser origins allowed to open the app port (e.g. https://example.com). */
  allowedOrigins: string[]
  logLevel: LogLevel
  /** Where the rotated log file is; null if none. */
  logFile: string | null
  /** Desktop app only (null in headless mode). */
  startAtLogin: boolean | null
  closeToTray: boolean | null
  /** 'electron' or 'headless': what runs this engine. */
  shell: 'electron' | 'headless'
}

export type LogLevel = 'error' | 'warn' | 'info' | 'debug'

/** One entry of the per-app spend chart: every app's spend in one bucket. */
export interface SpendPointView {
  start: number
  resolution: SeriesResolution
  /** app id → amount spent (app units), only apps with spend in the bucket. */
  spent: Record<string, string>
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

/**
 * A quote for Junction's hop to a destination (ILQP by-source / by-destination): amounts in base units as decimal
 * strings. The curve is the hop's liquidity curve: destination amount for each source amount, rounded down.
 */
export interface QuoteView {
  destination: string
  /** The route the router would take: the matching prefix and the next hop's account. */
  route: { prefix: string; nextHop: string; relation: 'parent' | 'child' | 'peer'; source: string }
  /** True when the next hop is a provider or peer: hops beyond it convert and limit on their own. */
  beyondJunction: boolean
  sourceAsset: { code: string; scale: number }
  destinationAsset: { code: string; scale: number }
  /** destination = floor(source × numerator / denominator); decimal is for reading (rounded down). */
  rate: { numerator: string; denominator: string; decimal: string }
  /** The largest source amount one packet may carry, and what sets it. */
  maxPacketAmount: string
  limitedBy: 'max-packet-amount' | 'throughput' | 'uint64'
  /** Points [source, destination]; base64 is the seed-002 binary form (16 bytes a point, no count). */
  curve: { points: [string, string][]; base64: string }
  sourceAmount: string | null
  destinationAmount: string | null
  /** Set when the amount asked for cannot go in one packet (a packet would be rejected with this code). */
  failure: { code: 'F08'; message: string } | null
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
  /** Every app's spend per bucket, for the stacked chart. */
  ledgerSpendSeries(input: ApiInput<'ledgerSpendSeries'>): Promise<SpendPointView[]>
  /** Top destinations over all apps (or one app with id). */
  ledgerDestinations(input: ApiInput<'ledgerDestinations'>): Promise<DestinationView[]>

  // ---- node state ----
  listAccounts(): Promise<AccountView[]>
  listRoutes(): Promise<RouteView[]>
  /** The liquidity curve of Junction's hop to a destination, and the amount on the other side (ILQP semantics). */
  quote(input: ApiInput<'quote'>): Promise<QuoteView>
  /** The newest packets (at most `limit`, default 200, newest first), from a ring of the last 1000. */
  recentPackets(input: ApiInput<'recentPackets'>): Promise<PacketView[]>
  /** Refuse every app's packets (T03 "Junction is paused") until resumed; kept across restarts. */
  pause(): Promise<{ paused: boolean }>
  resume(): Promise<{ paused: boolean }>
  getSettings(): Promise<SettingsView>
  /** Changes the given settings only; shell-only ones are refused in headless mode. */
  setSettings(input: ApiInput<'setSettings'>): Promise<SettingsView>
  /** Versions, settings without secrets, recent warnings and errors: text to paste into a bug report. */
  diagnostics(): Promise<string>

  // ---- providers (ILSPs): several stored, one active; views never carry a secret ----
  listProviders(): Promise<ProviderView[]>
  addProvider(input: ApiInput<'addProvider'>): Promise<ProviderView>
  /** Connect + ILDCP round trip to a stored provider or a URL; never changes the active one. */
  testProvider(input: ApiInput<'testProvider'>): Promise<ProviderTestView>
  /** Live switch: connects, fetches the address, moves the default route, makes apps reconnect. */
  activateProvider(input: ApiInput<'activateProvider'>): Promise<ProviderView>
  /** The failover order: the given ids first, in this order. */
  setProviderOrder(input: ApiInput<'setProviderOrder'>): Promise<ProviderView[]>
  enableProvider(input: ApiInput<'enableProvider'>): Promise<ProviderView>
  disableProvider(input: ApiInput<'disableProvider'>): Promise<ProviderView>
  /**
   * Renames a provider, or gives it its URL with a new secret (the ILSP rotated it, or it was lost): same place and
   * account only. Its link reconnects with the new secret; the active one stays active.
   */
  updateProvider(input: ApiInput<'updateProvider'>): Promise<ProviderView>
  /** Not the active one. Junction's balance with it stays in the database. */
  removeProvider(input: ApiInput<'removeProvider'>): Promise<void>
  getProviderSettings(): Promise<ProviderSettingsView>
  setProviderSettings(input: ApiInput<'setProviderSettings'>): Promise<ProviderSettingsView>
  /** HTTP providers: set or clear where Junction receives the provider's packets (null = send-only). */
  setProviderReceive(input: ApiInput<'setProviderReceive'>): Promise<ProviderView>

  // ---- rates between assets ----
  getRates(): Promise<RatesView>
  /** Replaces the given parts (spread, pairs); quotes and forwarding use the new table at once. */
  setRates(input: ApiInput<'setRates'>): Promise<RatesView>
  /** STREAM exchange-rate probe to a receiver beyond the provider (payment pointer, or address + shared secret). */
  probeRate(input: ApiInput<'probeRate'>): Promise<RateProbeView>

  // ---- peers (other connectors), stored; views never carry a secret ----
  listPeers(): Promise<PeerView[]>
  addPeer(input: ApiInput<'addPeer'>): Promise<PeerView>
  /** Changes a peer's name, URL or incoming token in place: its account, balance and routes stay. */
  updatePeer(input: ApiInput<'updatePeer'>): Promise<PeerView>
  /** Disconnects it and drops its routes; its balance stays in the database. */
  removePeer(input: ApiInput<'removePeer'>): Promise<void>
  // Restore replaces the database file and needs the engine stopped: it is a shell action (store/backup.ts
  // restoreDatabase), not a method of the running engine's API.
}
