// Shared by the ledger tests: a fresh database in a temp folder, and writers that record packets the way the
// packet path does (minute buckets in ledger and ledger_totals, rejects by code), plus a list of what was written
// so the tests can compute expected sums on their own.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Db, openDatabase } from '../../../../app/main/engine/store/database'

export const MINUTE_MS = 60_000
export const HOUR_MS = 3_600_000
export const DAY_MS = 86_400_000

export interface TempDb {
  db: Db
  folder: string
  cleanup(): void
}

export function tempDb(): TempDb {
  const folder = mkdtempSync(join(tmpdir(), 'junction-ledger-test-'))
  const db = openDatabase(folder)
  return {
    db,
    folder,
    cleanup() {
      if (db.open) db.close()
      rmSync(folder, { recursive: true, force: true })
    },
  }
}

export interface Packet {
  app: string
  /** Unix ms. */
  t: number
  direction: 'spent' | 'earned'
  prefix: string
  amountApp: bigint
  amountProvider: bigint
}

export interface Reject {
  app: string
  t: number
  code: string
}

/** Records packets and rejects into minute buckets exactly like sqlite-balance-store.ts, and remembers them. */
export class LedgerWriter {
  readonly packets: Packet[] = []
  readonly rejects: Reject[] = []
  private readonly ledger
  private readonly totals
  private readonly reject

  constructor(private readonly db: Db) {
    const add = 'packets = packets + excluded.packets, amount_app = amount_app + excluded.amount_app, amount_provider = amount_provider + excluded.amount_provider'
    this.ledger = db.prepare(
      `INSERT INTO ledger (app_id, resolution, bucket, direction, prefix, packets, amount_app, amount_provider)
       VALUES (?, 60, ?, ?, ?, 1, ?, ?) ON CONFLICT DO UPDATE SET ${add}`,
    )
    this.totals = db.prepare(
      `INSERT INTO ledger_totals (app_id, resolution, bucket, direction, packets, amount_app, amount_provider)
       VALUES (?, 60, ?, ?, 1, ?, ?) ON CONFLICT DO UPDATE SET ${add}`,
    )
    this.reject = db.prepare(
      `INSERT INTO rejects (app_id, resolution, bucket, code, packets) VALUES (?, 60, ?, ?, 1)
       ON CONFLICT DO UPDATE SET packets = packets + excluded.packets`,
    )
  }

  packet(p: Packet): void {
    const bucket = Math.floor(p.t / MINUTE_MS) * 60
    this.db.transaction(() => {
      this.ledger.run(p.app, bucket, p.direction, p.prefix, p.amountApp, p.amountProvider)
      this.totals.run(p.app, bucket, p.direction, p.amountApp, p.amountProvider)
    })()
    this.packets.push(p)
  }

  rejected(r: Reject): void {
    this.reject.run(r.app, Math.floor(r.t / MINUTE_MS) * 60, r.code)
    this.rejects.push(r)
  }
}

/** A deterministic pseudo-random generator (mulberry32), so failures reproduce. */
export function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface Sums {
  packets: bigint
  amountApp: bigint
  amountProvider: bigint
}

export function sum(packets: Packet[]): Sums {
  const s = { packets: 0n, amountApp: 0n, amountProvider: 0n }
  for (const p of packets) {
    s.packets += 1n
    s.amountApp += p.amountApp
    s.amountProvider += p.amountProvider
  }
  return s
}

/** Every row of the three ledger tables, for comparing whole contents. */
export function dump(db: Db): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {}
  for (const table of ['ledger', 'ledger_totals', 'rejects']) out[table] = db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2, 3, 4, 5`).raw().all()
  return out
}
