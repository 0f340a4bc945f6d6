import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Account } from '../../../../app/main/engine/accounts/account'
import { type BalanceStore, type FulfillRecord, MemoryBalanceStore } from '../../../../app/main/engine/balances/balance-store'
import { IlpFailure } from '../../../../app/main/engine/ilp/ilp-failure'
import { fulfillReply, rejectReply } from '../../../../app/main/engine/ilp/packets'
import { createBalanceMiddleware } from '../../../../app/main/engine/pipeline/balance'
import { account, context, OWN_ADDRESS, type TestContext } from '../../factories'

interface Recorded {
  from: string
  inAmount: bigint
  to: string | undefined
  outAmount: bigint
  fromBalance: bigint
  toBalance: bigint | undefined
}

class RecordingStore implements BalanceStore {
  readonly calls: Recorded[] = []
  load(): bigint {
    return 0n
  }
  recordFulfill({ from, inAmount, to, outAmount }: FulfillRecord): void {
    this.calls.push({ from: from.id, inAmount, to: to?.id, outAmount, fromBalance: from.balance, toBalance: to?.balance })
  }
  recordReject(): void {}
  readonly pending = false
  readonly unavailable = undefined
  whenDurable(cb: (error?: Error) => void): void {
    cb()
  }
}

/** A store whose every write fails, as a full disk would. */
function throwingStore(message: string): BalanceStore {
  return {
    load: () => 0n,
    recordFulfill() {
      throw new Error(message)
    },
    recordReject() {},
    pending: false,
    unavailable: undefined,
    whenDurable: (cb) => cb(),
  }
}

const fulfill = fulfillReply(Buffer.alloc(32), Buffer.alloc(0))
const reject = rejectReply(new IlpFailure('F99', 'no'), OWN_ADDRESS)

/** Runs a packet through incoming → (route) → outgoing, as the pipeline does. */
function forward(m: ReturnType<typeof createBalanceMiddleware>, from: Account, to: Account, amount: bigint, outAmount = amount): TestContext {
  const ctx = context(from, { amount })
  assert.equal(m.incoming!(ctx), undefined)
  ctx.to = to
  ctx.outAmount = outAmount
  assert.equal(m.outgoing!(ctx), undefined)
  return ctx
}

const isT04 = (r: unknown) => r instanceof IlpFailure && r.code === 'T04'

describe('balance middleware: maximum', () => {
  it('counts pending incoming packets against the maximum', () => {
    const m = createBalanceMiddleware(new RecordingStore())
    const alice = account('alice', { balance: 50n, limits: { maximumBalance: 100n } })
    assert.equal(m.incoming!(context(alice, { amount: 30n })), undefined)
    assert.equal(alice.pendingIncoming, 30n)
    const r = m.incoming!(context(alice, { amount: 30n })) // 50 + 30 + 30 = 110 > 100
    assert.ok(isT04(r))
    assert.match((r as IlpFailure).message, /exceeded maximum balance/)
    assert.equal(alice.pendingIncoming, 30n)
    assert.equal(m.incoming!(context(alice, { amount: 20n })), undefined) // exactly 100
    assert.equal(alice.pendingIncoming, 50n)
    assert.equal(alice.balance, 50n)
  })

  it('holds nothing for zero-amount packets', () => {
    const m = createBalanceMiddleware(new RecordingStore())
    const alice = account('alice', { balance: 100n, limits: { maximumBalance: 100n } })
    const ctx = context(alice, { amount: 0n })
    assert.equal(m.incoming!(ctx), undefined)
    assert.equal(alice.pendingIncoming, 0n)
    assert.equal(ctx.heldIncoming, false)
  })

  it('has no maximum unless one is set', () => {
    const m = createBalanceMiddleware(new RecordingStore())
    const alice = account('alice', { balance: 1n << 62n })
    assert.equal(m.incoming!(context(alice, { amount: 1n << 62n })), undefined)
  })
})

describe('balance middleware: minimum of the next hop', () => {
  it('checks the minimum before forwarding, counting pending outgoing packets', () => {
    const m = createBalanceMiddleware(new RecordingStore())
    const alice = account('alice')
    const parent = account('parent', { relation: 'parent', limits: { minimumBalance: -100n } })
    forward(m, alice, parent, 60n)
    assert.equal(parent.pendingOutgoing, 60n)
    const ctx = context(alice, { amount: 60n })
    m.incoming!(ctx)
    ctx.to = parent
    ctx.outAmount = 60n
    const r = m.outgoing!(ctx) // 0 − 60 − 60 = −120 < −100
    assert.ok(isT04(r))
    assert.equal(parent.pendingOutgoing, 60n)
    assert.equal(ctx.heldOutgoing, false)
    // Its incoming hold is released by its reply, as for any rejected packet.
    m.reply!(ctx, rejectReply(r as IlpFailure, OWN_ADDRESS))
    assert.equal(alice.pendingIncoming, 60n) // only the first packet's
    forward(m, alice, parent, 40n) // exactly −100
  })
})

