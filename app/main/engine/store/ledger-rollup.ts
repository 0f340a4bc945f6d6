// Retention of the per-app ledger: minute buckets become hour buckets, hour buckets become day buckets, day buckets
// are kept forever.
//
// The packet path writes minute buckets only (sqlite-balance-store.ts). A roll-up moves every bucket older than its
// table's retention to the next coarser resolution, summing, and deletes the finer rows, in one transaction (per
// app, for ledger, ledger_totals and rejects together), so any part of the history is at exactly one resolution and
// the queries (ledger-queries.ts) sum all resolutions without counting anything twice. Cut-offs are aligned to the
// coarser resolution, so an hour (day) bucket is only ever made of whole hours (days) older than the retention.
// Running it again finds nothing more to move: it is idempotent. Rows written late for a time already rolled up
// (the clock was set back) are other packets, so they are still counted once; the next roll-up merges them in.
//
// Retention (RETENTION below). The target: every UI query answers in ≤ 50 ms on a year of 20 apps × 50
// destinations, busy every minute (test/bench/ledger-queries.ts), while each chart keeps the detail it shows. A
// query costs the rows it reads (≈ 0.3 µs each in SQLite on the 2-core bench machine, more with a GROUP BY sort):
// - ledger_totals (totals and charts): minutes for 25 h, hours for 32 days, then days. A chart of the last 24 h, or
//   of a local day (25 h when DST ends), is by the minute; the last 30 days and the current calendar month by the
//   hour; anything older by the day. A busy app's year is ≈ 5,300 rows, so "totals of all 20 apps over a year"
//   reads ≈ 105 k rows: 26 ms on an idle machine, ≈ 40 ms with its 2 cores busy with other work.
// - ledger by destination prefix (top destinations, CSV export) and rejects by code: minutes for 2 h, hours for 7
//   days, then days. They are wider (a row per destination, or per reject code, in each bucket: 50× the totals'
//   rows for the dataset above) and are only ever summed over a range, never charted minute by minute; the last
//   2 h stay exact for "what is happening now", the last week to the hour.
// Measured with 48 h of minutes and 90 days of hours in all three tables instead: 6.0 M rows and 428 MiB instead
// of ≈ 0.85 M rows and 60 MiB, totals of all apps over a year 84 ms, top destinations of one app over a year 263 ms
// (a month 162 ms), rejects of all apps over a month 66 ms: all over the target.
// A range edge inside a bucket kept only at hour (day) resolution is rounded to that bucket (ledger-queries.ts);
// day buckets are UTC days.
//
// rollUp() does every app in one transaction. The scheduler does one app per transaction and lets the event loop
// run in between, so a roll-up never stalls packets for long (each hour, a busy app's hour of minute rows moves).
import type { Logger } from '../log'
import type { Db } from './database'
import { DAY, HOUR, MINUTE } from './ledger-buckets'

/** How long (seconds) a table keeps minute buckets before they become hours, and hour buckets before they become days. */
export interface TableRetention {
  minutes: number
  hours: number
}

export interface Retention {
  ledger: TableRetention
  ledger_totals: TableRetention
  rejects: TableRetention
}

export const RETENTION: Retention = {
  ledger: { minutes: 2 * HOUR, hours: 7 * DAY },
  ledger_totals: { minutes: 25 * HOUR, hours: 32 * DAY },
  rejects: { minutes: 2 * HOUR, hours: 7 * DAY },
}

/** How often the engine rolls up. */
export const ROLLUP_INTERVAL_MS = 10 * 60_000

type Table = keyof Retention
const TABLE_NAMES: readonly Table[] = ['ledger', 'ledger_totals', 'rejects']

const COLUMNS: Record<Table, { keys: string[]; sums: string[] }> = {
  ledger: { keys: ['direction', 'prefix'], sums: ['packets', 'amount_app', 'amount_provider'] },
  ledger_totals: { keys: ['direction'], sums: ['packets', 'amount_app', 'amount_provider'] },
  rejects: { keys: ['code'], sums: ['packets'] },
}

