// SqliteBalanceStore: the group commit (one transaction per event-loop turn, fulfills held until it returns), the
// ledger and reject rows it writes, balances after a reopen, the per-packet mode kept for measurements, and what
// happens when a commit fails (SQLITE_FULL from PRAGMA max_page_count on the live connection).
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import * as IlpPacket from 'ilp-packet'
import type { Account } from '../../../../app/main/engine/accounts/account'
import type { FulfillRecord } from '../../../../app/main/engine/balances/balance-store'
import type { Logger } from '../../../../app/main/engine/log'
import { createBalanceMiddleware } from '../../../../app/main/engine/pipeline/balance'
import { PacketPipeline } from '../../../../app/main/engine/pipeline/packet-pipeline'
import { createStatsMiddleware } from '../../../../app/main/engine/pipeline/stats'
import { createValidateFulfillmentMiddleware } from '../../../../app/main/engine/pipeline/validate-fulfillment'
import { createOneToOneRates } from '../../../../app/main/engine/rates/one-to-one'
import { Router } from '../../../../app/main/engine/routing/router'
import { RoutingTable } from '../../../../app/main/engine/routing/routing-table'
import { type Db, openDatabase, StoreError } from '../../../../app/main/engine/store/database'
import { SqliteBalanceStore, type SqliteBalanceStoreOptions } from '../../../../app/main/engine/store/sqlite-balance-store'
import { writePrepare } from '../../../../app/main/engine/ilp/packets'
import { account, MemoryLink, OWN_ADDRESS, prepare, reject, secret, sleep, tick } from '../../factories'

const T0 = Date.UTC(2026, 0, 15, 10, 30, 12) // 10:30:12 UTC
const MINUTE_MS = 60_000
const bucketOf = (ms: number) => Math.floor(ms / MINUTE_MS) * 60

interface Harness {
  dir: string
  db: Db
  store: SqliteBalanceStore
  /** A second connection, as another process would read the file. */
  reader: Database.Database
  clock: { now: number }
  logs: string[]
  /** Transactions the store has run (its db.transaction wrapper called). */
  transactions(): number
  reopen(opts?: SqliteBalanceStoreOptions): Harness
}

function harness(t: { after(fn: () => void): void }, opts: SqliteBalanceStoreOptions = {}, dir?: string): Harness {
  const folder = dir ?? mkdtempSync(join(tmpdir(), 'junction-store-'))
  const db = openDatabase(folder)
  // Count the store's transactions: it wraps its batch write with db.transaction() once, at construction.
  let count = 0
  const original = db.transaction.bind(db)
  db.transaction = ((fn: (...args: unknown[]) => unknown) => {
    const tx = original(fn)
    const counted = (...args: unknown[]) => {
      count++
      return tx(...args)
    }
    return Object.assign(counted, tx)
  }) as typeof db.transaction
  const clock = { now: T0 }
  const logs: string[] = []
  const log: Logger = {
    error: (m) => logs.push(`error ${m}`),
    warn: (m) => logs.push(`warn ${m}`),
    info: (m) => logs.push(`info ${m}`),
    debug: () => {},
  }
  const store = new SqliteBalanceStore(db, log, () => clock.now, opts)
  const reader = new Database(join(folder, 'junction.db'), { readonly: true })
  reader.defaultSafeIntegers(true)
  let closed = false
  const h: Harness = {
    dir: folder,
    db,
    store,
    reader,
    clock,
    logs,
    transactions: () => count,
    reopen(o = {}) {
      store.close()
      reader.close()
      closed = true
      return harness(t, o, folder)
    },
  }
  t.after(() => {
    if (!closed) {
      reader.close()
      try {
        store.close()
      } catch {
        // a test that left the store failing
      }
    }
    if (!dir) rmSync(folder, { recursive: true, force: true })
  })
  return h
}

const child = (id: string) => account(id)
const parentAccount = () => account('parent', { relation: 'parent' })

