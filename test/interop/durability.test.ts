// Durability with real ILP software: Junction (headless, a child process) between ilp-plugin-btp apps and a real
// ILSP (ilp-connector 23 + ilp-plugin-mini-accounts): a restart on the same data folder keeps every balance and
// ledger row; a corrupt, newer or unwritable database stops it with a message naming the file; a full database
// turns fulfills into T00 without charging the sender, and payments resume once there is room again.
import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import Database from 'better-sqlite3'
import { createConnector } from '../../app/main/engine/connector'
import { createLogger, type Logger } from '../../app/main/engine/log'
import { DATABASE_FILE, type Db, openDatabase } from '../../app/main/engine/store/database'
import { SqliteBalanceStore } from '../../app/main/engine/store/sqlite-balance-store'
import { spawnHeadless } from '../support/headless'
import { connectPlugin, freePort, startFulfiller, startIlsp } from '../support/ilsp'
import { appUrl, cleanup, disconnectAll, fetchPeerBalance, sendPrepare, waitForAddress, waitUntil } from '../support/junction'

const require = createRequire(import.meta.url)
const IlpPacket = require('ilp-packet')
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any

const isRoot = process.getuid?.() === 0
const NOBODY = 65534

function tempFolder(defer: (step: () => unknown) => void, prefix = 'junction-durability-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  defer(() => {
    chmodSync(dir, 0o755)
    rmSync(dir, { recursive: true, force: true })
  })
  return dir
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex')

/** Every row of the balance and ledger tables, read through a second (read-only) connection. */
function snapshot(file: string): Record<string, unknown[]> {
  const db = new Database(file, { readonly: true })
  db.defaultSafeIntegers(true)
  try {
    return {
      accounts: db.prepare(`SELECT * FROM accounts ORDER BY id`).all(),
      ledger: db.prepare(`SELECT * FROM ledger ORDER BY app_id, resolution, bucket, direction, prefix`).all(),
      ledger_totals: db.prepare(`SELECT * FROM ledger_totals ORDER BY app_id, resolution, bucket, direction`).all(),
      rejects: db.prepare(`SELECT * FROM rejects ORDER BY app_id, resolution, bucket, code`).all(),
    }
  } finally {
    db.close()
  }
}

function sum(rows: unknown[], where: (r: Record<string, unknown>) => boolean, column: string): bigint {
  return (rows as Array<Record<string, unknown>>).filter(where).reduce((s, r) => s + (r[column] as bigint), 0n)
}

/** An app that fulfills every prepare carrying its condition (it earns what it is paid). */
function fulfillAll(plugin: Any): { condition: Buffer; received: { count: number; amount: bigint } } {
  const fulfillment = randomBytes(32)
  const condition = createHash('sha256').update(fulfillment).digest()
  const received = { count: 0, amount: 0n }
  plugin.registerDataHandler(async (data: Buffer) => {
    const p = IlpPacket.deserializeIlpPrepare(data)
    if (!p.executionCondition.equals(condition)) {
      return IlpPacket.serializeIlpReject({ code: 'F06', triggeredBy: '', message: 'unknown condition', data: Buffer.alloc(0) })
    }
    received.count++
    received.amount += BigInt(p.amount)
    return IlpPacket.serializeIlpFulfill({ fulfillment, data: Buffer.alloc(0) })
  })
  return { condition, received }
}

