import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createLogger } from '../../../../app/main/engine/log'
import { LedgerQueries, ledgerQueries, type SeriesPoint, type TimeRange } from '../../../../app/main/engine/store/ledger-queries'
import { SqliteBalanceStore } from '../../../../app/main/engine/store/sqlite-balance-store'
import { account } from '../../factories'
import { RETENTION, rollUp } from '../../../../app/main/engine/store/ledger-rollup'
import { DAY_MS, HOUR_MS, LedgerWriter, MINUTE_MS, type Packet, random, sum, tempDb, type TempDb } from './ledger-fixtures'

const NOW = Date.UTC(2025, 5, 15, 12, 34, 56, 789)
const APPS = ['alice', 'bob', 'carol']
const PREFIXES = ['g.a.shop', 'g.a.news', 'g.b.music', 'g.b.video', 'g.c.games', 'test.x.y']
const CODES = ['F02', 'T04', 'T05', 'F08']
const floorTo = (t: number, ms: number): number => Math.floor(t / ms) * ms

/** 60 days of random packets and rejects for three apps, plus every minute of the last two hours for alice. */
function fill(w: LedgerWriter): void {
  const rnd = random(42)
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]
  // Amounts up to 2^48 (and some near 2^52): the sums pass 2^53, so anything done in floating point would show.
  const amount = (): bigint => BigInt(Math.floor(rnd() * 2 ** 48)) + (rnd() < 0.05 ? 2n ** 52n : 0n)
  for (let i = 0; i < 3000; i++) {
    const t = NOW - Math.floor(rnd() * 60 * DAY_MS)
    const earned = rnd() < 0.2
    const a = amount()
    w.packet({ app: pick(APPS), t, direction: earned ? 'earned' : 'spent', prefix: earned ? '' : pick(PREFIXES), amountApp: a, amountProvider: a * 3n + 1n })
  }
  for (let m = 0; m < 120; m++) {
    const a = BigInt(1000 + m)
    w.packet({ app: 'alice', t: NOW - m * MINUTE_MS, direction: 'spent', prefix: pick(PREFIXES), amountApp: a, amountProvider: a })
  }
  for (let i = 0; i < 1500; i++) w.rejected({ app: pick(APPS), t: NOW - Math.floor(rnd() * 60 * DAY_MS), code: pick(CODES) })
}

const inRange = (t: number, r: TimeRange): boolean => t >= r.from && t < r.to

function expectedTotals(packets: Packet[], app: string, r: TimeRange) {
  const of = packets.filter((p) => p.app === app && inRange(p.t, r))
  return { app, spent: sum(of.filter((p) => p.direction === 'spent')), earned: sum(of.filter((p) => p.direction === 'earned')) }
}

function pointSum(points: SeriesPoint[], direction: 'spent' | 'earned') {
  return points.reduce(
    (s, p) => ({ packets: s.packets + p[direction].packets, amountApp: s.amountApp + p[direction].amountApp, amountProvider: s.amountProvider + p[direction].amountProvider }),
    { packets: 0n, amountApp: 0n, amountProvider: 0n },
  )
}

// Ranges whose edges fall on bucket boundaries of whatever resolution is kept there: the results are then exactly
// the packets whose time is in the range, whatever has been rolled up.
const SPANNING: TimeRange = { from: floorTo(NOW - 40 * DAY_MS, DAY_MS), to: floorTo(NOW - 10 * MINUTE_MS, MINUTE_MS) }
const RANGES: Record<string, TimeRange> = {
  'everything': { from: 0, to: NOW + DAY_MS },
  'day part to minute part (days, hours and minutes)': SPANNING,
  'hour part to minute part': { from: floorTo(NOW - 10 * DAY_MS, HOUR_MS), to: floorTo(NOW - 3 * MINUTE_MS, MINUTE_MS) },
  'day part only': { from: floorTo(NOW - 50 * DAY_MS, DAY_MS), to: floorTo(NOW - 35 * DAY_MS, DAY_MS) },
  'last hour (minutes)': { from: floorTo(NOW - HOUR_MS, MINUTE_MS), to: NOW + 1 },
}

