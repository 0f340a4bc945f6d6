// The per-app ledger as CSV (RFC 4180: a header row, CRLF line ends, fields quoted when they hold a comma, a quote,
// a line break or surrounding spaces, quotes doubled).
//
// One line per stored bucket row of the `ledger` table (per app, bucket, direction and destination prefix) whose
// bucket starts in [from, to): app id, app display name, bucket start (ISO 8601, UTC), resolution in seconds (60,
// 3600 or 86400: older history is rolled up, see ledger-rollup.ts), direction, destination prefix (empty for
// earnings), packets, amount in the app's units, amount in the provider's units. Amounts are exact integers in base
// units (no scale applied), as stored. Rows come per app (by id), oldest first (coarser resolutions hold the older
// history), then by direction and prefix.
//
// The rows are read a page at a time with no statement left open in between, so an export written to a file with
// writeLedgerCsv() lets the engine's group commits run on the same connection while it streams.
import { createWriteStream } from 'node:fs'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { Db } from './database'
import { DAY, HOUR, MINUTE } from './ledger-buckets'
import type { TimeRange } from './ledger-queries'

export const LEDGER_CSV_COLUMNS = [
  'app',
  'app_name',
  'bucket_start',
  'resolution_seconds',
  'direction',
  'prefix',
  'packets',
  'amount_app',
  'amount_provider',
] as const

export interface LedgerCsvOptions {
  /** Only this app. */
  app?: string
  /** Rows read per page (default 500: ≈ 10 ms on the bench machine, so the engine is never held up for long). */
  pageSize?: number
}

interface LedgerRow {
  bucket: bigint
  direction: string
  prefix: string
  packets: bigint
  amount_app: bigint
  amount_provider: bigint
}

interface Statements {
  firstApp: () => string | undefined
  nextApp: (after: string) => string | undefined
  name: (app: string) => string | null | undefined
  page: (app: string, resolution: number, from: bigint, to: bigint, after: [bigint, string, string] | undefined, limit: number) => LedgerRow[]
}

const prepared = new WeakMap<Db, Statements>()

function statements(db: Db): Statements {
  let s = prepared.get(db)
  if (s) return s
  const first = db.prepare<[], { app_id: string }>('SELECT app_id FROM ledger ORDER BY app_id LIMIT 1')
  const next = db.prepare<[string], { app_id: string }>('SELECT app_id FROM ledger WHERE app_id > ? ORDER BY app_id LIMIT 1')
  const name = db.prepare<[string], { display_name: string | null }>('SELECT display_name FROM apps WHERE id = ?')
  const cols = 'bucket, direction, prefix, packets, amount_app, amount_provider'
  // Pages in primary-key order (app_id, resolution, bucket, direction, prefix): a seek, no sort.
  const firstPage = db.prepare<[string, number, bigint, bigint, number], LedgerRow>(
    `SELECT ${cols} FROM ledger WHERE app_id = ? AND resolution = ? AND bucket >= ? AND bucket < ?
     ORDER BY bucket, direction, prefix LIMIT ?`,
  )
  const nextPage = db.prepare<[string, number, bigint, bigint, bigint, string, string, number], LedgerRow>(
    `SELECT ${cols} FROM ledger WHERE app_id = ? AND resolution = ? AND bucket >= ? AND bucket < ?
       AND (bucket, direction, prefix) > (?, ?, ?)
     ORDER BY bucket, direction, prefix LIMIT ?`,
  )
  s = {
    firstApp: () => first.get()?.app_id,
    nextApp: (after) => next.get(after)?.app_id,
    name: (app) => name.get(app)?.display_name,
    page: (app, resolution, from, to, after, limit) =>
      after ? nextPage.all(app, resolution, from, to, ...after, limit) : firstPage.all(app, resolution, from, to, limit),
  }
  prepared.set(db, s)
  return s
}

/** One CSV field: quoted when it needs to be, with quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}

function csvLine(fields: readonly string[]): string {
  return fields.map(csvField).join(',') + '\r\n'
}

function rangeSeconds({ from, to }: TimeRange): [bigint, bigint] {
  if (!Number.isFinite(from) || !Number.isFinite(to)) throw new TypeError('a range needs finite from and to (Unix milliseconds)')
  if (from > to) throw new RangeError(`the range starts after it ends (${from} > ${to})`)
  return [BigInt(Math.ceil(from / 1000)), BigInt(Math.ceil(to / 1000))]
}

/**
 * The CSV in chunks (the header, then one chunk per page of rows). Synchronous; nothing stays open between chunks,
 * so a consumer may pause between them while the engine keeps writing.
 */
export function* ledgerCsvChunks(db: Db, range: TimeRange, opts: LedgerCsvOptions = {}): Generator<string, void, undefined> {
  const [from, to] = rangeSeconds(range)
  const pageSize = opts.pageSize ?? 500
  if (!Number.isSafeInteger(pageSize) || pageSize < 1) throw new RangeError('pageSize is a positive integer')
  const s = statements(db)
  yield csvLine(LEDGER_CSV_COLUMNS)
  const apps = opts.app !== undefined ? [opts.app] : undefined
  let app = apps ? apps[0] : s.firstApp()
  while (app !== undefined) {
    const name = s.name(app) ?? ''
    // Coarsest first: day buckets hold the oldest history, minute buckets the newest.
    for (const resolution of [DAY, HOUR, MINUTE]) {
      let after: [bigint, string, string] | undefined
      for (;;) {
        const rows = s.page(app, resolution, from, to, after, pageSize)
        if (rows.length === 0) break
        let chunk = ''
        for (const r of rows) {
          const start = new Date(Number(r.bucket) * 1000).toISOString()
          chunk += csvLine([app, name, start, String(resolution), r.direction, r.prefix, String(r.packets), String(r.amount_app), String(r.amount_provider)])
        }
        yield chunk
        if (rows.length < pageSize) break
        const last = rows[rows.length - 1]
        after = [last.bucket, last.direction, last.prefix]
      }
    }
    app = apps ? undefined : s.nextApp(app)
  }
}

/** The whole CSV as one string (for small ranges; use writeLedgerCsv or ledgerCsvStream for big ones). */
export function ledgerCsv(db: Db, range: TimeRange, opts: LedgerCsvOptions = {}): string {
  let out = ''
  for (const chunk of ledgerCsvChunks(db, range, opts)) out += chunk
  return out
}

/** The CSV as a readable stream of UTF-8 text. */
export function ledgerCsvStream(db: Db, range: TimeRange, opts: LedgerCsvOptions = {}): Readable {
  return Readable.from(ledgerCsvChunks(db, range, opts), { objectMode: false })
}

/** Writes the CSV to `file`, a page at a time, letting the event loop run between pages. Returns the bytes written. */
export async function writeLedgerCsv(db: Db, range: TimeRange, file: string, opts: LedgerCsvOptions = {}): Promise<{ bytes: number }> {
  rangeSeconds(range) // a bad range throws before the file is created
  let bytes = 0
  async function* paced(): AsyncGenerator<string> {
    for (const chunk of ledgerCsvChunks(db, range, opts)) {
      bytes += Buffer.byteLength(chunk)
      yield chunk
      await new Promise<void>((resolve) => setImmediate(resolve))
    }
  }
  await pipeline(Readable.from(paced(), { objectMode: false }), createWriteStream(file))
  return { bytes }
}