/** What the balance middleware does on a fulfill: record, then move the in-memory balances. */
function fulfill(store: SqliteBalanceStore, r: FulfillRecord): void {
  store.recordFulfill(r)
  r.from.balance += r.inAmount
  if (r.to && r.outAmount > 0n) r.to.balance -= r.outAmount
}

function balanceRow(reader: Database.Database, id: string): { relation: string; balance: bigint } | undefined {
  return reader.prepare(`SELECT relation, balance FROM accounts WHERE id = ?`).get(id) as { relation: string; balance: bigint } | undefined
}

function ledgerRows(reader: Database.Database): Array<Record<string, unknown>> {
  return reader
    .prepare(`SELECT app_id, resolution, bucket, direction, prefix, packets, amount_app, amount_provider FROM ledger ORDER BY app_id, bucket, direction, prefix`)
    .all() as Array<Record<string, unknown>>
}

function totalsRows(reader: Database.Database): Array<Record<string, unknown>> {
  return reader
    .prepare(`SELECT app_id, resolution, bucket, direction, packets, amount_app, amount_provider FROM ledger_totals ORDER BY app_id, bucket, direction`)
    .all() as Array<Record<string, unknown>>
}

/**
 * Makes the database full for new rows in `tables`: no page may be added (max_page_count = page_count, and a fresh
 * database has no free pages), and small filler rows take the free space of each table's pages until SQLite says
 * SQLITE_FULL. A later row larger than a filler row then needs a new page, which the limit refuses.
 */
