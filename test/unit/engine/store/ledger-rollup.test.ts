import { afterEach, beforeEach, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import type { Db } from '../../../../app/main/engine/store/database'
import {
  ledgerApps,
  RETENTION,
  type Retention,
  type RollupResult,
  rollUp,
  rollUpApp,
  startRollupScheduler,
} from '../../../../app/main/engine/store/ledger-rollup'
import { DAY_MS, dump, HOUR_MS, LedgerWriter, MINUTE_MS, random, tempDb, type TempDb } from './ledger-fixtures'

const NOW = Date.UTC(2025, 2, 10, 17, 42, 13, 500)
const floorTo = (t: number, ms: number): number => Math.floor(t / ms) * ms
const TABLES = ['ledger', 'ledger_totals', 'rejects'] as const

/** Sums over all time per app and key: what a roll-up must never change. */
function grandTotals(db: Db): Record<string, unknown[]> {
  return {
    ledger: db
      .prepare('SELECT app_id, direction, prefix, SUM(packets), SUM(amount_app), SUM(amount_provider) FROM ledger GROUP BY 1, 2, 3 ORDER BY 1, 2, 3')
      .raw()
      .all(),
    ledger_totals: db
      .prepare('SELECT app_id, direction, SUM(packets), SUM(amount_app), SUM(amount_provider) FROM ledger_totals GROUP BY 1, 2 ORDER BY 1, 2')
      .raw()
      .all(),
    rejects: db.prepare('SELECT app_id, code, SUM(packets) FROM rejects GROUP BY 1, 2 ORDER BY 1, 2').raw().all(),
  }
}

function rowsAt(db: Db, table: string, resolution: number): Array<{ app_id: string; bucket: bigint }> {
  return db.prepare(`SELECT app_id, bucket FROM ${table} WHERE resolution = ?`).all(resolution) as Array<{ app_id: string; bucket: bigint }>
}

/** No span of time of an app is stored at two resolutions. */
function assertOneResolution(db: Db, table: string): void {
  const overlaps = db
    .prepare(
      `SELECT count(*) FROM ${table} c JOIN ${table} f
         ON f.app_id = c.app_id AND f.resolution < c.resolution AND f.bucket >= c.bucket AND f.bucket < c.bucket + c.resolution`,
    )
    .pluck()
    .get()
  assert.equal(overlaps, 0n, `${table}: finer rows inside coarser buckets`)
}

/** 50 days of packets for two apps, every 17 minutes, plus rejects. */
function fill(db: Db, w: LedgerWriter): void {
  db.transaction(() => fillIn(w))()
}

function fillIn(w: LedgerWriter): void {
  const rnd = random(7)
  for (let t = NOW - 50 * DAY_MS; t <= NOW; t += 17 * MINUTE_MS) {
    for (const app of ['app-a', 'app-b']) {
      const a = BigInt(Math.floor(rnd() * 1e9))
      w.packet({ app, t, direction: rnd() < 0.3 ? 'earned' : 'spent', prefix: rnd() < 0.5 ? 'g.x.one' : 'g.x.two', amountApp: a, amountProvider: a + 5n })
      if (rnd() < 0.3) w.rejected({ app, t, code: rnd() < 0.5 ? 'T04' : 'F02' })
    }
  }
}

describe('rollUp', () => {
  let t: TempDb
  let w: LedgerWriter
  beforeEach(() => {
    t = tempDb()
    w = new LedgerWriter(t.db)
    fill(t.db, w)
  })
  afterEach(() => t.cleanup())

  it('moves buckets older than each table’s retention to hours and days, keeping every sum', () => {
    const before = grandTotals(t.db)
    const { rolled } = rollUp(t.db, NOW)
    for (const table of TABLES) assert.ok(rolled[table] > 0, table)
    assert.deepEqual(grandTotals(t.db), before)
    for (const table of TABLES) {
      const minuteCutoff = floorTo(NOW - RETENTION[table].minutes * 1000, HOUR_MS) / 1000
      const hourCutoff = floorTo(NOW - RETENTION[table].hours * 1000, DAY_MS) / 1000
      const minutes = rowsAt(t.db, table, 60)
      const hours = rowsAt(t.db, table, 3600)
      const days = rowsAt(t.db, table, 86400)
      assert.ok(minutes.length > 0 && hours.length > 0 && days.length > 0, table)
      assert.ok(minutes.every((r) => r.bucket >= minuteCutoff), `${table}: minutes before the cut-off`)
      assert.ok(hours.every((r) => r.bucket >= hourCutoff && r.bucket < minuteCutoff && r.bucket % 3600n === 0n), `${table}: hours`)
      assert.ok(days.every((r) => r.bucket < hourCutoff && r.bucket % 86400n === 0n), `${table}: days`)
      assertOneResolution(t.db, table)
    }
  })

  it('each coarse bucket is the sum of the finer rows it replaced', () => {
    // Expected hour rows of ledger_totals, computed from what was written.
    const minuteCutoff = floorTo(NOW - RETENTION.ledger_totals.minutes * 1000, HOUR_MS)
    const hourCutoff = floorTo(NOW - RETENTION.ledger_totals.hours * 1000, DAY_MS)
    const want = new Map<string, bigint>()
    for (const p of w.packets) {
      if (p.t >= minuteCutoff) continue
      const bucket = p.t >= hourCutoff ? `3600:${floorTo(p.t, HOUR_MS) / 1000}` : `86400:${floorTo(p.t, DAY_MS) / 1000}`
      const key = `${p.app}|${bucket}|${p.direction}`
      want.set(key, (want.get(key) ?? 0n) + p.amountApp)
    }
    rollUp(t.db, NOW)
    const got = new Map<string, bigint>()
    for (const r of t.db
      .prepare('SELECT app_id, resolution, bucket, direction, amount_app FROM ledger_totals WHERE resolution > 60')
      .all() as Array<{ app_id: string; resolution: bigint; bucket: bigint; direction: string; amount_app: bigint }>) {
      got.set(`${r.app_id}|${r.resolution}:${r.bucket}|${r.direction}`, r.amount_app)
    }
    assert.deepEqual(got, want)
  })

  it('is idempotent: a second run moves nothing and changes nothing', () => {
    rollUp(t.db, NOW)
    const once = dump(t.db)
    const again = rollUp(t.db, NOW)
    assert.deepEqual(again.rolled, { ledger: 0, ledger_totals: 0, rejects: 0 })
    assert.deepEqual(dump(t.db), once)
  })

  it('rolling up in many small steps ends where one roll-up does', () => {
    const other = tempDb()
    try {
      const w2 = new LedgerWriter(other.db)
      other.db.transaction(() => {
        for (const p of w.packets) w2.packet(p)
        for (const r of w.rejects) w2.rejected(r)
      })()
      // Every 10 minutes over the last 3 days, then at NOW.
      for (let at = NOW - 3 * DAY_MS; at < NOW; at += 10 * MINUTE_MS) rollUp(other.db, at)
      rollUp(other.db, NOW)
      rollUp(t.db, NOW)
      assert.deepEqual(dump(other.db), dump(t.db))
    } finally {
      other.cleanup()
    }
  })

  it('keeps the hour holding the minute cut-off in minutes: a coarse bucket only holds whole, old hours', () => {
    rollUp(t.db, NOW)
    const edge = floorTo(NOW - RETENTION.ledger_totals.minutes * 1000, HOUR_MS) / 1000
    const minutesInEdgeHour = t.db
      .prepare('SELECT count(*) FROM ledger_totals WHERE resolution = 60 AND bucket >= ? AND bucket < ?')
      .pluck()
      .get(edge, edge + 3600) as bigint
    assert.ok(minutesInEdgeHour > 0n)
    assert.equal(t.db.prepare('SELECT count(*) FROM ledger_totals WHERE resolution = 3600 AND bucket = ?').pluck().get(edge), 0n)
  })

  it('after a long stop, minute rows old enough go straight to days in the same run', () => {
    const other = tempDb()
    try {
      const w2 = new LedgerWriter(other.db)
      const old = NOW - 100 * DAY_MS
      w2.packet({ app: 'x', t: old, direction: 'spent', prefix: 'g.p', amountApp: 5n, amountProvider: 6n })
      w2.packet({ app: 'x', t: old + HOUR_MS, direction: 'spent', prefix: 'g.p', amountApp: 7n, amountProvider: 8n })
      w2.rejected({ app: 'x', t: old, code: 'T04' })
      rollUp(other.db, NOW)
      const day = floorTo(old, DAY_MS) / 1000
      assert.deepEqual(other.db.prepare('SELECT resolution, bucket, packets, amount_app, amount_provider FROM ledger').raw().all(), [[86400n, BigInt(day), 2n, 12n, 14n]])
      assert.deepEqual(other.db.prepare('SELECT resolution, bucket, packets, amount_app FROM ledger_totals').raw().all(), [[86400n, BigInt(day), 2n, 12n]])
      assert.deepEqual(other.db.prepare('SELECT resolution, bucket, code, packets FROM rejects').raw().all(), [[86400n, BigInt(day), 'T04', 1n]])
    } finally {
      other.cleanup()
    }
  })

  it('merges late minute rows into a coarse bucket that already exists', () => {
    rollUp(t.db, NOW)
    const old = NOW - 40 * DAY_MS + 123_456
    const day = BigInt(floorTo(old, DAY_MS) / 1000)
    const get = () =>
      t.db.prepare("SELECT packets, amount_app FROM ledger_totals WHERE app_id = 'app-a' AND resolution = 86400 AND bucket = ? AND direction = 'spent'").raw().get(day) as bigint[]
    const [packets, amount] = get()
    // The clock was set back: a packet recorded 40 days ago, at minute resolution.
    w.packet({ app: 'app-a', t: old, direction: 'spent', prefix: 'g.x.one', amountApp: 1000n, amountProvider: 1n })
    const { rolled } = rollUp(t.db, NOW)
    // Minute to hour, then hour to day, in the same run.
    assert.deepEqual(rolled, { ledger: 2, ledger_totals: 2, rejects: 0 })
    assert.deepEqual(get(), [packets + 1n, amount + 1000n])
    for (const table of TABLES) assertOneResolution(t.db, table)
  })

  it('rollUpApp rolls up one app only; ledgerApps lists every app', () => {
    assert.deepEqual(ledgerApps(t.db), ['app-a', 'app-b'])
    const { rolled } = rollUpApp(t.db, 'app-a', NOW)
    assert.ok(rolled.ledger > 0)
    const minutesBefore = (app: string) =>
      t.db
        .prepare('SELECT count(*) FROM ledger WHERE app_id = ? AND resolution = 60 AND bucket < ?')
        .pluck()
        .get(app, (NOW - 3 * DAY_MS) / 1000)
    assert.equal(minutesBefore('app-a'), 0n)
    assert.ok((minutesBefore('app-b') as bigint) > 0n)
  })

  it('follows a retention it is given, and refuses a nonsensical one', () => {
    const custom: Retention = {
      ledger: { minutes: 0, hours: 0 },
      ledger_totals: { minutes: 3600, hours: 86400 },
      rejects: { minutes: 0, hours: 86400 },
    }
    const before = grandTotals(t.db)
    rollUp(t.db, NOW, custom)
    assert.deepEqual(grandTotals(t.db), before)
    // ledger keeps minutes and hours 0 s: everything before today (UTC) is days, today's finished hours are hours.
    const today = floorTo(NOW, DAY_MS) / 1000
    assert.equal(t.db.prepare('SELECT count(*) FROM ledger WHERE resolution < 86400 AND bucket < ?').pluck().get(today), 0n)
    assert.equal(t.db.prepare('SELECT count(*) FROM ledger WHERE resolution = 60 AND bucket < ?').pluck().get(floorTo(NOW, HOUR_MS) / 1000), 0n)
    const bad = { ...RETENTION, rejects: { minutes: 7200, hours: 3600 } }
    assert.throws(() => rollUp(t.db, NOW, bad), RangeError)
    assert.throws(() => rollUp(t.db, NOW, { ...RETENTION, ledger: { minutes: -1, hours: 0 } }), RangeError)
    assert.throws(() => rollUp(t.db, Number.NaN), TypeError)
  })
})

describe('startRollupScheduler', () => {
  // The scheduler's timers are unref'd: keep the event loop alive while a test waits for them.
  let keepAlive: ReturnType<typeof setInterval>
  beforeEach(() => {
    keepAlive = setInterval(() => {}, 1000)
  })
  afterEach(() => clearInterval(keepAlive))

  it('does not keep a process alive', () => {
    const store = new URL('../../../../app/main/engine/store/', import.meta.url).pathname
    const script = `
      import { mkdtempSync, rmSync } from 'node:fs'
      import { tmpdir } from 'node:os'
      import { join } from 'node:path'
      import { openDatabase } from '${store}database.ts'
      import { startRollupScheduler } from '${store}ledger-rollup.ts'
      const folder = mkdtempSync(join(tmpdir(), 'junction-rollup-exit-'))
      process.on('exit', () => rmSync(folder, { recursive: true, force: true }))
      const db = openDatabase(folder)
      startRollupScheduler(db, { intervalMs: 50 })
      setTimeout(() => console.log('still here'), 200)
    `
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 })
    assert.equal(run.status, 0, run.stderr)
    assert.equal(run.stdout.trim(), 'still here')
  })

  it('rolls up soon after it starts and then every interval, one app at a time; stop() ends it', async () => {
    const t = tempDb()
    try {
      const w = new LedgerWriter(t.db)
      fill(t.db, w)
      const before = grandTotals(t.db)
      const results: RollupResult[] = []
      let now = NOW
      let wake: () => void = () => {}
      const scheduler = startRollupScheduler(t.db, {
        intervalMs: 20,
        now: () => now,
        onRollup: (r) => {
          results.push(r)
          wake()
        },
      })
      const next = () => new Promise<void>((resolve) => (wake = resolve))
      await next()
      assert.ok(results[0].rolled.ledger > 0)
      assert.deepEqual(grandTotals(t.db), before)
      // An hour later, the next hour of minute rows moves.
      now = NOW + HOUR_MS
      const moved = await (async () => {
        for (;;) {
          await next()
          const last = results[results.length - 1]
          if (last.rolled.ledger > 0) return last
        }
      })()
      assert.ok(moved.rolled.ledger_totals > 0)
      await scheduler.stop()
      const count = results.length
      await new Promise((resolve) => setTimeout(resolve, 60))
      assert.equal(results.length, count, 'no roll-up after stop()')
      assert.deepEqual(grandTotals(t.db), before)
    } finally {
      t.cleanup()
    }
  })

  it('logs a failed roll-up and keeps going', async () => {
    const t = tempDb()
    try {
      const warnings: string[] = []
      let calls = 0
      const scheduler = startRollupScheduler(t.db, {
        intervalMs: 10,
        now: () => {
          calls++
          if (calls === 2) throw new Error('clock broke')
          return NOW
        },
        log: { debug: () => {}, warn: (m) => warnings.push(m) },
      })
      while (calls < 4) await new Promise((resolve) => setTimeout(resolve, 5))
      await scheduler.stop()
      assert.equal(warnings.length, 1)
      assert.match(warnings[0], /roll-up failed.*clock broke/)
    } finally {
      t.cleanup()
    }
  })

  it('refuses a bad interval or retention up front', () => {
    const t = tempDb()
    try {
      assert.throws(() => startRollupScheduler(t.db, { intervalMs: 0 }), RangeError)
      assert.throws(() => startRollupScheduler(t.db, { retention: { ...RETENTION, ledger: { minutes: 10, hours: 5 } } }), RangeError)
    } finally {
      t.cleanup()
    }
  })
})
