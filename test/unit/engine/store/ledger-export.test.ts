import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { text } from 'node:stream/consumers'
import {
  csvField,
  LEDGER_CSV_COLUMNS,
  ledgerCsv,
  ledgerCsvChunks,
  ledgerCsvStream,
  writeLedgerCsv,
} from '../../../../app/main/engine/store/ledger-export'
import { rollUp } from '../../../../app/main/engine/store/ledger-rollup'
import { DAY_MS, HOUR_MS, LedgerWriter, MINUTE_MS, type Packet, tempDb, type TempDb } from './ledger-fixtures'

const NOW = Date.UTC(2025, 8, 1, 9, 30, 0)

/** An RFC 4180 parser, written for this test (not the exporter's code run backwards). */
function parseCsv(input: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let i = 0
  let quoted = false
  while (i < input.length) {
    const c = input[i]
    if (quoted) {
      if (c === '"' && input[i + 1] === '"') {
        field += '"'
        i += 2
      } else if (c === '"') {
        quoted = false
        i++
      } else {
        field += c
        i++
      }
    } else if (c === '"') {
      assert.equal(field, '', 'a quote inside an unquoted field')
      quoted = true
      i++
    } else if (c === ',') {
      row.push(field)
      field = ''
      i++
    } else if (c === '\r' && input[i + 1] === '\n') {
      row.push(field)
      rows.push(row)
      row = []
      field = ''
      i += 2
    } else {
      assert.ok(c !== '\r' && c !== '\n', 'a bare line break outside quotes')
      field += c
      i++
    }
  }
  assert.equal(quoted, false, 'unterminated quote')
  assert.ok(row.length === 0 && field === '', 'the last line ends with CRLF')
  return rows
}

// App ids are address segments; display names and (in principle) prefixes are free text.
const APPS: Record<string, string | null> = {
  'app-plain': 'Plain',
  'app-comma': 'Shop, "the good one"',
  'app-lines': 'line one\nline two',
  'app-spaces': '  padded  ',
  'app-unnamed': null,
}
const PREFIXES = ['g.shop.one', 'g.weird,prefix', 'g."quoted"', 'g.x\r\ny']