function fillUp(db: Db, tables: Array<'accounts' | 'ledger'>): void {
  assert.equal(db.pragma('freelist_count', { simple: true }), 0n)
  db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true })}`)
  const insert = {
    accounts: db.prepare(`INSERT INTO accounts (id, relation, balance, updated_at) VALUES (?, 'peer', 0, 0)`),
    ledger: db.prepare(`INSERT INTO ledger VALUES (?, 60, 0, 'spent', '', 0, 0, 0)`),
  }
  for (const table of tables) {
    let n = 0
    for (;;) {
      try {
        insert[table].run(`~${(n++).toString(36)}`)
      } catch (err) {
        assert.equal((err as { code?: string }).code, 'SQLITE_FULL')
        break
      }
    }
  }
}

const unlimit = (db: Db) => db.pragma('max_page_count = 1073741823')

describe('SqliteBalanceStore: group commit', () => {
  it('many fulfills recorded in one tick are written in one transaction, after the tick', async (t) => {
    const h = harness(t)
    const parent = parentAccount()
    const apps = Array.from({ length: 10 }, (_, i) => child(`app${i}`))
    for (let i = 0; i < 500; i++) {
      fulfill(h.store, { from: apps[i % 10], inAmount: 10n, to: parent, outAmount: 9n, destination: 'g.shop.x' })
    }
    assert.equal(h.store.pending, true)
    assert.equal(h.transactions(), 0, 'nothing written within the tick')
    assert.equal(balanceRow(h.reader, 'parent'), undefined)
    await tick()
    assert.equal(h.transactions(), 1)
    assert.equal(h.store.pending, false)
    assert.deepEqual(balanceRow(h.reader, 'parent'), { relation: 'parent', balance: -4500n })
    for (const app of apps) assert.deepEqual(balanceRow(h.reader, app.id), { relation: 'child', balance: 500n })
    assert.equal(ledgerRows(h.reader).length, 10)
  })

  it('each event-loop turn with fulfills is one more transaction; turns without any write nothing', async (t) => {
    const h = harness(t)
    const [alice, parent] = [child('alice'), parentAccount()]
    for (let turn = 0; turn < 3; turn++) {
      for (let i = 0; i < 5; i++) fulfill(h.store, { from: alice, inAmount: 1n, to: parent, outAmount: 1n, destination: 'g.a' })
      await tick()
    }
    await tick()
    await tick()
    assert.equal(h.transactions(), 3)
    assert.equal(balanceRow(h.reader, 'alice')?.balance, 15n)
  })

  it('whenDurable calls back only once the batch is committed, in order, and at once when nothing is pending', async (t) => {
    const h = harness(t)
    const [alice, parent] = [child('alice'), parentAccount()]
    const order: string[] = []
    h.store.whenDurable((err) => order.push(`idle:${err ?? 'ok'}`))
    assert.deepEqual(order, ['idle:ok'], 'nothing pending: called back at once')

    fulfill(h.store, { from: alice, inAmount: 100n, to: parent, outAmount: 100n, destination: 'g.a' })
    h.store.whenDurable((err) => {
      // By the time the fulfill may go back, another connection (another process) sees the balance on disk.
      order.push(`first:${err ?? 'ok'}:${balanceRow(h.reader, 'alice')?.balance}`)
    })
    fulfill(h.store, { from: alice, inAmount: 5n, to: parent, outAmount: 5n, destination: 'g.a' })
    h.store.whenDurable((err) => {
      order.push(`second:${err ?? 'ok'}:${balanceRow(h.reader, 'alice')?.balance}`)
      // Recorded while the callbacks run: goes into the next batch, which is not yet written.
      fulfill(h.store, { from: alice, inAmount: 1n, to: parent, outAmount: 1n, destination: 'g.a' })
      assert.equal(h.store.pending, true)
      h.store.whenDurable(() => order.push(`third:${balanceRow(h.reader, 'alice')?.balance}`))
    })
    assert.equal(order.length, 1, 'no callback before the commit')
    await tick()
    assert.deepEqual(order, ['idle:ok', 'first:ok:105', 'second:ok:105'])
    await tick()
    assert.deepEqual(order, ['idle:ok', 'first:ok:105', 'second:ok:105', 'third:106'])
    assert.equal(h.transactions(), 2)
  })

  it('records nothing for a zero-amount fulfill and keeps nothing pending', async (t) => {
    const h = harness(t)
    h.store.recordFulfill({ from: child('alice'), inAmount: 0n, to: undefined, outAmount: 0n, destination: 'peer.config' })
    await tick()
    assert.equal(balanceRow(h.reader, 'alice'), undefined)
    assert.deepEqual(ledgerRows(h.reader), [])
  })

  it('close() writes what is pending and answers its waiters', (t) => {
    const h = harness(t)
    const [alice, parent] = [child('alice'), parentAccount()]
    fulfill(h.store, { from: alice, inAmount: 7n, to: parent, outAmount: 7n, destination: 'g.a' })
    let answered: string | undefined
    h.store.whenDurable((err) => (answered = err ? err.message : 'ok'))
    const again = h.reopen()
    assert.equal(answered, 'ok')
    assert.equal(again.store.load('alice'), 7n)
    assert.equal(again.store.load('parent'), -7n)
  })
})

describe('SqliteBalanceStore: rows', () => {
  it('spent rows carry the destination prefix and both amounts; earned rows the prefix ""', async (t) => {
    const h = harness(t)
    const parent = parentAccount()
    const [alice, bob] = [child('alice'), child('bob')]
    // alice pays the provider: 100 of her units become 95 of the provider's (a spread, or another scale).
    fulfill(h.store, { from: alice, inAmount: 100n, to: parent, outAmount: 95n, destination: 'g.ilsp.merchant.shop.item-1' })
    fulfill(h.store, { from: alice, inAmount: 10n, to: parent, outAmount: 9n, destination: 'g.ilsp.merchant.other' })
    fulfill(h.store, { from: alice, inAmount: 3n, to: parent, outAmount: 3n, destination: 'g.short' })
    // bob earns from the provider: 50 provider units in, 49 app units out.
    fulfill(h.store, { from: parent, inAmount: 50n, to: bob, outAmount: 49n, destination: `${OWN_ADDRESS}.bob.receipt` })
    // alice pays bob locally: spent for alice (to bob's address), earned for bob.
    fulfill(h.store, { from: alice, inAmount: 20n, to: bob, outAmount: 20n, destination: `${OWN_ADDRESS}.bob.tip` })
    await tick()

    const b = bucketOf(T0)
    assert.deepEqual(ledgerRows(h.reader), [
      { app_id: 'alice', resolution: 60n, bucket: BigInt(b), direction: 'spent', prefix: 'g.ilsp.merchant', packets: 2n, amount_app: 110n, amount_provider: 104n },
      { app_id: 'alice', resolution: 60n, bucket: BigInt(b), direction: 'spent', prefix: 'g.short', packets: 1n, amount_app: 3n, amount_provider: 3n },
      { app_id: 'alice', resolution: 60n, bucket: BigInt(b), direction: 'spent', prefix: `${OWN_ADDRESS}.bob`, packets: 1n, amount_app: 20n, amount_provider: 20n },
      { app_id: 'bob', resolution: 60n, bucket: BigInt(b), direction: 'earned', prefix: '', packets: 2n, amount_app: 69n, amount_provider: 70n },
    ])
    assert.deepEqual(totalsRows(h.reader), [
      { app_id: 'alice', resolution: 60n, bucket: BigInt(b), direction: 'spent', packets: 4n, amount_app: 133n, amount_provider: 127n },
      { app_id: 'bob', resolution: 60n, bucket: BigInt(b), direction: 'earned', packets: 2n, amount_app: 69n, amount_provider: 70n },
    ])
    assert.deepEqual(balanceRow(h.reader, 'alice'), { relation: 'child', balance: 133n })
    assert.deepEqual(balanceRow(h.reader, 'bob'), { relation: 'child', balance: -69n })
    assert.deepEqual(balanceRow(h.reader, 'parent'), { relation: 'parent', balance: 50n - 107n })
    assert.equal(h.reader.prepare(`SELECT count(*) FROM ledger WHERE app_id = 'parent'`).pluck().get(), 0n, 'no ledger rows for the provider')
  })

  it('minute buckets: a new minute is a new row; later batches add to the same minute', async (t) => {
    const h = harness(t)
    const [alice, parent] = [child('alice'), parentAccount()]
    fulfill(h.store, { from: alice, inAmount: 1n, to: parent, outAmount: 1n, destination: 'g.a.b' })
    await tick()
    h.clock.now = T0 + 30_000 // 10:30:42, same minute
    fulfill(h.store, { from: alice, inAmount: 2n, to: parent, outAmount: 2n, destination: 'g.a.b' })
    await tick()
    h.clock.now = T0 + 48_000 // 10:31:00, next minute
    fulfill(h.store, { from: alice, inAmount: 4n, to: parent, outAmount: 4n, destination: 'g.a.b' })
    await tick()
    const rows = ledgerRows(h.reader).map((r) => [r.bucket, r.packets, r.amount_app])
    assert.deepEqual(rows, [
      [BigInt(bucketOf(T0)), 2n, 3n],
      [BigInt(bucketOf(T0) + 60), 1n, 4n],
    ])
    assert.equal(bucketOf(T0) % 60, 0)
    assert.equal(totalsRows(h.reader).length, 2)
  })

  it('rejects are counted by app, minute and code', async (t) => {
    const h = harness(t)
    const [alice, bob] = [child('alice'), child('bob')]
    for (let i = 0; i < 3; i++) h.store.recordReject(alice, 'F02')
    h.store.recordReject(alice, 'T04')
    h.store.recordReject(bob, 'F02')
    assert.equal(h.store.pending, true)
    await tick()
    h.clock.now = T0 + MINUTE_MS
    h.store.recordReject(alice, 'F02')
    await tick()
    const rows = h.reader.prepare(`SELECT app_id, resolution, bucket, code, packets FROM rejects ORDER BY app_id, bucket, code`).all()
    const b = BigInt(bucketOf(T0))
    assert.deepEqual(rows, [
      { app_id: 'alice', resolution: 60n, bucket: b, code: 'F02', packets: 3n },
      { app_id: 'alice', resolution: 60n, bucket: b, code: 'T04', packets: 1n },
      { app_id: 'alice', resolution: 60n, bucket: b + 60n, code: 'F02', packets: 1n },
      { app_id: 'bob', resolution: 60n, bucket: b, code: 'F02', packets: 1n },
    ])
  })

  it('load: 0 for an unknown account, the committed balance after a reopen, and what is still pending', async (t) => {
    let h = harness(t)
    const [alice, parent] = [child('alice'), parentAccount()]
    assert.equal(h.store.load('alice'), 0n)
    fulfill(h.store, { from: alice, inAmount: 1000n, to: parent, outAmount: 999n, destination: 'g.a' })
    assert.equal(h.store.load('alice'), 1000n, 'recorded, not yet committed')
    await tick()
    fulfill(h.store, { from: alice, inAmount: 1n, to: parent, outAmount: 1n, destination: 'g.a' })
    assert.equal(h.store.load('alice'), 1001n)
    await tick()
    h = h.reopen()
    assert.equal(h.store.load('alice'), 1001n)
    assert.equal(h.store.load('parent'), -1000n)
    assert.equal(h.store.load('nobody'), 0n)
    assert.equal(ledgerRows(h.reader)[0].amount_app, 1001n)
    h = h.reopen()
    assert.equal(h.store.load('alice'), 1001n, 'a reopen without traffic changes nothing')
  })
})

describe('SqliteBalanceStore: per-packet mode (measurements only)', () => {
  it('commits every fulfill in its own transaction before recordFulfill returns', (t) => {
    const h = harness(t, { commit: 'per-packet' })
    const [alice, parent] = [child('alice'), parentAccount()]
    for (let i = 1; i <= 20; i++) {
      fulfill(h.store, { from: alice, inAmount: 2n, to: parent, outAmount: 2n, destination: 'g.a.b.c' })
      assert.equal(h.store.pending, false)
      assert.equal(h.transactions(), i)
      assert.equal(balanceRow(h.reader, 'alice')?.balance, BigInt(2 * i))
    }
    let called = false
    h.store.whenDurable(() => (called = true))
    assert.ok(called)
    assert.deepEqual(
      ledgerRows(h.reader).map((r) => [r.prefix, r.packets, r.amount_app]),
      [['g.a.b', 20n, 40n]],
    )
  })
})

describe('SqliteBalanceStore: a commit that fails (database full)', () => {
  it('answers the batch with the error, undoes the senders, keeps what Junction owes, and retries until it can', async (t) => {
    const h = harness(t, { retryMs: 30 })
    const [alice, parent] = [child('alice'), parentAccount()]
    fulfill(h.store, { from: alice, inAmount: 5n, to: parent, outAmount: 5n, destination: 'g.a' })
    await tick()
    // carol's and the new peer's rows need new pages, which the limit refuses.
    fillUp(h.db, ['accounts', 'ledger'])
    const carol = child('carol-with-a-longer-name')
    const peer = account('peer-with-a-longer-name', { relation: 'peer' })
    fulfill(h.store, { from: carol, inAmount: 100n, to: peer, outAmount: 90n, destination: 'g.b' })
    fulfill(h.store, { from: alice, inAmount: 10n, to: parent, outAmount: 10n, destination: 'g.a' })
    let error: Error | undefined
    h.store.whenDurable((err) => (error = err))
    await tick()

    assert.ok(error instanceof StoreError, `expected a StoreError, got ${error}`)
    assert.equal(error.code, 'disk-full')
    assert.match(error.message, /^the disk holding .*junction\.db is full \(database or disk is full\)/)
    assert.equal(h.store.unavailable, error.message)
    assert.equal(h.logs.filter((l) => l.startsWith('error')).length, 1, 'logged once')
    // The senders were not charged (they get T00), in memory and on disk.
    assert.equal(carol.balance, 0n)
    assert.equal(alice.balance, 5n)
    assert.equal(balanceRow(h.reader, 'alice')?.balance, 5n)
    assert.equal(balanceRow(h.reader, carol.id), undefined)
    // What Junction owes the next hops stays owed.
    assert.equal(peer.balance, -90n)
    assert.equal(parent.balance, -15n)
    assert.equal(h.store.load(peer.id), -90n)
    assert.equal(h.store.load('parent'), -15n)

    // Still full: the retries fail quietly and the store stays unavailable.
    await sleep(150)
    assert.ok(h.store.unavailable)
    assert.equal(h.logs.filter((l) => l.startsWith('error')).length, 1)
    assert.equal(balanceRow(h.reader, peer.id), undefined)

    unlimit(h.db)
    await sleep(150)
    assert.equal(h.store.unavailable, undefined)
    assert.ok(h.logs.some((l) => /^info the database .* accepts writes again$/.test(l)), h.logs.join('\n'))
    assert.deepEqual(balanceRow(h.reader, peer.id), { relation: 'peer', balance: -90n })
    assert.equal(balanceRow(h.reader, 'parent')?.balance, -15n)
    assert.equal(balanceRow(h.reader, 'alice')?.balance, 5n)
    assert.equal(balanceRow(h.reader, carol.id), undefined)
    // No spent row for the senders that were not charged.
    assert.deepEqual(
      ledgerRows(h.reader).filter((r) => !String(r.app_id).startsWith('~')).map((r) => [r.app_id, r.amount_app]),
      [['alice', 5n]],
    )

    // And payments are recorded again.
    fulfill(h.store, { from: carol, inAmount: 1n, to: parent, outAmount: 1n, destination: 'g.b' })
    await tick()
    assert.equal(balanceRow(h.reader, carol.id)?.balance, 1n)
  })

  it('keeps the earned row of an app Junction owes when the sender is undone', async (t) => {
    const h = harness(t, { retryMs: 20 })
    const parent = parentAccount()
    const dave = child('dave-with-a-longer-name')
    fillUp(h.db, ['accounts', 'ledger'])
    fulfill(h.store, { from: parent, inAmount: 30n, to: dave, outAmount: 30n, destination: `${OWN_ADDRESS}.${dave.id}` })
    let error: Error | undefined
    h.store.whenDurable((err) => (error = err))
    await tick()
    assert.ok(error)
    assert.equal(parent.balance, 0n, 'the provider was not charged: it got T00')
    assert.equal(dave.balance, -30n, 'dave was paid: Junction owes him')
    unlimit(h.db)
    await sleep(100)
    assert.equal(h.store.unavailable, undefined)
    assert.equal(balanceRow(h.reader, dave.id)?.balance, -30n)
    assert.equal(balanceRow(h.reader, 'parent'), undefined)
    assert.deepEqual(
      ledgerRows(h.reader).filter((r) => r.app_id === dave.id).map((r) => [r.direction, r.prefix, r.amount_app]),
      [['earned', '', 30n]],
    )
  })

  it('per-packet mode fails the same way: no fulfill passes, the sender is undone', async (t) => {
    const h = harness(t, { commit: 'per-packet', retryMs: 20 })
    const parent = parentAccount()
    const erin = child('erin-with-a-longer-name')
    fillUp(h.db, ['accounts', 'ledger'])
    fulfill(h.store, { from: erin, inAmount: 8n, to: parent, outAmount: 8n, destination: 'g.a' })
    assert.equal(h.store.pending, true, 'the failed write leaves the fulfill waiting for the error')
    let error: Error | undefined
    h.store.whenDurable((err) => (error = err))
    await tick()
    assert.ok(error instanceof StoreError)
    assert.equal(erin.balance, 0n)
    assert.equal(parent.balance, -8n)
    unlimit(h.db)
    await sleep(100)
    assert.equal(balanceRow(h.reader, 'parent')?.balance, -8n)
  })
})

describe('SqliteBalanceStore in the packet pipeline', () => {
  function setup(store: SqliteBalanceStore, parentLink: MemoryLink) {
    const alice = account('alice')
    alice.link = new MemoryLink(() => new Error('alice receives nothing'))
    const parent = account('parent', { relation: 'parent' })
    parent.link = parentLink
    const accounts = new Map<string, Account>([alice, parent].map((a) => [a.id, a]))
    const table = new RoutingTable()
    table.add({ prefix: '', accountId: 'parent', source: 'parent' })
    table.add({ prefix: `${OWN_ADDRESS}.alice`, accountId: 'alice', source: 'child' })
    const router = new Router({
      own: { address: OWN_ADDRESS, assetCode: 'XRP', assetScale: 9 },
      table,
      accounts,
      rates: createOneToOneRates('0'),
      minMessageWindowMs: 1000,
      maxHoldTimeMs: 30_000,
    })
    const chain = [createStatsMiddleware(store), createBalanceMiddleware(store), createValidateFulfillmentMiddleware(reject)]
    return { alice, parent, pipeline: new PacketPipeline(chain, router, reject, store) }
  }

  function send(pipeline: PacketPipeline, from: Account, amount: bigint, condition: Buffer): Promise<Buffer> {
    return new Promise((resolve) => pipeline.handle(from, writePrepare(prepare({ amount, destination: 'g.shop.item', executionCondition: condition })), resolve))
  }

  it('passes the fulfill back only after its balance change is committed', async (t) => {
    const h = harness(t)
    const { fulfillment, condition } = secret()
    let seenAtAnswer: bigint | undefined
    const parentLink = new MemoryLink(() => IlpPacket.serializeIlpFulfill({ fulfillment, data: Buffer.alloc(0) }))
    const { alice, pipeline } = setup(h.store, parentLink)
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        send(pipeline, alice, 10n, condition).then((raw) => {
          seenAtAnswer ??= (balanceRow(h.reader, 'alice')?.balance as bigint | undefined) ?? 0n
          return raw
        }),
      ),
    )
    for (const raw of answers) assert.equal(raw[0], IlpPacket.Type.TYPE_ILP_FULFILL)
    assert.ok(seenAtAnswer !== undefined && seenAtAnswer > 0n, 'the first fulfill went back with its balance already on disk')
    assert.equal(balanceRow(h.reader, 'alice')?.balance, 200n)
    assert.equal(balanceRow(h.reader, 'parent')?.balance, -200n)
  })

  it('a failed commit: T00 to the sender, not charged; the next packets are refused with T00 naming the problem', async (t) => {
    const h = harness(t, { retryMs: 50 })
    const { fulfillment, condition } = secret()
    const parentLink = new MemoryLink(() => IlpPacket.serializeIlpFulfill({ fulfillment, data: Buffer.alloc(0) }))
    const { alice, parent, pipeline } = setup(h.store, parentLink)
    // The first batch inserts alice's and the provider's rows; make the disk refuse new pages before it.
    fillUp(h.db, ['accounts', 'ledger'])
    const raw = await send(pipeline, alice, 10n, condition)
    const rejected = IlpPacket.deserializeIlpReject(raw)
    assert.equal(rejected.code, 'T00')
    assert.match(rejected.message, /^the payment could not be recorded: the disk holding .*junction\.db is full/)
    assert.equal(alice.balance, 0n)
    assert.equal(parent.balance, -10n, 'the provider fulfilled: Junction owes it')
    assert.equal(parentLink.sent.length, 1)

    const refused = IlpPacket.deserializeIlpReject(await send(pipeline, alice, 10n, condition))
    assert.equal(refused.code, 'T00')
    assert.match(refused.message, /^Junction cannot record payments right now: the disk holding .*junction\.db is full/)
    assert.equal(parentLink.sent.length, 1, 'refused without forwarding')

    unlimit(h.db)
    await sleep(200)
    assert.equal(h.store.unavailable, undefined)
    assert.equal(balanceRow(h.reader, 'parent')?.balance, -10n, 'the kept debt is on disk')
    const ok = await send(pipeline, alice, 10n, condition)
    assert.equal(ok[0], IlpPacket.Type.TYPE_ILP_FULFILL)
    assert.equal(balanceRow(h.reader, 'alice')?.balance, 10n)
    assert.equal(balanceRow(h.reader, 'parent')?.balance, -20n)
  })
})