// Minutes before hours, so minute rows old enough to be days (Junction was off for a while) go all the way.
const STEPS = [
  { fine: MINUTE, coarse: HOUR, keep: 'minutes' },
  { fine: HOUR, coarse: DAY, keep: 'hours' },
] as const

export interface RollupResult {
  /** Finer rows rolled into coarser ones (and deleted), per table. */
  rolled: Record<Table, number>
}

interface Prepared {
  /** Every app id with rows in any ledger table, in order. */
  apps: () => string[]
  /** Rolls up one app's rows in all three tables (no transaction of its own); adds to `rolled`. */
  app: (app: string, cutoffs: Cutoffs, rolled: Record<Table, number>) => void
  /** rollUp's transaction: every app. */
  all: (cutoffs: Cutoffs) => RollupResult
  /** The scheduler's transaction: one app. */
  one: (app: string, cutoffs: Cutoffs) => RollupResult
}

/** Per table and step, the first bucket start (Unix seconds) that is kept at the finer resolution. */
type Cutoffs = Record<Table, [bigint, bigint]>

/** Statements prepared once per Database. */
const prepared = new WeakMap<Db, Prepared>()

function prepare(db: Db): Prepared {
  const walks: Array<() => string[]> = []
  const steps: Array<{ table: Table; index: number; roll: (app: string, cutoff: bigint) => void; drop: (app: string, cutoff: bigint) => number }> = []
  for (const table of TABLE_NAMES) {
    const { keys, sums } = COLUMNS[table]
    // Distinct apps by skipping through the primary key: one seek per app, not a scan.
    const first = db.prepare<[], { app_id: string }>(`SELECT app_id FROM ${table} ORDER BY app_id LIMIT 1`)
    const after = db.prepare<[string], { app_id: string }>(`SELECT app_id FROM ${table} WHERE app_id > ? ORDER BY app_id LIMIT 1`)
    walks.push(() => {
      const out: string[] = []
      for (let row = first.get(); row; row = after.get(row.app_id)) out.push(row.app_id)
      return out
    })
    STEPS.forEach(({ fine, coarse }, index) => {
      const roll = db.prepare<[string, bigint]>(
        `INSERT INTO ${table} (app_id, resolution, bucket, ${keys.join(', ')}, ${sums.join(', ')})
         SELECT app_id, ${coarse}, bucket - bucket % ${coarse}, ${keys.join(', ')}, ${sums.map((c) => `SUM(${c})`).join(', ')}
         FROM ${table} WHERE app_id = ? AND resolution = ${fine} AND bucket < ?
         GROUP BY bucket - bucket % ${coarse}, ${keys.join(', ')}
         ON CONFLICT DO UPDATE SET ${sums.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')}`,
      )
      const drop = db.prepare<[string, bigint]>(`DELETE FROM ${table} WHERE app_id = ? AND resolution = ${fine} AND bucket < ?`)
      steps.push({ table, index, roll: (app, cutoff) => void roll.run(app, cutoff), drop: (app, cutoff) => drop.run(app, cutoff).changes })
    })
  }
  const apps = (): string[] => [...new Set(walks.flatMap((walk) => walk()))].sort()
  const app = (id: string, cutoffs: Cutoffs, rolled: Record<Table, number>): void => {
    for (const step of steps) {
      const cutoff = cutoffs[step.table][step.index]
      step.roll(id, cutoff)
      rolled[step.table] += step.drop(id, cutoff)
    }
  }
  const empty = (): Record<Table, number> => ({ ledger: 0, ledger_totals: 0, rejects: 0 })
  const all = db.transaction((cutoffs: Cutoffs): RollupResult => {
    const rolled = empty()
    for (const id of apps()) app(id, cutoffs, rolled)
    return { rolled }
  })
  const one = db.transaction((id: string, cutoffs: Cutoffs): RollupResult => {
    const rolled = empty()
    app(id, cutoffs, rolled)
    return { rolled }
  })
  return { apps, app, all, one }
}

function statements(db: Db): Prepared {
  let p = prepared.get(db)
  if (!p) prepared.set(db, (p = prepare(db)))
  return p
}