test('SIGTERM and a restart on the same data folder keep every balance and every ledger row', { timeout: 120_000 }, async (t) => {
  const defer = cleanup(t)
  const data = tempFolder(defer)
  const file = join(data, DATABASE_FILE)
  const ilsp = await startIlsp()
  defer(() => ilsp.stop())
  const fulfiller = await startFulfiller(ilsp.btpUrl('fulfiller', 'secret'))
  defer(() => fulfiller.stop())
  // Someone on the provider's side who pays one of Junction's apps.
  const payer = await connectPlugin(ilsp.btpUrl('payer', 'secret'))
  defer(() => disconnectAll(payer))

  const port = await freePort()
  const args = ['--parent', ilsp.btpUrl('junction', 'secret'), '--data', data, '--port', String(port)]
  let junction = spawnHeadless(args)
  defer(() => junction.stop('SIGKILL'))
  const { address } = await junction.ready()
  assert.equal(address, `${ilsp.childPrefix}.junction`)

  const names = ['alice', 'carol', 'bob'] as const
  const url = (name: string) => `btp+ws://${name}:token-${name}@127.0.0.1:${port}`
  let plugins: Record<(typeof names)[number], Any> = {} as never
  for (const name of names) plugins[name] = await connectPlugin(url(name))
  defer(() => disconnectAll(...Object.values(plugins)))
  const bob = fulfillAll(plugins.bob)

  // alice and carol pay the fulfiller on the ILSP; carol also sends some that the fulfiller rejects (F06).
  const paid = { alice: 0n, carol: 0n }
  let n = 0
  for (const [name, count] of [['alice', 30], ['carol', 20]] as const) {
    const answers = await Promise.all(
      Array.from({ length: count }, (_, i) => {
        const amount = BigInt(1 + ((i * 7919) % 1000))
        return sendPrepare(plugins[name], { destination: fulfiller.address, amount, executionCondition: fulfiller.condition, data: Buffer.from(`p${n++}`) }).then((a) => ({ a, amount }))
      }),
    )
    for (const { a, amount } of answers) {
      assert.equal(a.type, 'fulfill', a.type === 'reject' ? `${a.code} ${a.message}` : '')
      paid[name] += amount
    }
  }
  for (let i = 0; i < 3; i++) {
    const a = await sendPrepare(plugins.carol, { destination: fulfiller.address, amount: 5, data: Buffer.from(`bad${i}`) })
    assert.equal(a.type === 'reject' && a.code, 'F06')
  }
  // The payer on the ILSP pays bob through Junction: bob earns.
  let earned = 0n
  for (let i = 0; i < 10; i++) {
    const amount = 100 + i
    const a = await sendPrepare(payer, { destination: `${address}.bob`, amount, executionCondition: bob.condition, data: Buffer.from(`e${i}`) })
    assert.equal(a.type, 'fulfill', a.type === 'reject' ? `${a.code} ${a.message}` : '')
    earned += BigInt(amount)
  }
  assert.equal(bob.received.amount, earned)
  assert.equal(fulfiller.received.amount, paid.alice + paid.carol)

  const balances = async () => {
    const out: Record<string, bigint> = {}
    for (const name of names) out[name] = (await fetchPeerBalance(plugins[name])).balance
    return out
  }
  const before = await balances()
  assert.deepEqual(before, { alice: paid.alice, carol: paid.carol, bob: -earned })
  await new Promise((r) => setTimeout(r, 100)) // the rejects' counts are written at the end of their turn
  const rowsBefore = snapshot(file)
  const parentRow = (rowsBefore.accounts as Array<Record<string, unknown>>).find((r) => r.id === 'parent')
  assert.equal(parentRow?.balance, earned - paid.alice - paid.carol, "the provider's balance: it owes bob's earnings, is owed the payments")
  for (const name of ['alice', 'carol'] as const) {
    assert.equal(sum(rowsBefore.ledger, (r) => r.app_id === name && r.direction === 'spent', 'amount_app'), paid[name])
    assert.equal(sum(rowsBefore.ledger_totals, (r) => r.app_id === name && r.direction === 'spent', 'amount_provider'), paid[name])
  }
  assert.equal(sum(rowsBefore.ledger, (r) => r.app_id === 'bob' && r.direction === 'earned' && r.prefix === '', 'amount_app'), earned)
  assert.equal(sum(rowsBefore.rejects, (r) => r.app_id === 'carol' && r.code === 'F06', 'packets'), 3n)
  const prefixes = new Set((rowsBefore.ledger as Array<Record<string, unknown>>).filter((r) => r.direction === 'spent').map((r) => r.prefix))
  assert.deepEqual([...prefixes], [ilsp.childPrefix], 'spent rows: the first three segments of the destination')

  // Stop (SIGTERM) and start again on the same folder.
  await disconnectAll(...Object.values(plugins))
  const exit = await junction.stop('SIGTERM')
  assert.deepEqual(exit, { code: 0, signal: null }, junction.stderr())
  assert.ok(!existsSync(join(data, 'junction.lock')))
  assert.deepEqual(snapshot(file), rowsBefore, 'nothing changed at shutdown')

  junction = spawnHeadless(args)
  assert.equal((await junction.ready()).address, address)
  plugins = {} as never
  for (const name of names) plugins[name] = await connectPlugin(url(name))
  fulfillAll(plugins.bob)
  assert.deepEqual(await balances(), before, "every app's peer.balance is the same after the restart")
  assert.deepEqual(snapshot(file), rowsBefore, 'every balance and ledger row is the same after the restart')

  // Balances continue from what was loaded.
  const more = await sendPrepare(plugins.alice, { destination: fulfiller.address, amount: 1000, executionCondition: fulfiller.condition, data: Buffer.from('after') })
  assert.equal(more.type, 'fulfill')
  assert.equal((await fetchPeerBalance(plugins.alice)).balance, paid.alice + 1000n)
  const parentAfter = (snapshot(file).accounts as Array<Record<string, unknown>>).find((r) => r.id === 'parent')
  assert.equal(parentAfter?.balance, earned - paid.alice - paid.carol - 1000n)
})