describe('LedgerQueries', () => {
  let t: TempDb
  let w: LedgerWriter
  let q: LedgerQueries
  before(() => {
    t = tempDb()
    w = new LedgerWriter(t.db)
    fill(w)
    q = new LedgerQueries(t.db)
  })
  after(() => t.cleanup())

  const checkTotals = (stage: string) => {
    for (const [name, r] of Object.entries(RANGES)) {
      const all = q.totals(r)
      for (const app of APPS) {
        const want = expectedTotals(w.packets, app, r)
        assert.deepEqual(q.appTotals(app, r), want, `${stage}: ${app}, ${name}`)
        assert.deepEqual(all.find((x) => x.app === app) ?? { app, spent: sum([]), earned: sum([]) }, want, `${stage}: all apps, ${app}, ${name}`)
      }
    }
  }

  it('totals per app, before any roll-up, equal the sums of the packets recorded', () => checkTotals('minutes only'))

  it('totals stay exact after a roll-up, over ranges spanning minute, hour and day buckets', () => {
    const { rolled } = rollUp(t.db, NOW)
    assert.ok(rolled.ledger > 0 && rolled.ledger_totals > 0 && rolled.rejects > 0)
    // The spanning range really covers all three resolutions.
    const resolutions = t.db
      .prepare('SELECT DISTINCT resolution FROM ledger_totals WHERE bucket >= ? AND bucket < ? ORDER BY 1')
      .pluck()
      .all(SPANNING.from / 1000, SPANNING.to / 1000)
    assert.deepEqual(resolutions, [60n, 3600n, 86400n])
    checkTotals('rolled up')
  })

  it('totals of adjacent ranges add up to the totals of their union, wherever they are split', () => {
    const r = RANGES['day part to minute part (days, hours and minutes)']
    for (const split of [r.from + 1, NOW - 20 * DAY_MS + 12_345, NOW - 3 * DAY_MS - 7 * MINUTE_MS, NOW - 30 * MINUTE_MS + 999]) {
      for (const app of APPS) {
        const a = q.appTotals(app, { from: r.from, to: split })
        const b = q.appTotals(app, { from: split, to: r.to })
        const whole = q.appTotals(app, r)
        assert.equal(a.spent.amountApp + b.spent.amountApp, whole.spent.amountApp)
        assert.equal(a.earned.packets + b.earned.packets, whole.earned.packets)
        assert.equal(a.spent.amountProvider + b.spent.amountProvider, whole.spent.amountProvider)
      }
    }
  })

  it('a range edge inside a rolled-up bucket counts that bucket only if the bucket starts in the range', () => {
    // Ten days ago is kept by the hour in ledger_totals (retention: minutes 25 h, hours 32 days).
    assert.ok(10 * DAY_MS > RETENTION.ledger_totals.minutes * 1000 + HOUR_MS && 10 * DAY_MS < RETENTION.ledger_totals.hours * 1000)
    const hour = floorTo(NOW - 10 * DAY_MS, HOUR_MS)
    const r = { from: hour + 30 * MINUTE_MS, to: hour + 5 * HOUR_MS }
    for (const app of APPS) {
      // Packets in [hour, hour + 1 h) are in a bucket starting before the range: left out.
      const want = expectedTotals(w.packets, app, { from: hour + HOUR_MS, to: r.to })
      assert.deepEqual(q.appTotals(app, r), want)
    }
  })

  it('an app with nothing in the range: zeros, and left out of the all-apps totals', () => {
    const r = { from: NOW + DAY_MS, to: NOW + 2 * DAY_MS }
    assert.deepEqual(q.totals(r), [])
    assert.deepEqual(q.appTotals('nobody', RANGES.everything), { app: 'nobody', spent: sum([]), earned: sum([]) })
    assert.deepEqual(q.apps(), APPS)
  })

  it('series by minute: minute points where minutes are kept, coarser points for older parts, summing to the totals', () => {
    const r = SPANNING
    const points = q.series('alice', r, 60)
    const starts = points.map((p) => p.start)
    assert.deepEqual(starts, [...starts].sort((a, b) => a - b))
    assert.equal(new Set(starts).size, starts.length)
    for (const p of points) assert.equal(p.start % (p.resolution * 1000), 0)
    assert.deepEqual(new Set(points.map((p) => p.resolution)), new Set([60, 3600, 86400]))
    // Minute points exactly where minute buckets are kept.
    const minuteCutoff = floorTo(NOW - RETENTION.ledger_totals.minutes * 1000, HOUR_MS)
    for (const p of points) assert.equal(p.resolution === 60, p.start >= minuteCutoff, new Date(p.start).toISOString())
    const want = expectedTotals(w.packets, 'alice', r)
    assert.deepEqual(pointSum(points, 'spent'), want.spent)
    assert.deepEqual(pointSum(points, 'earned'), want.earned)
  })

  it('series by hour over the last 30 days: every point an hour, each the sum of the packets in that hour', () => {
    const r = { from: floorTo(NOW - 30 * DAY_MS, HOUR_MS), to: NOW + 1 }
    for (const app of APPS) {
      const points = q.series(app, r, 3600)
      assert.ok(points.every((p) => p.resolution === 3600))
      const byHour = new Map<number, Packet[]>()
      for (const p of w.packets) if (p.app === app && inRange(p.t, r)) byHour.set(floorTo(p.t, HOUR_MS), [...(byHour.get(floorTo(p.t, HOUR_MS)) ?? []), p])
      assert.deepEqual(
        points.map((p) => p.start),
        [...byHour.keys()].sort((a, b) => a - b),
      )
      for (const p of points) {
        const ps = byHour.get(p.start)!
        assert.deepEqual(p.spent, sum(ps.filter((x) => x.direction === 'spent')))
        assert.deepEqual(p.earned, sum(ps.filter((x) => x.direction === 'earned')))
      }
    }
  })

  it('series by day over everything: one point per UTC day with packets, whatever resolution they are kept at', () => {
    const r = RANGES.everything
    const points = q.series('bob', r, 86400)
    const byDay = new Map<number, Packet[]>()
    for (const p of w.packets) if (p.app === 'bob') byDay.set(floorTo(p.t, DAY_MS), [...(byDay.get(floorTo(p.t, DAY_MS)) ?? []), p])
    assert.deepEqual(
      points.map((p) => p.start),
      [...byDay.keys()].sort((a, b) => a - b),
    )
    for (const p of points) {
      assert.equal(p.resolution, 86400)
      assert.deepEqual(p.spent, sum(byDay.get(p.start)!.filter((x) => x.direction === 'spent')))
    }
  })

  it('series by minute of the last hour is alice every minute', () => {
    const r = { from: floorTo(NOW - HOUR_MS, MINUTE_MS) + MINUTE_MS, to: NOW + 1 }
    const points = q.series('alice', r, 60)
    assert.equal(points.length, 60)
    for (const p of points) {
      const ps = w.packets.filter((x) => x.app === 'alice' && floorTo(x.t, MINUTE_MS) === p.start)
      assert.deepEqual(p.spent, sum(ps.filter((x) => x.direction === 'spent')))
    }
  })

  it('top destinations: spending by prefix over the range, most first, limited; earnings are not destinations', () => {
    // Destinations are kept by the hour for 7 days (then by the day): edges on those boundaries are exact.
    const hours = { from: floorTo(NOW - 5 * DAY_MS, HOUR_MS), to: floorTo(NOW - 3 * MINUTE_MS, MINUTE_MS) }
    for (const r of [SPANNING, RANGES.everything, hours]) {
      for (const app of APPS) {
        const byPrefix = new Map<string, Packet[]>()
        for (const p of w.packets) {
          if (p.app === app && p.direction === 'spent' && inRange(p.t, r)) byPrefix.set(p.prefix, [...(byPrefix.get(p.prefix) ?? []), p])
        }
        const want = [...byPrefix].map(([prefix, ps]) => ({ prefix, ...sum(ps) }))
        want.sort((a, b) => (a.amountApp === b.amountApp ? (a.prefix < b.prefix ? -1 : 1) : a.amountApp > b.amountApp ? -1 : 1))
        assert.deepEqual(q.topDestinations(app, r, 100), want)
        assert.deepEqual(q.topDestinations(app, r, 3), want.slice(0, 3))
        // By destination and in total agree.
        assert.equal(
          want.reduce((s, d) => s + d.amountApp, 0n),
          q.appTotals(app, r).spent.amountApp,
        )
      }
    }
  })

  it('rejects by code, per app and for every app', () => {
    for (const r of [SPANNING, RANGES.everything, RANGES['last hour (minutes)']]) {
      const count = (app: string) => {
        const m = new Map<string, bigint>()
        for (const x of w.rejects) if (x.app === app && inRange(x.t, r)) m.set(x.code, (m.get(x.code) ?? 0n) + 1n)
        return [...m]
          .map(([code, packets]) => ({ app, code, packets }))
          .sort((a, b) => (a.packets === b.packets ? (a.code < b.code ? -1 : 1) : a.packets > b.packets ? -1 : 1))
      }
      for (const app of APPS) assert.deepEqual(q.rejectsByCode(r, app), count(app))
      assert.deepEqual(q.rejectsByCode(r), APPS.flatMap(count))
    }
  })

  it('spend series of every app: one point per bucket with spending, each app its own sum; earnings are not spending', () => {
    for (const [r, res, ms] of [
      [{ from: floorTo(NOW - 30 * DAY_MS, HOUR_MS), to: NOW + 1 }, 3600, HOUR_MS],
      [RANGES.everything, 86400, DAY_MS],
    ] as const) {
      const points = q.spendSeries(r, res)
      const want = new Map<number, Map<string, bigint>>()
      for (const p of w.packets) {
        if (p.direction !== 'spent' || !inRange(p.t, r) || p.amountApp === 0n) continue
        const bucket = floorTo(p.t, ms)
        const apps = want.get(bucket) ?? new Map<string, bigint>()
        apps.set(p.app, (apps.get(p.app) ?? 0n) + p.amountApp)
        want.set(bucket, apps)
      }
      assert.deepEqual(
        points.map((p) => p.start),
        [...want.keys()].sort((a, b) => a - b),
      )
      for (const p of points) {
        assert.equal(p.resolution, res)
        assert.deepEqual(p.spent, want.get(p.start))
      }
      // Each app's points agree with its own series.
      for (const app of APPS) {
        const own = q.series(app, r, res).filter((x) => x.spent.amountApp > 0n)
        assert.deepEqual(
          points.filter((p) => p.spent.has(app)).map((p) => [p.start, p.spent.get(app)]),
          own.map((x) => [x.start, x.spent.amountApp]),
        )
      }
    }
    assert.deepEqual(q.spendSeries({ from: NOW + DAY_MS, to: NOW + 2 * DAY_MS }, 60), [])
    assert.throws(() => q.spendSeries(RANGES.everything, 120 as 60), RangeError)
  })

  it('destinations over every app: sums by prefix across apps, most first, limited; one app as topDestinations', () => {
    for (const r of [SPANNING, RANGES.everything]) {
      const byPrefix = new Map<string, Packet[]>()
      for (const p of w.packets) if (p.direction === 'spent' && inRange(p.t, r)) byPrefix.set(p.prefix, [...(byPrefix.get(p.prefix) ?? []), p])
      const want = [...byPrefix].map(([prefix, ps]) => ({ prefix, ...sum(ps) }))
      want.sort((a, b) => (a.amountApp === b.amountApp ? (a.prefix < b.prefix ? -1 : 1) : a.amountApp > b.amountApp ? -1 : 1))
      assert.deepEqual(q.destinations(r, 100), want)
      assert.deepEqual(q.destinations(r, 2), want.slice(0, 2))
      assert.deepEqual(q.destinations(r, 5, 'bob'), q.topDestinations('bob', r, 5))
    }
    assert.throws(() => q.destinations(RANGES.everything, 0), RangeError)
  })

  it('refuses bad input', () => {
    assert.throws(() => q.totals({ from: 2, to: 1 }), RangeError)
    assert.throws(() => q.totals({ from: Number.NaN, to: 1 }), TypeError)
    assert.throws(() => q.appTotals('', RANGES.everything), TypeError)
    assert.throws(() => q.series('alice', RANGES.everything, 120 as 60), RangeError)
    assert.throws(() => q.topDestinations('alice', RANGES.everything, 0), RangeError)
    assert.throws(() => q.topDestinations('alice', RANGES.everything, 1.5), RangeError)
  })
})

