// The engine's configuration: what the headless flags and (later) the desktop settings produce, with defaults.
import { isIPv4 } from 'node:net'
import type { AccountLimits } from './accounts/account'
import { type AppBudget, MAX_STORED_AMOUNT, NEW_APP_POLICIES, type NewAppPolicy } from './accounts/app-policy'
import { DEFAULT_UNNAMED_IDLE_MS } from './accounts/app-registry'
import { isValidIlpAddress } from '../../shared/ilp-address'
import { parseSpread } from './rates/decimal'
import { checkRateTable, type RatePair } from './rates/rate-table'
import { parseLinkUrl } from './links/link-url'
import { checkPeerConfig, type PeerConfig } from './peers/peer-config'

export interface EngineConfig {
  /** App port (BTP server); 0 picks a free one. */
  port: number
  /** Loopback addresses to listen on. */
  hosts: string[]
  /** Provider BTP URL; undefined = local mode. */
  parent?: string
  /** Own address and asset in local mode (ignored with a provider, which assigns both). */
  address: string
  assetCode: string
  assetScale: number
  spread: string
  /** Rates between assets (1 whole `from` = `rate` whole `to`) used until the user saves a table in the settings. */
  rates: RatePair[]
  /** Browser origins allowed to open the app port (WebSocket upgrades with any other Origin are refused). */
  allowOrigins: string[]
  /** Registered apps: their username is reserved for their token. */
  apps: Array<{ name: string; token: string }>
  /** New-app policy for this run; undefined = the one saved from the UI (default allow). */
  newApps?: NewAppPolicy
  /** Budget given to new apps for this run (null = none); undefined = the one saved from the UI (default none). */
  defaultBudget?: AppBudget | null
  /** Unnamed apps (empty BTP username) not connected for this long are forgotten (ms; default 7 days). */
  unnamedAppIdleMs: number
  /** Peers: other connectors Junction links to as a BTP client, each its own account `peer:<id>`, routes by CCP. */
  peers: PeerConfig[]
  /** CCP with peers: heartbeat interval and the hold-down time sent with our routes (ms; ilp-connector: 30 s, 45 s). */
  ccp: { broadcastIntervalMs: number; routeExpiryMs: number }
  /** Static routes: prefix → account id (`parent`, an app's name or `peer:<id>`). */
  routes: Array<{ prefix: string; accountId: string }>
  /** Limits applied to every app account unless set per app. */
  childLimits: AccountLimits
  /** Limits on the provider account. */
  parentLimits: AccountLimits
  minMessageWindowMs: number
  maxHoldTimeMs: number
  deduplicate: { maxEntries: number; maxAgeMs: number }
  reconnect: { initialMs: number; maxMs: number }
  /** An app connection that has not authenticated by then is closed (ms). */
  authTimeoutMs: number
}

export const DEFAULT_PORT = 7768

export function defaultConfig(): EngineConfig {
  return {
    port: DEFAULT_PORT,
    hosts: ['127.0.0.1', '::1'],
    address: 'private.junction',
    assetCode: 'XRP',
    assetScale: 9,
    spread: '0',
    rates: [],
    allowOrigins: [],
    apps: [],
    unnamedAppIdleMs: DEFAULT_UNNAMED_IDLE_MS,
    peers: [],
    ccp: { broadcastIntervalMs: 30_000, routeExpiryMs: 45_000 },
    routes: [],
    childLimits: {},
    parentLimits: {},
    minMessageWindowMs: 1000,
    maxHoldTimeMs: 30_000,
    deduplicate: { maxEntries: 20_000, maxAgeMs: 30_000 },
    reconnect: { initialMs: 500, maxMs: 30_000 },
    authTimeoutMs: 10_000,
  }
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost'])

/** Fills defaults and checks everything; throws an Error whose message says what to fix. */
export function resolveConfig(partial: Partial<EngineConfig>): EngineConfig {
  // A field given as undefined means "not set": it must not hide the default.
  const given = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined)) as Partial<EngineConfig>
  const c: EngineConfig = { ...defaultConfig(), ...given }
  if (!Number.isInteger(c.port) || c.port < 0 || c.port > 65535) throw new Error(`invalid port ${c.port}: expected 0–65535`)
  for (const h of c.hosts) {
    // 127.0.0.0/8 as an IPv4 literal only: a host name such as 127.example.com resolves to anything.
    if (!LOOPBACK.has(h) && !(isIPv4(h) && h.startsWith('127.'))) throw new Error(`refusing to listen on ${h}: the app port is loopback-only`)
  }
  if (!isValidIlpAddress(c.address)) throw new Error(`invalid address ${JSON.stringify(c.address)}: expected an ILP address such as private.junction`)
  if (!/^[\x21-\x7e]{1,16}$/.test(c.assetCode)) throw new Error(`invalid asset code ${JSON.stringify(c.assetCode)}: 1–16 printable characters`)
  if (!Number.isInteger(c.assetScale) || c.assetScale < 0 || c.assetScale > 255) throw new Error(`invalid asset scale ${c.assetScale}: expected 0–255`)
  parseSpread(c.spread)
  try {
    checkRateTable({ spread: c.spread, pairs: c.rates })
  } catch (err) {
    throw new Error(`invalid rates: ${(err as Error).message}`)
  }
  if (c.parent !== undefined) parseLinkUrl(c.parent)
  checkPeerConfig(c.peers)
  if (!(c.ccp.broadcastIntervalMs > 0) || !(c.ccp.routeExpiryMs > 0) || c.ccp.routeExpiryMs > 0xffffffff) {
    throw new Error('ccp.broadcastIntervalMs and ccp.routeExpiryMs must be positive (the expiry at most 2^32-1 ms)')
  }
  for (const o of c.allowOrigins) {
    if (!/^[a-z][a-z0-9+.-]*:\/\/[^/]+$/i.test(o.replace(/\/+$/, '')) && o !== 'null') {
      throw new Error(`invalid origin ${JSON.stringify(o)}: expected scheme://host[:port], e.g. https://example.com`)
    }
  }
  if (c.newApps !== undefined && !NEW_APP_POLICIES.includes(c.newApps)) {
    throw new Error(`invalid new-app policy ${JSON.stringify(c.newApps)}: expected allow, ask or deny`)
  }
  if (c.defaultBudget) {
    const { amount, period } = c.defaultBudget
    if (amount < 0n || amount > MAX_STORED_AMOUNT || !['day', 'week', 'month'].includes(period)) {
      throw new Error(`invalid default budget ${amount}/${period}: expected 0–${MAX_STORED_AMOUNT} base units per day, week or month`)
    }
  }
  if (!(c.unnamedAppIdleMs > 0)) throw new Error('unnamedAppIdleMs must be positive')
  if (c.minMessageWindowMs < 0 || c.maxHoldTimeMs <= c.minMessageWindowMs) throw new Error('maxHoldTimeMs must exceed minMessageWindowMs')
  return c
}