describe('balance middleware: replies', () => {
  it('commits both sides only on fulfill, once, with the right amounts', () => {
    const store = new RecordingStore()
    const m = createBalanceMiddleware(store)
    const alice = account('alice', { balance: 5n })
    const parent = account('parent', { relation: 'parent', balance: 7n })
    const ctx = forward(m, alice, parent, 1000n, 990n)
    assert.equal(alice.balance, 5n)
    assert.equal(parent.balance, 7n)
    assert.equal(m.reply!(ctx, fulfill), fulfill)
    assert.equal(alice.balance, 1005n)
    assert.equal(parent.balance, 7n - 990n)
    assert.equal(alice.pendingIncoming, 0n)
    assert.equal(parent.pendingOutgoing, 0n)
    assert.equal(store.calls.length, 1)
    assert.deepEqual(
      { ...store.calls[0], fromBalance: undefined, toBalance: undefined },
      { from: 'alice', inAmount: 1000n, to: 'parent', outAmount: 990n, fromBalance: undefined, toBalance: undefined },
    )
    // A second reply for the same packet (a late answer) changes nothing.
    m.reply!(ctx, fulfill)
    assert.equal(alice.balance, 1005n)
    assert.equal(parent.balance, 7n - 990n)
    assert.equal(store.calls.length, 1)
  })

  it('records the fulfill before the balances move (the store is called before the fulfill goes back)', () => {
    const store = new RecordingStore()
    const m = createBalanceMiddleware(store)
    const alice = account('alice', { balance: 5n })
    const bob = account('bob', { balance: 7n })
    m.reply!(forward(m, alice, bob, 10n), fulfill)
    assert.equal(store.calls[0].fromBalance, 5n)
    assert.equal(store.calls[0].toBalance, 7n)
  })

  it('keeps the memory store in step with the accounts', () => {
    const store = new MemoryBalanceStore()
    const m = createBalanceMiddleware(store)
    const alice = account('alice')
    const bob = account('bob')
    for (const amount of [10n, 20n, 30n]) m.reply!(forward(m, alice, bob, amount), fulfill)
    m.reply!(forward(m, bob, alice, 15n), fulfill)
    assert.equal(store.load('alice'), alice.balance)
    assert.equal(store.load('bob'), bob.balance)
    assert.equal(alice.balance, 60n - 15n)
    // Sending to oneself (an app paying another of its own addresses) nets out.
    m.reply!(forward(m, alice, alice, 5n), fulfill)
    assert.equal(alice.balance, 45n)
    assert.equal(store.load('alice'), 45n)
  })

  it('releases the holds on reject and moves no balance', () => {
    const store = new RecordingStore()
    const m = createBalanceMiddleware(store)
    const alice = account('alice', { balance: 5n })
    const bob = account('bob', { balance: 7n })
    const ctx = forward(m, alice, bob, 100n)
    assert.equal(m.reply!(ctx, reject), reject)
    assert.equal(alice.balance, 5n)
    assert.equal(bob.balance, 7n)
    assert.equal(alice.pendingIncoming, 0n)
    assert.equal(bob.pendingOutgoing, 0n)
    assert.equal(store.calls.length, 0)
  })

  it('releases the incoming hold of a packet that never got past routing', () => {
    const m = createBalanceMiddleware(new RecordingStore())
    const alice = account('alice')
    const ctx = context(alice, { amount: 100n })
    m.incoming!(ctx)
    m.reply!(ctx, reject)
    assert.equal(alice.pendingIncoming, 0n)
  })

  it('commits the incoming side alone when the outgoing amount rounds to zero', () => {
    const store = new RecordingStore()
    const m = createBalanceMiddleware(store)
    const alice = account('alice')
    const bob = account('bob', { limits: { minimumBalance: 0n } })
    const ctx = forward(m, alice, bob, 3n, 0n)
    m.reply!(ctx, fulfill)
    assert.equal(alice.balance, 3n)
    assert.equal(bob.balance, 0n)
    assert.equal(store.calls.length, 1)
    assert.equal(store.calls[0].inAmount, 3n)
    assert.equal(store.calls[0].outAmount, 0n)
  })

  it('lets a throwing store propagate, moving no balance and leaving no hold behind', () => {
    const m = createBalanceMiddleware(throwingStore('disk full'))
    const alice = account('alice', { balance: 5n })
    const bob = account('bob', { balance: 7n })
    const ctx = forward(m, alice, bob, 100n)
    assert.throws(() => m.reply!(ctx, fulfill), /disk full/)
    assert.equal(alice.balance, 5n)
    assert.equal(bob.balance, 7n)
    assert.equal(alice.pendingIncoming, 0n)
    assert.equal(bob.pendingOutgoing, 0n)
  })
})
