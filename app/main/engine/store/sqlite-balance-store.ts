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
import type { Account } from '../accounts/account'
import type { BalanceStore, FulfillRecord } from '../balances/balance-store'
import type { Logger } from '../log'
import { type Db, storeError } from './database'
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

export class SqliteBalanceStore implements BalanceStore {
  private balances = new Map<string, { relation: string; delta: bigint }>()
  private ledger = new Map<string, LedgerDelta>()
  private rejects = new Map<string, RejectDelta>()
  /** What senders were charged in this batch, undone if the batch cannot be committed. */
  private charged: Array<[Account, bigint]> = []
  private waiters: Array<(error?: Error) => void> = []
  private scheduled = false
  private retryTimer: ReturnType<typeof setTimeout> | undefined
  unavailable: string | undefined = undefined
  private readonly file: string
  private readonly load1: (id: string) => { balance: bigint } | undefined
  private readonly writeBatch: () => void

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.file = db.name
    const loadBalance = db.prepare<[string], { balance: bigint }>('SELECT balance FROM accounts WHERE id = ?')
    this.load1 = (id) => loadBalance.get(id)
    const upsertBalance = db.prepare(
      `INSERT INTO accounts (id, relation, balance, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET balance = balance + excluded.balance, updated_at = excluded.updated_at`,
    )
    const upsertLedger = db.prepare(
      `INSERT INTO ledger (app_id, resolution, bucket, direction, prefix, packets, amount_app, amount_provider)
       VALUES (?, ${MINUTE}, ?, ?, ?, ?, ?, ?)
       ON CONFLICT DO UPDATE SET packets = packets + excluded.packets, amount_app = amount_app + excluded.amount_app,
         amount_provider = amount_provider + excluded.amount_provider`,
    )
    const upsertTotals = db.prepare(
      `INSERT INTO ledger_totals (app_id, resolution, bucket, direction, packets, amount_app, amount_provider)
       VALUES (?, ${MINUTE}, ?, ?, ?, ?, ?)
       ON CONFLICT DO UPDATE SET packets = packets + excluded.packets, amount_app = amount_app + excluded.amount_app,
         amount_provider = amount_provider + excluded.amount_provider`,
    )
    const upsertReject = db.prepare(
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

  load(accountId: string): bigint {
    return this.load1(accountId)?.balance ?? 0n
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

  private readonly flush = (): void => {
    if (!this.scheduled) return
    const waiters = this.waiters
    const charged = this.charged
    this.waiters = []
    this.charged = []
    try {
      this.writeBatch()
      this.balances.clear()
      this.ledger.clear()
      this.rejects.clear()
      this.scheduled = false
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
      // The senders of this batch get T00, so they were not charged: undo that in memory and in the batch.
      for (const [account, amount] of charged) {
        account.balance -= amount
        this.addBalance(account, -amount)
      }
      this.ledger.clear()
      this.rejects.clear()
      for (const w of waiters) w(error)
      // Junction's debts to next hops are real: keep them and retry until the disk accepts them.
      clearTimeout(this.retryTimer)
      this.retryTimer = setTimeout(() => {
        this.scheduled = true
        this.flush()
      }, RETRY_MS)
      this.retryTimer.unref()
    }
  }

  close(): void {
    clearTimeout(this.retryTimer)
    try {
      this.flushNow()
    } finally {
      this.db.close()
    }
  }
}