test('a corrupt database file: Junction exits 1 with a message naming the file and what to do, and leaves it as it was', { timeout: 60_000 }, async (t) => {
  const defer = cleanup(t)
  const data = tempFolder(defer)
  const file = join(data, DATABASE_FILE)
  writeFileSync(file, randomBytes(64 * 1024))
  const before = sha256(file)
  const junction = spawnHeadless(['--port', '0', '--data', data])
  defer(() => junction.stop('SIGKILL'))
  const exit = await junction.exited
  assert.deepEqual(exit, { code: 1, signal: null })
  const stderr = junction.stderr()
  assert.ok(stderr.includes(`junction: the database ${file} is corrupt or not a Junction database`), stderr)
  assert.match(stderr, /move the file aside .* start Junction again to begin with an empty one, or restore a backup over it\./)
  assert.doesNotMatch(stderr, /^\s+at /m, 'a message, not a stack trace')
  assert.equal(junction.lines.filter((l) => l.startsWith('junction ready')).length, 0)
  assert.equal(sha256(file), before)
  assert.ok(!existsSync(join(data, 'junction.lock')), 'the lock is released')
})

test('a database from a newer Junction: refused with a clear message, the file unchanged', { timeout: 60_000 }, async (t) => {
  const defer = cleanup(t)
  const data = tempFolder(defer)
  const file = join(data, DATABASE_FILE)
  openDatabase(data).close()
  const raw = new Database(file)
  raw.pragma('user_version = 999')
  raw.close()
  const before = sha256(file)
  const junction = spawnHeadless(['--port', '0', '--data', data])
  defer(() => junction.stop('SIGKILL'))
  assert.deepEqual(await junction.exited, { code: 1, signal: null })
  const stderr = junction.stderr()
  assert.ok(stderr.includes(`junction: the database ${file} was written by a newer Junction (schema 999;`), stderr)
  assert.match(stderr, /Run the newer Junction, or restore a backup made by this version\./)
  assert.equal(sha256(file), before)
  const check = new Database(file, { readonly: true })
  assert.equal(check.pragma('user_version', { simple: true }), 999)
  check.close()
})