describe('LedgerQueries on what the packet path writes (SqliteBalanceStore)', () => {
  it('finds every fulfill and reject the store recorded, before and after a roll-up', async () => {
    const t = tempDb()
    try {
      let now = NOW - 3 * DAY_MS
      const store = new SqliteBalanceStore(t.db, createLogger('test', () => {}), () => now)
      const app = account('app-one')
      const other = account('app-two')
      const parent = account('provider', { relation: 'parent' })
      const durable = () => new Promise<void>((resolve, reject) => store.whenDurable((err) => (err ? reject(err) : resolve())))
      let spentApp = 0n
      let spentProvider = 0n
      let earned = 0n
      for (let i = 0; i < 200; i++) {
        now = NOW - 3 * DAY_MS + i * 17 * MINUTE_MS
        // app-one pays out through the provider; app-two is paid by app-one (earned, no prefix).
        store.recordFulfill({ from: app, inAmount: 1000n + BigInt(i), to: parent, outAmount: 990n + BigInt(i), destination: `g.shop${i % 3}.x.y.z` })
        spentApp += 1000n + BigInt(i)
        spentProvider += 990n + BigInt(i)
        store.recordFulfill({ from: app, inAmount: 50n, to: other, outAmount: 50n, destination: 'private.junction.app-two.pay' })
        earned += 50n
        if (i % 10 === 0) store.recordReject(app, 'T04')
        await durable()
      }
      const q = ledgerQueries(t.db)
      assert.equal(ledgerQueries(t.db), q, 'one LedgerQueries per Database')
      const all = { from: 0, to: NOW + DAY_MS }
      const check = () => {
        const one = q.appTotals('app-one', all)
        assert.equal(one.spent.packets, 400n)
        assert.equal(one.spent.amountApp, spentApp + 200n * 50n)
        assert.equal(one.spent.amountProvider, spentProvider + 200n * 50n)
        assert.deepEqual(q.appTotals('app-two', all).earned, { packets: 200n, amountApp: earned, amountProvider: earned })
        const top = q.topDestinations('app-one', all, 10)
        assert.deepEqual(top.map((d) => d.prefix).sort(), ['g.shop0.x', 'g.shop1.x', 'g.shop2.x', 'private.junction.app-two'])
        assert.equal(top.reduce((s, d) => s + d.amountApp, 0n), one.spent.amountApp)
        assert.deepEqual(q.rejectsByCode(all), [{ app: 'app-one', code: 'T04', packets: 20n }])
      }
      check()
      rollUp(t.db, NOW)
      check()
      store.close()
    } finally {
      t.cleanup()
    }
  })
})
