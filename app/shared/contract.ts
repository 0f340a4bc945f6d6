// The UI contract as data: every engine API method with the schema of its argument, and every event the UI
// subscribes to with the type of its payload. Main registers its handlers from this object (api-server.ts, and the
// Electron IPC later) and the UI generates its client from it: the list of names is written once, here.
// Result types come from JunctionApi (api-types.ts); `satisfies` below keeps the two in step at compile time.
import { z } from 'zod'
import { apiSchemas } from './api-schemas'
import type { ApiErrorCode, ApiIssue, JunctionApi, PacketView, ProviderLinkState, RatesView, SettingsView, TrafficView } from './api-types'

/** The argument of a method that takes none: nothing, or an empty object. */
const noInput = z
  .strictObject(
    {},
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `this method takes no arguments (got ${issue.keys.map((k) => JSON.stringify(k)).join(', ')})`
          : issue.code === 'invalid_type'
            ? 'this method takes no arguments (omit params, or pass {})'
            : undefined,
    },
  )
  .optional()

/** Method name → schema of its one argument. */
export const methods = {
  status: noInput,
  listApps: noInput,
  getApp: apiSchemas.getApp,
  approveApp: apiSchemas.approveApp,
  blockApp: apiSchemas.blockApp,
  renameApp: apiSchemas.renameApp,
  forgetApp: apiSchemas.forgetApp,
  setAppBudget: apiSchemas.setAppBudget,
  setAppLimits: apiSchemas.setAppLimits,
  registerApp: apiSchemas.registerApp,
  getNewAppPolicy: noInput,
  setNewAppPolicy: apiSchemas.setNewAppPolicy,
  getDefaultBudget: noInput,
  setDefaultBudget: apiSchemas.setDefaultBudget,
  ledgerTotals: apiSchemas.ledgerTotals,
  ledgerAppTotals: apiSchemas.ledgerAppTotals,
  ledgerSeries: apiSchemas.ledgerSeries,
  ledgerTopDestinations: apiSchemas.ledgerTopDestinations,
  ledgerRejects: apiSchemas.ledgerRejects,
  exportLedgerCsv: apiSchemas.exportLedgerCsv,
  backupDatabase: noInput,
  ledgerSpendSeries: apiSchemas.ledgerSpendSeries,
  ledgerDestinations: apiSchemas.ledgerDestinations,
  listAccounts: noInput,
  listRoutes: noInput,
  recentPackets: apiSchemas.recentPackets,
  quote: apiSchemas.quote,
  pause: noInput,
  resume: noInput,
  getSettings: noInput,
  setSettings: apiSchemas.setSettings,
  diagnostics: noInput,
  listProviders: noInput,
  addProvider: apiSchemas.addProvider,
  testProvider: apiSchemas.testProvider,
  activateProvider: apiSchemas.activateProvider,
  setProviderOrder: apiSchemas.setProviderOrder,
  enableProvider: apiSchemas.enableProvider,
  disableProvider: apiSchemas.disableProvider,
  updateProvider: apiSchemas.updateProvider,
  removeProvider: apiSchemas.removeProvider,
  getProviderSettings: noInput,
  setProviderSettings: apiSchemas.setProviderSettings,
  setProviderReceive: apiSchemas.setProviderReceive,
  getRates: noInput,
  setRates: apiSchemas.setRates,
  probeRate: apiSchemas.probeRate,
  listPeers: noInput,
  addPeer: apiSchemas.addPeer,
  updatePeer: apiSchemas.updatePeer,
  removePeer: apiSchemas.removePeer,
} as const satisfies { [M in keyof JunctionApi]: z.ZodType }

export type MethodName = keyof typeof methods
export type MethodParams<M extends MethodName> = z.input<(typeof methods)[M]>
export type MethodResult<M extends MethodName> = Awaited<ReturnType<JunctionApi[M]>>

/** An event's payload type, carried as a type only (the value is an empty marker). */
export interface EventSpec<T> {
  readonly _payload?: T
}
const event = <T>(): EventSpec<T> => ({})

/** Event name → payload. Events about one app carry its `id`; they are throttled per app (see app/main/contract-events.ts). */
export const events = {
  /** Own ILP address set or changed. */
  address: event<{ address: string }>(),
  /** Provider link state changed. */
  provider: event<ProviderLinkState>(),
  appConnected: event<{ id: string }>(),
  appDisconnected: event<{ id: string }>(),
  /** An app was created, or its status, name, budget or limits changed: fetch it again with getApp. */
  appChanged: event<{ id: string }>(),
  appForgotten: event<{ id: string }>(),
  /** Packets answered since the last event (batched: at most ~10 events/s), oldest first. */
  packets: event<PacketView[]>(),
  /** Live traffic, about once a second while anything moves (and one zero after it stops). */
  traffic: event<TrafficView>(),
  /** Paused or resumed. */
  paused: event<{ paused: boolean }>(),
  /** The routing table changed: fetch it again with listRoutes. */
  routesChanged: event<Record<string, never>>(),
  /** An app reached 80 % of its budget, or its whole budget (kind says which). */
  budgetWarning: event<{ id: string; kind: 'near' | 'reached' }>(),
  /** Settings changed (from another window or the tray). */
  settingsChanged: event<SettingsView>(),
  /** The providers changed (added, removed, order, enabled, active, link state): fetch them again with listProviders. */
  providersChanged: event<Record<string, never>>(),
  /** Junction failed over from one provider to another (ids) because the active one stayed unreachable. */
  providerFailover: event<{ from: string; to: string; reason: string }>(),
  /** The peers changed (added, removed, connected, disconnected): fetch them again with listPeers. */
  peersChanged: event<Record<string, never>>(),
  /** The rate table or spread changed. */
  ratesChanged: event<RatesView>(),
}

export type EventName = keyof typeof events
export type EventPayload<E extends EventName> = (typeof events)[E] extends EventSpec<infer T> ? T : never

export const contract = { methods, events } as const

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(methods, name)
}

// ---- the wire (UI/API wire format in the README) ----

/** Error codes on the wire: the engine's, and the transport's own. */
export type WireErrorCode = ApiErrorCode | 'unknown-method' | 'bad-request' | 'internal'

export interface WireError {
  code: WireErrorCode
  message: string
  /** For invalid-input: which field and why. */
  issues?: ApiIssue[]
}

export type WireRequest = { id: number | string; method: string; params?: unknown }
export type WireResponse = { id: number | string | null; result: unknown } | { id: number | string | null; error: WireError }
export type WireEvent<E extends EventName = EventName> = { event: E; data: EventPayload<E> }

/** Checks a method's argument against the contract; returns the problems, each naming its field, or null. */
export function checkParams(method: MethodName, params: unknown): ApiIssue[] | null {
  const result = methods[method].safeParse(params)
  if (result.success) return null
  return result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }))
}

/** JSON with bigint values as decimal strings. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))
}