describe('ledger CSV export', () => {
  let t: TempDb
  let w: LedgerWriter
  before(() => {
    t = tempDb()
    const addApp = t.db.prepare("INSERT INTO apps (id, display_name, status, named, created_at) VALUES (?, ?, 'approved', 1, 0)")
    for (const [id, name] of Object.entries(APPS)) addApp.run(id, name)
    w = new LedgerWriter(t.db)
    let n = 0
    t.db.transaction(() => {
      for (const app of Object.keys(APPS)) {
        for (let back = 0; back < 20 * DAY_MS; back += 7 * HOUR_MS + 13 * MINUTE_MS) {
          n++
          const earned = n % 4 === 0
          // Amounts beyond 2^53, to show they are written exactly.
          const amount = 2n ** 60n + BigInt(n)
          w.packet({ app, t: NOW - back, direction: earned ? 'earned' : 'spent', prefix: earned ? '' : PREFIXES[n % PREFIXES.length], amountApp: amount, amountProvider: amount * 2n })
        }
      }
      // One app that is in the ledger but no longer in the apps table (forgotten).
      w.packet({ app: 'app-forgotten', t: NOW - HOUR_MS, direction: 'spent', prefix: 'g.gone', amountApp: 1n, amountProvider: 1n })
    })()
    rollUp(t.db, NOW)
  })
  after(() => t.cleanup())

  const range = { from: NOW - 30 * DAY_MS, to: NOW + MINUTE_MS }

  it('writes a header and one line per stored bucket row, which parse back to exactly what is stored', () => {
    const rows = parseCsv(ledgerCsv(t.db, range))
    assert.deepEqual(rows[0], [...LEDGER_CSV_COLUMNS])
    const body = rows.slice(1)
    const stored = t.db
      .prepare('SELECT app_id, resolution, bucket, direction, prefix, packets, amount_app, amount_provider FROM ledger ORDER BY app_id')
      .all() as Array<{ app_id: string; resolution: bigint; bucket: bigint; direction: string; prefix: string; packets: bigint; amount_app: bigint; amount_provider: bigint }>
    assert.equal(body.length, stored.length)
    const key = (app: string, res: string, start: string, dir: string, prefix: string) => [app, res, start, dir, prefix].join('\u0000')
    const byKey = new Map(body.map((r) => [key(r[0], r[3], r[2], r[4], r[5]), r]))
    for (const s of stored) {
      const start = new Date(Number(s.bucket) * 1000).toISOString()
      const r = byKey.get(key(s.app_id, String(s.resolution), start, s.direction, s.prefix))
      assert.ok(r, `row ${s.app_id} ${start}`)
      assert.equal(r[1], APPS[s.app_id] ?? '')
      assert.equal(BigInt(r[6]), s.packets)
      assert.equal(BigInt(r[7]), s.amount_app)
      assert.equal(BigInt(r[8]), s.amount_provider)
    }
    // And in total, exactly the packets recorded.
    const total = body.reduce((s, r) => s + BigInt(r[7]), 0n)
    assert.equal(total, w.packets.reduce((s: bigint, p: Packet) => s + p.amountApp, 0n))
    // Every resolution appears (20 days of history: minutes, hours, days).
    assert.deepEqual(new Set(body.map((r) => r[3])), new Set(['60', '3600', '86400']))
  })

  it('orders rows by app, then oldest first', () => {
    const body = parseCsv(ledgerCsv(t.db, range)).slice(1)
    const apps = body.map((r) => r[0])
    assert.deepEqual(apps, [...apps].sort())
    for (const app of new Set(apps)) {
      const starts = body.filter((r) => r[0] === app).map((r) => Date.parse(r[2]))
      assert.deepEqual(starts, [...starts].sort((a, b) => a - b), app)
    }
  })

  it('quotes fields that need it, and only those', () => {
    assert.equal(csvField('plain'), 'plain')
    assert.equal(csvField('a,b'), '"a,b"')
    assert.equal(csvField('say "hi"'), '"say ""hi"""')
    assert.equal(csvField('two\nlines'), '"two\nlines"')
    assert.equal(csvField(' lead'), '" lead"')
    assert.equal(csvField(''), '')
    const csv = ledgerCsv(t.db, range, { app: 'app-comma' })
    assert.ok(csv.includes('"Shop, ""the good one"""'))
    assert.ok(csv.includes('"g.weird,prefix"'))
  })

  it('keeps to the range (bucket starts in [from, to)) and to one app when asked', () => {
    const r = { from: NOW - 2 * DAY_MS - 30 * MINUTE_MS, to: NOW }
    const body = parseCsv(ledgerCsv(t.db, r, { app: 'app-plain' })).slice(1)
    assert.ok(body.length > 0)
    for (const row of body) {
      assert.equal(row[0], 'app-plain')
      const start = Date.parse(row[2])
      assert.ok(start >= r.from && start < r.to)
    }
    assert.equal(parseCsv(ledgerCsv(t.db, { from: NOW + DAY_MS, to: NOW + 2 * DAY_MS })).length, 1, 'only the header')
    assert.throws(() => ledgerCsv(t.db, { from: 5, to: 1 }), RangeError)
  })

  it('comes in pages, the same text whatever the page size, as a stream and as a file', async () => {
    const whole = ledgerCsv(t.db, range)
    const chunks = [...ledgerCsvChunks(t.db, range, { pageSize: 7 })]
    assert.ok(chunks.length > 10)
    assert.equal(chunks.join(''), whole)
    assert.equal(await text(ledgerCsvStream(t.db, range, { pageSize: 3 })), whole)
    const file = join(t.folder, 'ledger.csv')
    const { bytes } = await writeLedgerCsv(t.db, range, file, { pageSize: 5 })
    assert.equal(readFileSync(file, 'utf8'), whole)
    assert.equal(bytes, Buffer.byteLength(whole))
  })

  it('lets the engine write between pages while a file export runs', async () => {
    const file = join(t.folder, 'ledger-while-writing.csv')
    let writes = 0
    const writer = setInterval(() => {
      // What the balance store's group commit does on the same connection.
      w.packet({ app: 'app-plain', t: NOW + DAY_MS + writes * MINUTE_MS, direction: 'spent', prefix: 'g.live', amountApp: 1n, amountProvider: 1n })
      writes++
    }, 0)
    try {
      await writeLedgerCsv(t.db, range, file, { pageSize: 2 })
    } finally {
      clearInterval(writer)
    }
    assert.ok(writes > 0)
    assert.equal(readFileSync(file, 'utf8'), ledgerCsv(t.db, range))
  })

  it('fails cleanly when the file cannot be written', async () => {
    await assert.rejects(writeLedgerCsv(t.db, range, join(t.folder, 'no-such-folder', 'x.csv')), /ENOENT/)
  })
})
