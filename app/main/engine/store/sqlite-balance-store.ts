// Durable balances and the per-app ledger in SQLite, with a group commit.
//
// Each fulfilled packet adds its balance changes and ledger entries to an in-memory batch (a few Map updates); the
// batch is written in one transaction at the end of the event-loop turn, and the pipeline passes the batch's
// fulfills back only after that commit returns (whenDurable). In WAL mode with synchronous=NORMAL a returned commit
// is in the WAL, so `kill -9` at any moment loses nothing a peer saw fulfilled and counts nothing twice.
//
// If a commit fails (disk full, read-only folder): the batch's fulfills become T00 rejects, the senders' side of the
// batch is undone (they were not charged), Junction's debts to next hops are kept for the next commit, and new
// packets are refused with T00 until a retry succeeds.
//
// `commit: 'per-packet'` writes each fulfill in its own transaction before the fulfill is passed on. It exists only
// to measure the group commit against it (the bench's `junction-per-packet`, JUNCTION_COMMIT=per-packet).
import type { Account } from '../accounts/account'
import type { BalanceStore, FulfillRecord } from '../balances/balance-store'
import type { Logger } from '../log'
import { type Db, StoreError, storeError } from './database'
import { destinationPrefix, MINUTE } from './ledger-buckets'

interface LedgerDelta {
  app: string
  bucket: number
  direction: 'spent' | 'earned'
  prefix: string
  packets: bigint
  amountApp: bigint
  amountProvider: bigint
}

interface RejectDelta {
  app: string
  bucket: number
  code: string
  packets: bigint
}

const RETRY_MS = 1000

export interface SqliteBalanceStoreOptions {
  /** 'group' (default): one transaction per event-loop turn. 'per-packet': one per fulfill, for measurements only. */
  commit?: 'group' | 'per-packet'
  /** How long to wait before retrying a failed commit (ms, default 1000). */
  retryMs?: number
}

