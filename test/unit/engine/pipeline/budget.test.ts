import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Account } from '../../../../app/main/engine/accounts/account'
import type { AppBudget, AppStatus } from '../../../../app/main/engine/accounts/app-policy'
import { type AppState, newSpend } from '../../../../app/main/engine/accounts/app-state'
import { IlpFailure } from '../../../../app/main/engine/ilp/ilp-failure'
import { fulfillReply, rejectReply } from '../../../../app/main/engine/ilp/packets'
import { createBudgetMiddleware } from '../../../../app/main/engine/pipeline/budget'
import { account, context, OWN_ADDRESS, type TestContext } from '../../factories'

const fulfill = fulfillReply(Buffer.alloc(32), Buffer.alloc(0))
const reject = rejectReply(new IlpFailure('F99', 'no'), OWN_ADDRESS)

const savedTz = process.env.TZ
before(() => {
  process.env.TZ = 'Europe/Berlin'
})
after(() => {
  if (savedTz === undefined) delete process.env.TZ
  else process.env.TZ = savedTz
})

/** Wed 18 Nov 2026, 12:00 in Berlin. */
const NOON = Date.parse('2026-11-18T11:00:00Z')

function appAccount(opts: { status?: AppStatus; budget?: AppBudget | null; now?: number; displayName?: string } = {}): Account & { app: AppState } {
  const a = account('alice')
  a.app = {
    id: 'alice',
    displayName: opts.displayName ?? null,
    status: opts.status ?? 'approved',
    named: true,
    tokenHash: null,
    createdAt: 0,
    lastSeenAt: null,
    budget: opts.budget ?? null,
    maxPacketAmount: null,
    maxPacketsPerSecond: null,
    spend: newSpend(opts.now ?? NOON),
  }
  return a as Account & { app: AppState }
}

function budget(now = { t: NOON }) {
  const m = createBudgetMiddleware(() => now.t)
  return {
    now,
    send(from: Account, amount: bigint, destination = 'private.junction.bob'): { ctx: TestContext; result: unknown } {
      const ctx = context(from, { amount, destination })
      return { ctx, result: m.incoming!(ctx) }
    },
    answer(ctx: TestContext, reply = fulfill) {
      return m.reply!(ctx, reply)
    },
  }
}

function assertReject(result: unknown, code: string, message: RegExp) {
  assert.ok(result instanceof IlpFailure, `expected a ${code} reject, got ${String(result)}`)
  assert.equal(result.code, code)
  assert.match(result.message, message)
}

describe('budget middleware: status', () => {
  it('lets accounts that are not apps (the provider) through untouched', () => {
    const b = budget()
    const parent = account('parent', { relation: 'parent' })
    const { ctx, result } = b.send(parent, 10n ** 18n)
    assert.equal(result, undefined)
    assert.equal(ctx.budgetHeld, false)
  })

  it('refuses a pending app with T00 naming the wait for approval, but answers its peer.* requests', () => {
    const b = budget()
    const a = appAccount({ status: 'pending', displayName: 'My Wallet' })
    assertReject(b.send(a, 5n).result, 'T00', /^app "My Wallet" is waiting for approval in Junction/)
    assertReject(b.send(a, 0n).result, 'T00', /waiting for approval/)
    assert.equal(b.send(a, 0n, 'peer.config').result, undefined)
    assert.equal(b.send(a, 0n, 'peer.balance').result, undefined)
    assert.equal(a.app.spend.inFlight, 0n)
  })

  it('refuses a blocked app with F00', () => {
    const b = budget()
    const a = appAccount({ status: 'blocked' })
    assertReject(b.send(a, 5n).result, 'F00', /app "alice" is blocked in Junction/)
    assertReject(b.send(a, 0n, 'peer.config').result, 'F00', /blocked/)
  })

  it('takes a status change at the next packet', () => {
    const b = budget()
    const a = appAccount({ status: 'pending' })
    assert.ok(b.send(a, 5n).result instanceof IlpFailure)
    a.app.status = 'approved'
    assert.equal(b.send(a, 5n).result, undefined)
  })
})