test('a database the user cannot write, and a read-only data folder: Junction exits 1 naming the file', { timeout: 60_000 }, async (t) => {
  // Root ignores file permissions: as root, Junction runs as `nobody` here.
  const defer = cleanup(t)
  const user = isRoot ? { uid: NOBODY, gid: NOBODY } : {}
  const base = tempFolder(defer)
  chmodSync(base, 0o755)

  // The folder is writable (the lock can be taken), the database file is not.
  const data = join(base, 'ro-file')
  mkdirSync(data)
  openDatabase(data).close()
  chmodSync(data, 0o777)
  chmodSync(join(data, DATABASE_FILE), 0o444)
  const file = join(data, DATABASE_FILE)
  const before = sha256(file)
  const j1 = spawnHeadless(['--port', '0', '--data', data], user)
  defer(() => j1.stop('SIGKILL'))
  assert.deepEqual(await j1.exited, { code: 1, signal: null }, j1.stderr())
  assert.ok(j1.stderr().includes(`junction: cannot write the database ${file} (EACCES`), j1.stderr())
  assert.match(j1.stderr(), /writable by this user .* or choose another data folder with --data\./)
  assert.equal(sha256(file), before)
  assert.ok(!existsSync(join(data, 'junction.lock')), 'the lock is released')

  // The whole folder is read-only: nothing can be created in it.
  const roFolder = join(base, 'ro-folder')
  mkdirSync(roFolder)
  chmodSync(roFolder, 0o555)
  const j2 = spawnHeadless(['--port', '0', '--data', roFolder], user)
  defer(() => j2.stop('SIGKILL'))
  assert.deepEqual(await j2.exited, { code: 1, signal: null }, j2.stderr())
  assert.match(j2.stderr(), /^junction: cannot write in the data folder .*\(EACCES\): make it writable by this user, or choose another with --data$/m)
  assert.ok(j2.stderr().includes(roFolder), `names the folder: ${j2.stderr()}`)
  assert.doesNotMatch(j2.stderr(), /^\s+at /m)
})

/**
 * Makes the database refuse new rows in accounts and ledger: no page may be added (max_page_count = page_count on
 * Junction's own connection; a fresh database has no free pages) and small filler rows take the free space of those
 * tables' pages until SQLite reports SQLITE_FULL. Updating an existing row still fits; a new, larger row does not.
 */
