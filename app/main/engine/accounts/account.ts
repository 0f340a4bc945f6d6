// An account: one counterparty of this node (an app, the provider, a peer), its link, its limits and its balance.
// Balances are from Junction's view, as ilp-connector defines them: positive = the counterparty owes Junction.
import type { PacketLink } from '../btp/btp-session'
import type { AppState } from './app-state'

export type Relation = 'parent' | 'child' | 'peer'

export interface RateLimit {
  /** Bucket size in packets. */
  capacity: number
  /** Packets added to the bucket per second. */
  refillPerSecond: number
}

export interface AccountLimits {
  /** Largest amount one incoming prepare may carry (F08 above it). */
  maxPacketAmount?: bigint
  /** Incoming packets per second (T05 above it). */
  rateLimit?: RateLimit
  /** Incoming amount per second, in this account's units (T04 above it). */
  throughputPerSecond?: bigint
  /** The balance may not rise above this (incoming packets are refused, T04). */
  maximumBalance?: bigint
  /** The balance may not fall below this (outgoing packets are refused before forwarding, T04). */
  minimumBalance?: bigint
}

/** Per-account traffic counters kept by the stats middleware. */
export interface AccountStats {
  preparesIn: number
  fulfilledIn: number
  rejectedIn: number
  amountIn: bigint
  preparesOut: number
  fulfilledOut: number
  rejectedOut: number
  amountOut: bigint
  rejectsByCode: Map<string, number>
}

export function newStats(): AccountStats {
  return {
    preparesIn: 0,
    fulfilledIn: 0,
    rejectedIn: 0,
    amountIn: 0n,
    preparesOut: 0,
    fulfilledOut: 0,
    rejectedOut: 0,
    amountOut: 0n,
    rejectsByCode: new Map(),
  }
}

export interface Account {
  /** Stable id: the app's username, a token-derived id, or `parent`. */
  readonly id: string
  readonly relation: Relation
  /** For children: the segment appended to Junction's address. */
  readonly segment?: string
  assetCode: string
  assetScale: number
  limits: AccountLimits
  link: PacketLink | undefined
  /** Committed balance: only fulfilled packets move it. */
  balance: bigint
  /** Sum of incoming prepares in flight (would raise the balance if fulfilled). */
  pendingIncoming: bigint
  /** Sum of outgoing prepares in flight (would lower the balance if fulfilled). */
  pendingOutgoing: bigint
  readonly stats: AccountStats
  /** For an app: its status, budget and spending (read by the budget middleware, changed by the app registry). */
  app?: AppState
  /**
   * Junction's own internal account (the STREAM rate probe, probe/probe-account.ts): never an app, kept out of the
   * per-app ledger and the Activity list.
   */
  internal?: boolean
  /** Per-middleware state (token buckets), owned by the middleware that created it. */
  rateBucket?: { tokens: number; updatedAt: number }
  throughputBucket?: { tokens: bigint; updatedAt: number }
}

export function createAccount(init: {
  id: string
  relation: Relation
  segment?: string
  assetCode: string
  assetScale: number
  limits?: AccountLimits
  balance?: bigint
}): Account {
  return {
    id: init.id,
    relation: init.relation,
    segment: init.segment,
    assetCode: init.assetCode,
    assetScale: init.assetScale,
    limits: init.limits ?? {},
    link: undefined,
    balance: init.balance ?? 0n,
    pendingIncoming: 0n,
    pendingOutgoing: 0n,
    stats: newStats(),
  }
}