describe('budget middleware: spending', () => {
  it('without a budget, counts what is fulfilled and lets everything through', () => {
    const b = budget()
    const a = appAccount()
    for (let i = 0; i < 3; i++) {
      const { ctx, result } = b.send(a, 1_000_000n)
      assert.equal(result, undefined)
      b.answer(ctx)
    }
    const { ctx } = b.send(a, 7n)
    b.answer(ctx, reject)
    assert.equal(a.app.spend.day.spent, 3_000_000n)
    assert.equal(a.app.spend.inFlight, 0n)
  })

  it('counts packets in flight: racing packets cannot together exceed the budget', () => {
    const b = budget()
    const a = appAccount({ budget: { amount: 1000n, period: 'day' } })
    const sent = [1, 2, 3].map(() => b.send(a, 300n))
    for (const s of sent) assert.equal(s.result, undefined)
    assert.equal(a.app.spend.inFlight, 900n)
    // 900 in flight + 300 > 1000, although nothing is spent yet.
    const fourth = b.send(a, 300n)
    assertReject(fourth.result, 'T04', /^app "alice" reached its budget of 1000 per day \(spent 0, 900 in flight; this packet: 300\)/)
    assert.equal(fourth.ctx.budgetHeld, false)
    // Its reply hook (the pipeline runs it for the middleware that rejected) releases nothing.
    b.answer(fourth.ctx, reject)
    assert.equal(a.app.spend.inFlight, 900n)

    // One is rejected further on: its share is free again.
    b.answer(sent[0].ctx, reject)
    assert.equal(a.app.spend.inFlight, 600n)
    b.answer(sent[1].ctx)
    b.answer(sent[2].ctx)
    assert.equal(a.app.spend.day.spent, 600n)
    assert.equal(a.app.spend.inFlight, 0n)

    // Exactly up to the budget, then the next unit is refused with a message that names the budget.
    const last = b.send(a, 400n)
    assert.equal(last.result, undefined)
    b.answer(last.ctx)
    assert.equal(a.app.spend.day.spent, 1000n)
    assertReject(
      b.send(a, 1n).result,
      'T04',
      /^app "alice" reached its budget of 1000 per day \(spent 1000; this packet: 1\); the budget renews at 2026-11-19 00:00 local time$/,
    )
    // Zero-amount packets (ILDCP, STREAM control) still go through.
    assert.equal(b.send(a, 0n).result, undefined)
  })

  it('renews at local midnight (day), Monday 00:00 (week), the 1st (month)', () => {
    const now = { t: NOON }
    const b = budget(now)
    const day = appAccount({ budget: { amount: 100n, period: 'day' } })
    const week = appAccount({ budget: { amount: 100n, period: 'week' } })
    const month = appAccount({ budget: { amount: 100n, period: 'month' } })
    for (const a of [day, week, month]) {
      const { ctx } = b.send(a, 100n)
      b.answer(ctx)
      assert.ok(b.send(a, 1n).result instanceof IlpFailure)
    }
    const at = (local: string) => (now.t = Date.parse(local))
    at('2026-11-18T22:59:59.999Z') // 23:59:59.999 Wednesday
    assert.ok(b.send(day, 1n).result instanceof IlpFailure)
    at('2026-11-18T23:00:00Z') // Thursday 00:00
    assert.equal(b.send(day, 1n).result, undefined, 'a new day')
    assertReject(b.send(week, 1n).result, 'T04', /budget of 100 per week \(spent 100; this packet: 1\); the budget renews at 2026-11-23 00:00/)
    at('2026-11-22T23:00:00Z') // Monday 23 Nov 00:00
    assert.equal(b.send(week, 1n).result, undefined, 'a new week')
    assertReject(b.send(month, 1n).result, 'T04', /per month .* renews at 2026-12-01 00:00 local time/)
    at('2026-11-30T23:00:00Z') // Tue 1 Dec 00:00
    assert.equal(b.send(month, 1n).result, undefined, 'a new month')
  })

  it('a packet sent before midnight and fulfilled after counts in the new day', () => {
    const now = { t: Date.parse('2026-11-18T22:59:00Z') }
    const b = budget(now)
    const a = appAccount({ budget: { amount: 100n, period: 'day' }, now: now.t })
    const { ctx } = b.send(a, 60n)
    now.t = Date.parse('2026-11-18T23:00:01Z')
    b.answer(ctx)
    assert.equal(a.app.spend.day.spent, 60n)
    assert.ok(b.send(a, 41n).result instanceof IlpFailure)
    assert.equal(b.send(a, 40n).result, undefined)
  })

  it('a lowered budget applies at the next packet; a raised one too', () => {
    const b = budget()
    const a = appAccount({ budget: { amount: 1000n, period: 'day' } })
    const { ctx } = b.send(a, 500n)
    b.answer(ctx)
    a.app.budget = { amount: 400n, period: 'day' }
    assertReject(b.send(a, 1n).result, 'T04', /budget of 400 per day \(spent 500;/)
    a.app.budget = { amount: 600n, period: 'week' }
    assert.equal(b.send(a, 100n).result, undefined)
  })
})
