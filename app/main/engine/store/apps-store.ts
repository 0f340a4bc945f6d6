// Where apps (child accounts) and the user's decisions about them are kept: the `apps` table (schema 1), the apps'
// settings in `settings`, and what each app spent in the current calendar periods, read from `ledger_totals`.
// Tokens are kept as SHA-256 hashes only, and only for registered apps (an unregistered app's random secret is
// never stored). Writes happen on user actions and on connect/disconnect, never per packet.
//
// MemoryAppsStore is the same interface for an engine without a database (tests, a throwaway node).
import type { AppBudget, AppStatus, BudgetPeriod } from '../accounts/app-policy'
import type { Db } from './database'
import { DAY, HOUR, MINUTE } from './ledger-buckets'

export interface AppRow {
  id: string
  displayName: string | null
  status: AppStatus
  /** False for token-derived ids (an empty BTP username): ilp-plugin's defaults make a new one every run. */
  named: boolean
  /** SHA-256 of the token of a registered app; null for an app identified by name (or by token-derived id). */
  tokenHash: Buffer | null
  /** Unix ms. */
  createdAt: number
  lastSeenAt: number | null
  budget: AppBudget | null
  maxPacketAmount: bigint | null
  maxPacketsPerSecond: number | null
}

/** What an app spent (committed, app's units) in buckets starting at or after each period's start. */
export interface SpentInPeriods {
  day: bigint
  week: bigint
  month: bigint
}

export interface AppsStore {
  all(): AppRow[]
  /** Inserts or replaces the whole row. */
  put(row: AppRow): void
  touch(id: string, lastSeenAt: number): void
  /** Deletes the app's row; its ledger rows and balance stay. */
  delete(id: string): void
  /** Period starts in Unix ms. */
  spentSince(appId: string, starts: Record<BudgetPeriod, number>): SpentInPeriods
  getSetting(key: string): string | undefined
  /** `undefined` deletes the setting. */
  setSetting(key: string, value: string | undefined): void
}

interface DbAppRow {
  id: string
  display_name: string | null
  status: AppStatus
  named: bigint
  token_hash: Buffer | null
  created_at: bigint
  last_seen_at: bigint | null
  budget_amount: bigint | null
  budget_period: BudgetPeriod | null
  max_packet_amount: bigint | null
  max_packets_per_second: bigint | null
}

export class SqliteAppsStore implements AppsStore {
  private readonly selectAll: () => DbAppRow[]
  private readonly upsert: (row: AppRow) => void
  private readonly touch1: (id: string, at: number) => void
  private readonly delete1: (id: string) => void
  private readonly spent: (appId: string, day: number, week: number, month: number) => SpentInPeriods
  private readonly getSetting1: (key: string) => string | undefined
  private readonly setSetting1: (key: string, value: string) => void
  private readonly deleteSetting1: (key: string) => void

