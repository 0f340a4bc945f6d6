import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { PacketView, TrafficView } from '../../../../app/shared/api-types'
import { ActivityMonitor } from '../../../../app/main/engine/activity/activity-monitor'
import { RecentPackets } from '../../../../app/main/engine/activity/recent-packets'
import { type AppState, newSpend } from '../../../../app/main/engine/accounts/app-state'
import { fulfillReply } from '../../../../app/main/engine/ilp/packets'

const fulfill = fulfillReply(Buffer.alloc(32), Buffer.alloc(0))
const NOW = Date.UTC(2026, 0, 14, 12)

function app(id: string, budget: AppState['budget']): AppState {
  return {
    id,
    displayName: null,
    status: 'approved',
    named: true,
    tokenHash: null,
    createdAt: 0,
    lastSeenAt: null,
    budget,
    maxPacketAmount: null,
    maxPacketsPerSecond: null,
    spend: newSpend(NOW),
  }
}

function setup(apps: AppState[] = [], wants = true) {
  let now = NOW
  const recent = new RecentPackets()
  const batches: PacketView[][] = []
  const traffic: TrafficView[] = []
  const warnings: Array<[string, string]> = []
  const monitor = new ActivityMonitor({
    recent,
    apps: () => apps,
    wantsPackets: () => wants,
    packets: (b) => batches.push(b),
    traffic: (v) => traffic.push(v),
    budgetWarning: (id, kind) => warnings.push([id, kind]),
    now: () => now,
  })
  return { recent, monitor, batches, traffic, warnings, advance: (ms: number) => (now += ms) }
}

describe('activity monitor', () => {
  it('sends each answered packet once, in batches, oldest first', () => {
    const { recent, monitor, batches } = setup()
    monitor.tick()
    assert.equal(batches.length, 0, 'nothing answered, nothing sent')
    recent.record(1, 'a', true, 'g.x', 1n, fulfill)
    recent.record(2, 'a', true, 'g.x', 2n, fulfill)
    monitor.tick()
    recent.record(3, 'a', true, 'g.x', 3n, fulfill)
    monitor.tick()
    monitor.tick()
    assert.deepEqual(
      batches.map((b) => b.map((p) => p.amount)),
      [['1', '2'], ['3']],
    )
  })

  it('builds no packet views while nobody listens, and does not replay them later', () => {
    const s = setup([], false)
    s.recent.record(1, 'a', true, 'g.x', 1n, fulfill)
    s.monitor.tick()
    assert.equal(s.batches.length, 0)
  })

  it('traffic: the rate while packets move, then one zero', () => {
    const { recent, monitor, traffic, advance } = setup()
    monitor.trafficTick() // the first sample
    for (let second = 0; second < 3; second++) {
      advance(1000)
      for (let i = 0; i < 50; i++) recent.record(0, 'a', true, 'g.x', 1n, fulfill)
      monitor.trafficTick()
    }
    assert.deepEqual(traffic, [
      { packetsPerSecond: 50, fulfilledPerSecond: 50 },
      { packetsPerSecond: 50, fulfilledPerSecond: 50 },
      { packetsPerSecond: 50, fulfilledPerSecond: 50 },
    ])
    advance(1000)
    monitor.trafficTick()
    advance(1000)
    monitor.trafficTick()
    assert.deepEqual(traffic.slice(3), [{ packetsPerSecond: 0, fulfilledPerSecond: 0 }], 'one zero, then quiet')
  })

  it('budget warnings: near at 80 %, reached at 100 % or at a refusal, once each per period', () => {
    const a = app('a', { amount: 1000n, period: 'day' })
    const b = app('b', { amount: 1000n, period: 'day' })
    const free = app('free', null)
    free.spend.day.spent = 10n ** 18n
    const { monitor, warnings } = setup([a, b, free])
    a.spend.day.spent = 799n
    monitor.budgetTick()
    assert.deepEqual(warnings, [])
    a.spend.day.spent = 800n
    monitor.budgetTick()
    monitor.budgetTick()
    assert.deepEqual(warnings, [['a', 'near']])
    a.spend.day.spent = 1000n
    monitor.budgetTick()
    monitor.budgetTick()
    assert.deepEqual(warnings, [['a', 'near'], ['a', 'reached']])
    // b was refused a packet while below 80 %: reached (and no near after it).
    b.spend.day.spent = 100n
    b.spend.budgetRefusedAt = NOW
    monitor.budgetTick()
    b.spend.day.spent = 900n
    monitor.budgetTick()
    assert.deepEqual(warnings.slice(2), [['b', 'reached']])
    // A new period: warned again.
    a.spend.day.start += 86_400_000
    a.spend.day.spent = 900n
    monitor.budgetTick()
    assert.deepEqual(warnings.slice(3), [['a', 'near']])
  })
})
