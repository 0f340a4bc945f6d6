// Small factories shared by the unit tests: accounts, prepares, packet contexts and an in-memory packet link.
import { createHash, randomBytes } from 'node:crypto'
import { type Account, type AccountLimits, createAccount, type Relation } from '../../app/main/engine/accounts/account'
import type { PacketLink, ReplyCallback } from '../../app/main/engine/btp/btp-session'
import type { IlpFailure } from '../../app/main/engine/ilp/ilp-failure'
import { type Prepare, type Reply, rejectReply, writePrepare } from '../../app/main/engine/ilp/packets'
import type { PacketContext } from '../../app/main/engine/pipeline/packet-context'

export const OWN_ADDRESS = 'private.junction'

export function account(
  id: string,
  opts: { relation?: Relation; limits?: AccountLimits; balance?: bigint; assetScale?: number; assetCode?: string } = {},
): Account {
  const relation = opts.relation ?? 'child'
  return createAccount({
    id,
    relation,
    segment: relation === 'child' ? id : undefined,
    assetCode: opts.assetCode ?? 'XRP',
    assetScale: opts.assetScale ?? 9,
    limits: opts.limits,
    balance: opts.balance,
  })
}

export function sha256(data: Buffer): Buffer {
  return createHash('sha256').update(data).digest()
}

/** A fulfillment and its condition. */
export function secret(): { fulfillment: Buffer; condition: Buffer } {
  const fulfillment = randomBytes(32)
  return { fulfillment, condition: sha256(fulfillment) }
}

export function prepare(fields: Partial<Prepare> = {}): Prepare {
  return {
    amount: 100n,
    expiresAt: Date.now() + 30_000,
    executionCondition: sha256(Buffer.alloc(32, 7)),
    destination: 'private.junction.bob',
    data: Buffer.alloc(0),
    patchAt: -1,
    ...fields,
  }
}

/** A packet context as the pipeline builds it; `settled` records what settle() was given. */
export interface TestContext extends PacketContext {
  settled: Reply[]
}

export function context(from: Account, p: Partial<Prepare> = {}, extra: Partial<PacketContext> = {}): TestContext {
  const settled: Reply[] = []
  const packet = prepare(p)
  const ctx: TestContext = {
    from,
    prepare: packet,
    // The bytes the prepare arrived as, consistent with its fields (deduplicate keys on them).
    raw: writePrepare(packet),
    receivedAt: Date.now(),
    to: undefined,
    outAmount: 0n,
    outExpiresAt: 0,
    outRequestId: -1,
    heldIncoming: false,
    heldOutgoing: false,
    budgetHeld: false,
    duplicateOf: undefined,
    expiryTimer: undefined,
    done: false,
    settled,
    settle(reply: Reply) {
      settled.push(reply)
    },
    ...extra,
  }
  return ctx
}

/** Builds rejects the way the connector does (triggeredBy = own address). */
export function reject(failure: IlpFailure): Reply {
  return rejectReply(failure, OWN_ADDRESS)
}

/**
 * A PacketLink in memory. By default it answers every prepare at once with `answer(prepare)`; with `hold`, it keeps
 * the callbacks so a test can answer later (or never).
 */
export class MemoryLink implements PacketLink {
  open = true
  readonly sent: Buffer[] = []
  readonly forgotten: number[] = []
  readonly held: Array<{ requestId: number; prepare: Buffer; cb: ReplyCallback }> = []
  private nextId = 1

  constructor(
    private readonly answer?: (prepare: Buffer) => Buffer | Error,
    private readonly opts: { hold?: boolean } = {},
  ) {}

  sendPrepare(ilpPrepare: Buffer, cb: ReplyCallback): number {
    const requestId = this.nextId++
    this.sent.push(ilpPrepare)
    if (this.opts.hold || !this.answer) {
      this.held.push({ requestId, prepare: ilpPrepare, cb })
      return requestId
    }
    const result = this.answer(ilpPrepare)
    // Answer asynchronously, as a real link does.
    queueMicrotask(() => (result instanceof Error ? cb(result) : cb(null, result)))
    return requestId
  }

  forget(requestId: number): void {
    this.forgotten.push(requestId)
  }
}

export const tick = () => new Promise<void>((resolve) => setImmediate(resolve))
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))