export class SqliteBalanceStore implements BalanceStore {
  private balances = new Map<string, { relation: string; delta: bigint }>()
  private ledger = new Map<string, LedgerDelta>()
  private rejects = new Map<string, RejectDelta>()
  /** What senders were charged in this batch, undone if the batch cannot be committed. */
  private charged: Array<[Account, bigint]> = []
  private waiters: Array<(error?: Error) => void> = []
  private scheduled = false
  private retryTimer: ReturnType<typeof setTimeout> | undefined
  private closed = false
  unavailable: string | undefined = undefined
  private readonly file: string
  private readonly perPacket: boolean
  private readonly retryMs: number
  private readonly load1: (id: string) => { balance: bigint } | undefined
  private readonly writeBatch: () => void

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
    opts: SqliteBalanceStoreOptions = {},
  ) {
    this.file = db.name
    this.perPacket = opts.commit === 'per-packet'
    this.retryMs = opts.retryMs ?? RETRY_MS
    // A damaged schema fails here, when the statements are prepared (once: preparing per call costs ~30 µs).
    const prepare = <P extends unknown[] = unknown[], R = unknown>(sql: string) => {
      try {
        return db.prepare<P, R>(sql)
      } catch (err) {
        throw storeError(err, this.file)
      }
    }
    const loadBalance = prepare<[string], { balance: bigint }>('SELECT balance FROM accounts WHERE id = ?')
    this.load1 = (id) => loadBalance.get(id)
    const upsertBalance = prepare(
      `INSERT INTO accounts (id, relation, balance, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET balance = balance + excluded.balance, updated_at = excluded.updated_at`,
    )
    const upsertLedger = prepare(
      `INSERT INTO ledger (app_id, resolution, bucket, direction, prefix, packets, amount_app, amount_provider)
       VALUES (?, ${MINUTE}, ?, ?, ?, ?, ?, ?)
       ON CONFLICT DO UPDATE SET packets = packets + excluded.packets, amount_app = amount_app + excluded.amount_app,
         amount_provider = amount_provider + excluded.amount_provider`,
    )
    const upsertTotals = prepare(
      `INSERT INTO ledger_totals (app_id, resolution, bucket, direction, packets, amount_app, amount_provider)
       VALUES (?, ${MINUTE}, ?, ?, ?, ?, ?)
       ON CONFLICT DO UPDATE SET packets = packets + excluded.packets, amount_app = amount_app + excluded.amount_app,
         amount_provider = amount_provider + excluded.amount_provider`,
    )
    const upsertReject = prepare(
      `INSERT INTO rejects (app_id, resolution, bucket, code, packets) VALUES (?, ${MINUTE}, ?, ?, ?)
       ON CONFLICT DO UPDATE SET packets = packets + excluded.packets`,
    )
    this.writeBatch = db.transaction(() => {
      const t = this.now()
      for (const [id, b] of this.balances) if (b.delta !== 0n) upsertBalance.run(id, b.relation, b.delta, t)
      // The totals row of an app and bucket is the sum of its prefix rows; written from the same deltas.
      const totals = new Map<string, LedgerDelta>()
      for (const d of this.ledger.values()) {
        upsertLedger.run(d.app, d.bucket, d.direction, d.prefix, d.packets, d.amountApp, d.amountProvider)
        const key = `${d.app}\0${d.bucket}\0${d.direction}`
        const sum = totals.get(key)
        if (sum) {
          sum.packets += d.packets
          sum.amountApp += d.amountApp
          sum.amountProvider += d.amountProvider
        } else totals.set(key, { ...d })
      }
      for (const d of totals.values()) upsertTotals.run(d.app, d.bucket, d.direction, d.packets, d.amountApp, d.amountProvider)
      for (const r of this.rejects.values()) upsertReject.run(r.app, r.bucket, r.code, r.packets)
    })
  }

  get pending(): boolean {
    return this.scheduled
  }

  /** The committed balance plus what is recorded for it but not yet committed (or kept after a failed commit). */
  load(accountId: string): bigint {
    let row: { balance: bigint } | undefined
    try {
      row = this.load1(accountId)
    } catch (err) {
      throw storeError(err, this.file)
    }
    return (row?.balance ?? 0n) + (this.balances.get(accountId)?.delta ?? 0n)
  }

  recordFulfill({ from, inAmount, to, outAmount, destination }: FulfillRecord): void {
    if (inAmount !== 0n) {
      this.addBalance(from, inAmount)
      this.charged.push([from, inAmount])
    }
    if (to && outAmount !== 0n) this.addBalance(to, -outAmount)
    const bucket = Math.floor(this.now() / 60_000) * 60
    if (from.relation === 'child' && inAmount !== 0n) {
      this.addLedger(from.id, bucket, 'spent', destinationPrefix(destination), inAmount, outAmount)
    }
    if (to && to.relation === 'child' && outAmount !== 0n) {
      // Who paid an app is not in an ILP packet, so earnings have no prefix.
      this.addLedger(to.id, bucket, 'earned', '', outAmount, inAmount)
    }
    if (this.perPacket && !this.scheduled && this.writeNow()) return
    this.schedule()
  }

  recordReject(from: Account, code: string): void {
    const bucket = Math.floor(this.now() / 60_000) * 60
    const key = `${from.id}\0${bucket}\0${code}`
    const r = this.rejects.get(key)
    if (r) r.packets += 1n
    else this.rejects.set(key, { app: from.id, bucket, code, packets: 1n })
    this.schedule()
  }

  whenDurable(cb: (error?: Error) => void): void {
    if (!this.scheduled) cb()
    else this.waiters.push(cb)
  }

  /** Writes whatever is pending now (used at shutdown). */
  flushNow(): void {
    if (this.scheduled) this.flush()
  }

  private addBalance(account: Account, delta: bigint): void {
    const b = this.balances.get(account.id)
    if (b) b.delta += delta
    else this.balances.set(account.id, { relation: account.relation, delta })
  }

  private addLedger(app: string, bucket: number, direction: 'spent' | 'earned', prefix: string, amountApp: bigint, amountProvider: bigint) {
    const key = `${app}\0${bucket}\0${direction}\0${prefix}`
    const d = this.ledger.get(key)
    if (d) {
      d.packets += 1n
      d.amountApp += amountApp
      d.amountProvider += amountProvider
    } else {
      this.ledger.set(key, { app, bucket, direction, prefix, packets: 1n, amountApp, amountProvider })
    }
  }

  private schedule(): void {
    if (this.scheduled) return
    this.scheduled = true
    setImmediate(this.flush)
  }

  /** Per-packet mode: commits the batch at once. False if it failed (the group path then retries and reports). */
  private writeNow(): boolean {
    if (this.closed || this.unavailable !== undefined) return false
    try {
      this.writeBatch()
    } catch {
      return false
    }
    this.clearBatch()
    return true
  }

  private clearBatch(): void {
    this.balances.clear()
    this.ledger.clear()
    this.rejects.clear()
    this.charged = []
  }

  private readonly flush = (): void => {
    if (!this.scheduled) return
    const waiters = this.waiters
    const charged = this.charged
    this.waiters = []
    this.charged = []
    try {
      if (this.closed) throw new StoreError(`the database ${this.file} is closed`, this.file, 'io')
      this.writeBatch()
      this.balances.clear()
      this.ledger.clear()
      this.rejects.clear()
      this.scheduled = false
      clearTimeout(this.retryTimer)
      this.retryTimer = undefined
      if (this.unavailable !== undefined) {
        this.log.info(`the database ${this.file} accepts writes again`)
        this.unavailable = undefined
      }
      for (const w of waiters) w()
    } catch (err) {
      const error = storeError(err, this.file)
      this.scheduled = false
      if (this.unavailable === undefined) this.log.error(error.message)
      this.unavailable = error.message
      // The senders of this batch get T00, so they were not charged: undo that in memory and in the batch, with
      // their spent rows. What Junction owes next hops (and the earned rows of apps it owes) is real: kept.
      for (const [account, amount] of charged) {
        account.balance -= amount
        this.addBalance(account, -amount)
      }
      for (const [key, d] of this.ledger) if (d.direction === 'spent') this.ledger.delete(key)
      for (const w of waiters) w(error)
      // Retry until the disk accepts the kept debts; new packets are refused (unavailable) until then.
      clearTimeout(this.retryTimer)
      this.retryTimer = undefined
      if (this.closed) return
      this.retryTimer = setTimeout(() => {
        this.retryTimer = undefined
        this.scheduled = true
        this.flush()
      }, this.retryMs)
      this.retryTimer.unref()
    }
  }

  /** Writes what is pending and closes the database; throws the StoreError if the last write failed. */
  close(): void {
    if (this.closed) return
    clearTimeout(this.retryTimer)
    this.retryTimer = undefined
    let failed: string | undefined
    try {
      if (this.unavailable !== undefined || this.balances.size > 0 || this.ledger.size > 0 || this.rejects.size > 0) this.scheduled = true
      this.flushNow()
      failed = this.unavailable
    } finally {
      this.closed = true
      clearTimeout(this.retryTimer)
      this.retryTimer = undefined
      this.db.close()
    }
    if (failed !== undefined) throw new StoreError(`closed with changes not recorded: ${failed}`, this.file, 'io')
  }
}