function fillUp(db: Db): void {
  assert.equal(db.pragma('freelist_count', { simple: true }), 0n)
  db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true })}`)
  for (const sql of [`INSERT INTO accounts (id, relation, balance, updated_at) VALUES (?, 'peer', 0, 0)`, `INSERT INTO ledger VALUES (?, 60, 0, 'spent', '', 0, 0, 0)`]) {
    const insert = db.prepare(sql)
    for (let n = 0; ; n++) {
      try {
        insert.run(`~${n.toString(36)}`)
      } catch (err) {
        assert.equal((err as { code?: string }).code, 'SQLITE_FULL')
        break
      }
    }
  }
}

test('a full database: the sender gets T00 and is not charged, packets are refused until there is room, the kept debt is then recorded', { timeout: 60_000 }, async (t) => {
  const defer = cleanup(t)
  const data = tempFolder(defer)
  const ilsp = await startIlsp()
  defer(() => ilsp.stop())
  const fulfiller = await startFulfiller(ilsp.btpUrl('fulfiller', 'secret'))
  defer(() => fulfiller.stop())

  const db = openDatabase(data)
  const logged: string[] = []
  // A logger of its own: the one from createLogger follows JUNCTION_LOG, which `npm test` sets to silent.
  const log: Logger = {
    error: (m) => logged.push(`error ${m}`),
    warn: (m) => logged.push(`warn ${m}`),
    info: (m) => logged.push(`info ${m}`),
    debug: () => {},
  }
  const store = new SqliteBalanceStore(db, log, Date.now, { retryMs: 200 })
  const junction = createConnector({ port: 0, parent: ilsp.btpUrl('junction', 'secret') }, { balances: store, log: createLogger('engine', () => {}) })
  await junction.start()
  defer(async () => {
    await junction.stop()
    store.close()
  })
  await waitForAddress(junction)
  const alice = await connectPlugin(appUrl(junction, 'alice', 'token-a'))
  const carol = await connectPlugin(appUrl(junction, 'carol', 'token-c'))
  defer(() => disconnectAll(alice, carol))
  const pay = (plugin: Any, amount: number, tag: string) =>
    sendPrepare(plugin, { destination: fulfiller.address, amount, executionCondition: fulfiller.condition, data: Buffer.from(tag) })

  // The disk fills up before anything was recorded: the first payment needs new rows (carol, the provider).
  fillUp(db)
  const failed = await pay(carol, 300, 'c1')
  assert.equal(failed.type, 'reject')
  assert.equal(failed.type === 'reject' && failed.code, 'T00')
  assert.match(failed.type === 'reject' ? failed.message : '', /^the payment could not be recorded: the disk holding .*junction\.db is full \(database or disk is full\)\. Free some space/)
  assert.equal(fulfiller.received.amount, 300n, 'the provider did pay the fulfiller: Junction owes it')
  assert.equal((await fetchPeerBalance(carol)).balance, 0n, 'carol was not charged')
  assert.equal(store.unavailable !== undefined, true)

  // Until the store can write again, new payments are refused before they are forwarded, naming the problem.
  for (const [plugin, tag] of [[alice, 'a1'], [carol, 'c2']] as const) {
    const refused = await pay(plugin, 10, tag)
    assert.equal(refused.type === 'reject' && refused.code, 'T00')
    assert.match(refused.type === 'reject' ? refused.message : '', /^Junction cannot record payments right now: the disk holding .*junction\.db is full/)
  }
  await new Promise((r) => setTimeout(r, 700)) // several retries, all failing
  assert.ok(store.unavailable, 'still refusing: the kept debt needs a new row')
  assert.equal(fulfiller.received.amount, 300n, 'nothing more was forwarded')
  assert.equal(logged.filter((l) => l.startsWith('error ')).length, 1, `one error logged, not one per retry: ${logged.join('\n')}`)
  assert.match(logged.find((l) => l.startsWith('error ')) ?? '', /the disk holding .*junction\.db is full/)

  // Room again: the kept debt is written by the next retry, and payments work.
  db.pragma('max_page_count = 1073741823')
  await waitUntil(() => store.unavailable === undefined, 5000, 'the store to accept writes again')
  assert.ok(logged.some((l) => /accepts writes again/.test(l)))
  const ok = await pay(alice, 50, 'a2')
  assert.equal(ok.type, 'fulfill', ok.type === 'reject' ? `${ok.code} ${ok.message}` : '')
  assert.equal((await fetchPeerBalance(alice)).balance, 50n)
  assert.equal((await fetchPeerBalance(carol)).balance, 0n)
  assert.equal(fulfiller.received.amount, 350n)
  const reader = new Database(join(data, DATABASE_FILE), { readonly: true })
  reader.defaultSafeIntegers(true)
  try {
    const balance = (id: string) => reader.prepare(`SELECT balance FROM accounts WHERE id = ?`).pluck().get(id)
    assert.equal(balance('parent'), -350n, 'what Junction owes the provider: the 300 it kept through the failure, and 50')
    assert.equal(balance('alice'), 50n)
    assert.equal(balance('carol'), undefined)
    assert.equal(reader.prepare(`SELECT sum(amount_app) FROM ledger WHERE app_id = 'carol'`).pluck().get(), null, 'no spent row for carol')
    assert.equal(reader.prepare(`SELECT sum(packets) FROM rejects WHERE code = 'T00'`).pluck().get(), 2n, 'the two refusals are counted')
  } finally {
    reader.close()
  }
})
