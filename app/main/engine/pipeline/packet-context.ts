// The state of one prepare on its way through Junction, and the shape of a middleware.
// A middleware has up to three small synchronous hooks; the pipeline (packet-pipeline.ts) runs them in the order
// the chain (chain.ts) gives, then forwards the packet, then runs the reply hooks in reverse order.
import type { Account } from '../accounts/account'
import type { IlpFailure } from '../ilp/ilp-failure'
import type { Prepare, Reply } from '../ilp/packets'

/** Returned by a hook that has taken the packet over and will settle it itself (see `PacketContext.settle`). */
export const DEFERRED = Symbol('deferred')

/** A hook either lets the packet go on (undefined), rejects it, answers it, or defers the answer. */
export type HookResult = IlpFailure | Reply | typeof DEFERRED | undefined

export interface PacketContext {
  readonly from: Account
  readonly prepare: Prepare
  /** The raw incoming prepare, as received. */
  readonly raw: Buffer
  readonly receivedAt: number
  /** Set by the router: the next hop, and what it gets. */
  to: Account | undefined
  outAmount: bigint
  outExpiresAt: number
  /** Request id on the next hop's link while the packet is out there. */
  outRequestId: number
  /** Balance middleware: what it holds for this packet, released on the reply. */
  heldIncoming: boolean
  heldOutgoing: boolean
  /** Budget middleware: the amount counts as the app's spending in flight, released on the reply. */
  budgetHeld: boolean
  /** Deduplicate middleware: the cache entry that copies of this packet wait on. */
  duplicateOf: unknown
  /** Expire middleware: the timer that rejects at expiry. */
  expiryTimer: ReturnType<typeof setTimeout> | undefined
  /** True once a reply has been chosen; later replies (a late fulfill after R00) are ignored. */
  done: boolean
  /** Answers the packet (runs the reply hooks, then sends the reply back). Safe to call more than once. */
  settle(reply: Reply): void
}

export interface Middleware {
  readonly name: string
  /** A prepare from `ctx.from`, before routing. */
  incoming?(ctx: PacketContext): HookResult
  /** After routing: the prepare is about to go to `ctx.to` with `ctx.outAmount`. */
  outgoing?(ctx: PacketContext): IlpFailure | undefined
  /**
   * The reply on its way back, for every middleware whose incoming hook was reached, last first. A hook may replace
   * the reply (a fulfill that fails validation becomes a reject); it must not throw for ordinary outcomes.
   */
  reply?(ctx: PacketContext, reply: Reply): Reply
}