function cutoffsAt(now: number, retention: Retention): Cutoffs {
  if (!Number.isFinite(now)) throw new TypeError('now is a time in Unix milliseconds')
  const nowSeconds = Math.floor(now / 1000)
  const out = {} as Cutoffs
  for (const table of TABLE_NAMES) {
    const r = retention?.[table]
    if (!r || !(Number.isSafeInteger(r.minutes) && r.minutes >= 0) || !(Number.isSafeInteger(r.hours) && r.hours >= r.minutes)) {
      throw new RangeError(`retention of ${table}: minutes and hours are whole seconds, 0 ≤ minutes ≤ hours`)
    }
    const [m, h] = STEPS.map(({ coarse, keep }) => BigInt(Math.floor((nowSeconds - r[keep]) / coarse) * coarse))
    out[table] = [m, h]
  }
  return out
}

/**
 * Rolls up every ledger bucket older than the retention as of `now` (Unix ms), for every app, in one transaction.
 * Idempotent. Synchronous: on the engine's connection it falls between two group commits.
 */
export function rollUp(db: Db, now: number = Date.now(), retention: Retention = RETENTION): RollupResult {
  return statements(db).all(cutoffsAt(now, retention))
}

/** Rolls up one app's buckets (all three tables) in one transaction: the scheduler's unit of work. */
export function rollUpApp(db: Db, app: string, now: number = Date.now(), retention: Retention = RETENTION): RollupResult {
  return statements(db).one(app, cutoffsAt(now, retention))
}

/** Every app id with rows in any ledger table, in order. */
export function ledgerApps(db: Db): string[] {
  return statements(db).apps()
}

export interface RollupScheduler {
  /** Resolves when the roll-up in progress (if any) is done. */
  stop(): Promise<void>
}

export interface RollupSchedulerOptions {
  intervalMs?: number
  now?: () => number
  retention?: Retention
  log?: Pick<Logger, 'debug' | 'warn'>
  /** Called after each complete roll-up (for tests and stats). */
  onRollup?: (result: RollupResult) => void
}

/**
 * Rolls up soon after the engine starts (catching up on the time it was off) and then every `intervalMs` (10 min):
 * one transaction per app, yielding to the event loop between apps. The timers are unref'd: they never keep the
 * process alive. A failed roll-up (disk full, …) is logged and tried again next time; nothing is lost, minute rows
 * just stay longer. Await stop() before closing the database.
 */
export function startRollupScheduler(db: Db, opts: RollupSchedulerOptions = {}): RollupScheduler {
  const { intervalMs = ROLLUP_INTERVAL_MS, now = Date.now, retention = RETENTION, log, onRollup } = opts
  if (!(Number.isFinite(intervalMs) && intervalMs > 0)) throw new RangeError('intervalMs is a positive number of milliseconds')
  cutoffsAt(now(), retention) // validates the retention now rather than at the first tick
  let stopped = false
  let running: Promise<void> | undefined
  const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

  const run = async (): Promise<void> => {
    const started = performance.now()
    const cutoffs = cutoffsAt(now(), retention)
    const p = statements(db)
    const total: RollupResult = { rolled: { ledger: 0, ledger_totals: 0, rejects: 0 } }
    for (const app of p.apps()) {
      if (stopped || !db.open) return
      const { rolled } = p.one(app, cutoffs)
      for (const table of TABLE_NAMES) total.rolled[table] += rolled[table]
      await yieldToEventLoop()
    }
    const n = total.rolled.ledger + total.rolled.ledger_totals + total.rolled.rejects
    if (n > 0) log?.debug(`ledger roll-up: ${n} rows in ${(performance.now() - started).toFixed(0)} ms`)
    onRollup?.(total)
  }
  const tick = (): void => {
    if (stopped || running || !db.open) return
    running = run()
      .catch((err: unknown) => {
        log?.warn(`ledger roll-up failed, trying again in ${Math.round(intervalMs / 1000)} s: ${(err as Error).message}`)
      })
      .finally(() => {
        running = undefined
      })
  }
  const first = setTimeout(tick, 0)
  first.unref()
  const every = setInterval(tick, intervalMs)
  every.unref()
  return {
    async stop() {
      stopped = true
      clearTimeout(first)
      clearInterval(every)
      await running
    },
  }
}
