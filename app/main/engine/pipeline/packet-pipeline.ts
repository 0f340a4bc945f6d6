// The packet's way through Junction: decode → incoming hooks → router → outgoing hooks → next hop's link →
// reply hooks (reverse) → answer. Every step is synchronous except the wait for the next hop; any throw anywhere
// becomes a reject through the error handler, so nothing an app or peer sends can crash the node.
import type { Account } from '../accounts/account'
import { type BalanceStore, MemoryBalanceStore } from '../balances/balance-store'
import { BtpPeerError } from '../btp/btp-session'
import { NextHopAnswerError } from '../links/link-errors'
import { IlpFailure, internalError, invalidPacket, peerUnreachable } from '../ilp/ilp-failure'
import { type Prepare, readPrepare, readReply, type Reply, writeForwardedPrepare } from '../ilp/packets'
import type { Router } from '../routing/router'
import { failureFromError } from './error-handler'
import { DEFERRED, type HookResult, type Middleware, type PacketContext } from './packet-context'

/** RFC 27: a prepare carries at most 32767 bytes of data. */
const MAX_DATA_BYTES = 32767

class Packet implements PacketContext {
  to: Account | undefined = undefined
  outAmount = 0n
  outExpiresAt = 0
  outRequestId = -1
  heldIncoming = false
  heldOutgoing = false
  budgetHeld = false
  duplicateOf: unknown = undefined
  expiryTimer: ReturnType<typeof setTimeout> | undefined = undefined
  done = false
  /** How many middlewares have seen this packet (their reply hooks run). */
  reached = 0

  constructor(
    readonly pipeline: PacketPipeline,
    readonly from: Account,
    readonly prepare: Prepare,
    readonly raw: Buffer,
    readonly receivedAt: number,
    readonly respond: (ilpReply: Buffer) => void,
  ) {}

  settle(reply: Reply): void {
    this.pipeline.finish(this, reply)
  }
}

export class PacketPipeline {
  private readonly withOutgoing: Middleware[]

  constructor(
    private readonly chain: Middleware[],
    private readonly router: Router,
    /** Builds a reject from this node (triggeredBy = its own address). */
    readonly reject: (failure: IlpFailure) => Reply,
    private readonly balances: BalanceStore = new MemoryBalanceStore(),
  ) {
    this.withOutgoing = chain.filter((m) => !!m.outgoing)
  }

  /** Handles one prepare from `from`; `respond` gets the reply packet exactly once. */
  handle(from: Account, raw: Buffer, respond: (ilpReply: Buffer) => void): void {
    let prepare: Prepare
    try {
      prepare = readPrepare(raw)
    } catch (err) {
      respond(this.reject(invalidPacket(`invalid ILP prepare: ${(err as Error).message}`)).raw)
      return
    }
    if (prepare.data.length > MAX_DATA_BYTES) {
      respond(this.reject(invalidPacket(`invalid ILP prepare: ${prepare.data.length} bytes of data, at most ${MAX_DATA_BYTES} allowed`)).raw)
      return
    }
    const ctx = new Packet(this, from, prepare, raw, Date.now(), respond)
    try {
      this.run(ctx)
    } catch (err) {
      this.finish(ctx, this.reject(failureFromError(err)))
    }
  }

  private run(ctx: Packet): void {
    const chain = this.chain
    for (let i = 0; i < chain.length; i++) {
      ctx.reached = i + 1
      const hook = chain[i].incoming
      if (!hook) continue
      const result: HookResult = hook(ctx)
      if (result === undefined) continue
      if (result === DEFERRED) return
      this.finish(ctx, 'raw' in result ? result : this.reject(result))
      return
    }

    const routed = this.router.route(ctx)
    if (routed !== undefined) {
      this.finish(ctx, 'raw' in routed ? routed : this.reject(routed))
      return
    }

    const outgoing = this.withOutgoing
    for (let i = 0; i < outgoing.length; i++) {
      const failure = outgoing[i].outgoing!(ctx)
      if (failure) {
        this.finish(ctx, this.reject(failure))
        return
      }
    }

    const to = ctx.to!
    const p = ctx.prepare
    const out = writeForwardedPrepare(ctx.raw, p, ctx.outAmount, ctx.outExpiresAt)
    to.stats.preparesOut++
    ctx.outRequestId = to.link!.sendPrepare(out, (err, ilpReply) => {
      if (ctx.done) return
      let reply: Reply
      if (err) {
        const who = hopName(to)
        // A BTP error or an HTTP status means the next hop was reached but failed to handle (or refused) the packet;
        // anything else is a lost link.
        reply = this.reject(
          err instanceof NextHopAnswerError
            ? new IlpFailure(err.ilpCode, `${who} did not take the packet: ${err.message}`)
            : err instanceof BtpPeerError
              ? internalError(`${who} failed to handle the packet: ${err.message}`)
              : peerUnreachable(`${who} did not answer: ${err.message}`),
        )
      } else {
        try {
          reply = readReply(ilpReply!)
        } catch (e) {
          reply = this.reject(internalError(`${hopName(to)} sent an invalid reply: ${(e as Error).message}`))
        }
      }
      this.finish(ctx, reply)
    })
  }

  /** Runs the reply hooks of every middleware that saw the packet, last first, then answers. Idempotent. */
  finish(ctx: Packet, reply: Reply): void {
    if (ctx.done) return
    ctx.done = true
    const chain = this.chain
    for (let i = ctx.reached - 1; i >= 0; i--) {
      const hook = chain[i].reply
      if (!hook) continue
      try {
        reply = hook(ctx, reply)
      } catch (err) {
        // A failure after the next hop fulfilled (e.g. the balance could not be recorded) must not pass the fulfill
        // on unaccounted: the sender gets T00 instead.
        reply = this.reject(internalError(`${chain[i].name}: ${failureFromError(err).message}`))
      }
    }
    if (reply.fulfillment && this.balances.pending) {
      // Durability: the fulfill goes back only once the balance change it caused is recorded (group commit).
      const fulfilled = reply
      this.balances.whenDurable((err) => {
        ctx.respond(err ? this.reject(internalError(`the payment could not be recorded: ${err.message}`)).raw : fulfilled.raw)
      })
      return
    }
    ctx.respond(reply.raw)
  }
}

/** The next hop as a person reads it in a reject: `app alice`, `peer lab`, `the provider (parent)`. */
export function hopName(account: Account): string {
  if (account.relation === 'child') return `app ${account.id}`
  if (account.relation === 'peer') return `peer ${account.id.startsWith('peer:') ? account.id.slice('peer:'.length) : account.id}`
  return `the provider (${account.id})`
}