  constructor(db: Db) {
    const selectAll = db.prepare<[], DbAppRow>('SELECT * FROM apps ORDER BY created_at, id')
    this.selectAll = () => selectAll.all()
    const upsert = db.prepare(
      `INSERT INTO apps (id, display_name, status, named, token_hash, created_at, last_seen_at, budget_amount, budget_period,
         max_packet_amount, max_packets_per_second)
       VALUES (@id, @displayName, @status, @named, @tokenHash, @createdAt, @lastSeenAt, @budgetAmount, @budgetPeriod,
         @maxPacketAmount, @maxPacketsPerSecond)
       ON CONFLICT (id) DO UPDATE SET display_name = excluded.display_name, status = excluded.status,
         named = excluded.named, token_hash = excluded.token_hash, created_at = excluded.created_at,
         last_seen_at = excluded.last_seen_at, budget_amount = excluded.budget_amount,
         budget_period = excluded.budget_period, max_packet_amount = excluded.max_packet_amount,
         max_packets_per_second = excluded.max_packets_per_second`,
    )
    this.upsert = (r) =>
      upsert.run({
        id: r.id,
        displayName: r.displayName,
        status: r.status,
        named: r.named ? 1 : 0,
        tokenHash: r.tokenHash,
        createdAt: r.createdAt,
        lastSeenAt: r.lastSeenAt,
        budgetAmount: r.budget?.amount ?? null,
        budgetPeriod: r.budget?.period ?? null,
        maxPacketAmount: r.maxPacketAmount,
        maxPacketsPerSecond: r.maxPacketsPerSecond,
      })
    const touch = db.prepare('UPDATE apps SET last_seen_at = ? WHERE id = ?')
    this.touch1 = (id, at) => touch.run(at, id)
    const del = db.prepare('DELETE FROM apps WHERE id = ?')
    this.delete1 = (id) => del.run(id)
    // Every resolution the ledger keeps (minute buckets, and hours and days once rolled up), by the primary key
    // (app_id, resolution, bucket, …): a range seek per resolution, never a scan of other apps' rows. A bucket counts
    // when it starts at or after the period's start (local midnight, a whole minute). Minute buckets (kept 48 h, see
    // ledger-rollup.ts) make today exact; older hour buckets are exact where the time zone is a whole number of hours
    // from UTC, and in a :30/:45 zone the one hour bucket straddling the week's or month's start is left out.
    // Day buckets (after 90 days) are older than any month.
    const spent = db.prepare<[number, number, number, string, number], { day: bigint; week: bigint; month: bigint }>(
      `SELECT COALESCE(SUM(CASE WHEN bucket >= ? THEN amount_app END), 0) AS day,
              COALESCE(SUM(CASE WHEN bucket >= ? THEN amount_app END), 0) AS week,
              COALESCE(SUM(CASE WHEN bucket >= ? THEN amount_app END), 0) AS month
       FROM ledger_totals
       WHERE app_id = ? AND resolution IN (${MINUTE}, ${HOUR}, ${DAY}) AND bucket >= ? AND direction = 'spent'`,
    )
    this.spent = (appId, day, week, month) => {
      const [d, w, m] = [day, week, month].map((ms) => Math.floor(ms / 1000))
      const row = spent.get(d, w, m, appId, Math.min(d, w, m))!
      return { day: BigInt(row.day), week: BigInt(row.week), month: BigInt(row.month) }
    }
    const getSetting = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?')
    this.getSetting1 = (key) => getSetting.get(key)?.value
    const setSetting = db.prepare(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    )
    this.setSetting1 = (key, value) => setSetting.run(key, value)
    const deleteSetting = db.prepare('DELETE FROM settings WHERE key = ?')
    this.deleteSetting1 = (key) => deleteSetting.run(key)
  }

  all(): AppRow[] {
    return this.selectAll().map(fromDb)
  }

  put(row: AppRow): void {
    this.upsert(row)
  }

  touch(id: string, lastSeenAt: number): void {
    this.touch1(id, lastSeenAt)
  }

  delete(id: string): void {
    this.delete1(id)
  }

  spentSince(appId: string, starts: Record<BudgetPeriod, number>): SpentInPeriods {
    return this.spent(appId, starts.day, starts.week, starts.month)
  }

  getSetting(key: string): string | undefined {
    return this.getSetting1(key)
  }

  setSetting(key: string, value: string | undefined): void {
    if (value === undefined) this.deleteSetting1(key)
    else this.setSetting1(key, value)
  }
}

function fromDb(r: DbAppRow): AppRow {
  return {
    id: r.id,
    displayName: r.display_name,
    status: r.status,
    named: Number(r.named) === 1,
    tokenHash: r.token_hash ? Buffer.from(r.token_hash) : null,
    createdAt: Number(r.created_at),
    lastSeenAt: r.last_seen_at === null ? null : Number(r.last_seen_at),
    budget: r.budget_amount !== null && r.budget_period !== null ? { amount: BigInt(r.budget_amount), period: r.budget_period } : null,
    maxPacketAmount: r.max_packet_amount === null ? null : BigInt(r.max_packet_amount),
    maxPacketsPerSecond: r.max_packets_per_second === null ? null : Number(r.max_packets_per_second),
  }
}

/** The same store in memory: everything is forgotten when the process ends, and there is no ledger to read. */
export class MemoryAppsStore implements AppsStore {
  private readonly rows = new Map<string, AppRow>()
  private readonly settings = new Map<string, string>()

  all(): AppRow[] {
    return [...this.rows.values()].map(copy)
  }

  put(row: AppRow): void {
    this.rows.set(row.id, copy(row))
  }

  touch(id: string, lastSeenAt: number): void {
    const row = this.rows.get(id)
    if (row) row.lastSeenAt = lastSeenAt
  }

  delete(id: string): void {
    this.rows.delete(id)
  }

  spentSince(): SpentInPeriods {
    return { day: 0n, week: 0n, month: 0n }
  }

  getSetting(key: string): string | undefined {
    return this.settings.get(key)
  }

  setSetting(key: string, value: string | undefined): void {
    if (value === undefined) this.settings.delete(key)
    else this.settings.set(key, value)
  }
}

function copy(row: AppRow): AppRow {
  return { ...row, budget: row.budget ? { ...row.budget } : null, tokenHash: row.tokenHash ? Buffer.from(row.tokenHash) : null }
}
