// Opening the database: migrations, the schema check, and the errors a person gets for a corrupt file, a newer
// schema and a folder that cannot be written. Tests run as root on CI machines, and root ignores file permissions:
// the permission cases run in a child process as `nobody` when this process is root.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { chmodSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { DATABASE_FILE, type Db, openDatabase, schemaVersion, StoreError, storeError } from '../../../../app/main/engine/store/database'
import { LATEST_SCHEMA, MIGRATIONS } from '../../../../app/main/engine/store/migrations'
import { SqliteBalanceStore } from '../../../../app/main/engine/store/sqlite-balance-store'
import { createLogger } from '../../../../app/main/engine/log'

const ROOT = fileURLToPath(new URL('../../../..', import.meta.url))
const TABLES = ['accounts', 'apps', 'ledger', 'ledger_totals', 'peers', 'providers', 'rejects', 'settings', 'settlements']

function tempFolder(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'junction-db-'))
  t.after(() => {
    chmodSync(dir, 0o755)
    rmSync(dir, { recursive: true, force: true })
  })
  return dir
}

function tables(db: Db): string[] {
  return (db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`).all() as Array<{ name: string }>).map((r) => r.name)
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex')

/** Calls `fn`, which must throw a StoreError; returns it. */
function storeFailure(fn: () => unknown): StoreError {
  try {
    fn()
  } catch (err) {
    assert.ok(err instanceof StoreError, `expected a StoreError, got ${(err as Error)?.stack ?? String(err)}`)
    return err
  }
  assert.fail('expected a StoreError, nothing was thrown')
}

/**
 * Runs openDatabase(folder) as user `nobody` in a child process (root ignores file permissions, so permission errors
 * cannot be provoked as root) and returns what it threw, or undefined if it opened.
 */
function openAsNobody(folder: string, scratch: string): { name: string; code: string; file: string; message: string } | undefined {
  const script = join(scratch, 'open-as-nobody.mts')
  const database = join(ROOT, 'app/main/engine/store/database.ts')
  writeFileSync(
    script,
    `import { openDatabase } from ${JSON.stringify(database)}
try { openDatabase(process.argv[2]).close(); console.log('null') }
catch (e) { console.log(JSON.stringify({ name: e.name, code: e.code, file: e.file, message: e.message })) }
`,
  )
  chmodSync(scratch, 0o755)
  chmodSync(script, 0o644)
  const isRoot = process.getuid?.() === 0
  const r = spawnSync(process.execPath, ['--import', 'tsx', script, folder], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 30_000,
    ...(isRoot ? { uid: 65534, gid: 65534 } : {}),
  })
  assert.equal(r.status, 0, `the child failed: ${r.stderr}`)
  return JSON.parse(r.stdout.trim().split('\n').pop()!) ?? undefined
}

describe('openDatabase: migrations', () => {
  it('creates and migrates an empty database to the latest schema, in WAL mode with synchronous=NORMAL', (t) => {
    const dir = tempFolder(t)
    const db = openDatabase(dir)
    try {
      assert.equal(schemaVersion(db), LATEST_SCHEMA)
      assert.deepEqual(tables(db), TABLES)
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal')
      assert.equal(Number(db.pragma('synchronous', { simple: true })), 1, 'synchronous = NORMAL')
      assert.equal(Number(db.pragma('foreign_keys', { simple: true })), 1)
      assert.equal(db.name, join(dir, DATABASE_FILE))
    } finally {
      db.close()
    }
  })

  it('migrates an existing empty (0-byte) file', (t) => {
    const dir = tempFolder(t)
    writeFileSync(join(dir, DATABASE_FILE), '')
    const db = openDatabase(dir)
    assert.equal(schemaVersion(db), LATEST_SCHEMA)
    assert.deepEqual(tables(db), TABLES)
    db.close()
  })

  it('migrates from each earlier schema, keeping the data', (t) => {
    for (let from = 0; from < LATEST_SCHEMA; from++) {
      const dir = tempFolder(t)
      const old = openDatabase(dir, { targetVersion: from })
      assert.equal(schemaVersion(old), from)
      if (from >= 1) old.prepare(`INSERT INTO accounts (id, relation, balance, updated_at) VALUES ('alice', 'child', 42, 1)`).run()
      old.close()
      const db = openDatabase(dir)
      assert.equal(schemaVersion(db), LATEST_SCHEMA, `from schema ${from}`)
      assert.deepEqual(tables(db), TABLES)
      if (from >= 1) assert.equal(db.prepare(`SELECT balance FROM accounts WHERE id = 'alice'`).pluck().get(), 42n)
      db.close()
    }
  })

  it('numbers migrations 1, 2, 3… with no gaps; reopening runs none again and keeps every row', (t) => {
    assert.deepEqual(
      MIGRATIONS.map((m) => m.version),
      MIGRATIONS.map((_, i) => i + 1),
    )
    const dir = tempFolder(t)
    const db = openDatabase(dir)
    db.prepare(`INSERT INTO settings (key, value) VALUES ('k', 'v')`).run()
    db.close()
    const again = openDatabase(dir)
    assert.equal(again.prepare(`SELECT value FROM settings WHERE key = 'k'`).pluck().get(), 'v')
    assert.equal(schemaVersion(again), LATEST_SCHEMA)
    again.close()
  })
})

describe('openDatabase: refusals', () => {
  it('refuses a database written by a newer Junction (user_version 999) and leaves the file unchanged', (t) => {
    for (const mode of ['delete', 'wal'] as const) {
      const dir = tempFolder(t)
      const file = join(dir, DATABASE_FILE)
      const newer = new Database(file)
      newer.pragma(`journal_mode = ${mode}`)
      newer.exec(`CREATE TABLE future (x); INSERT INTO future VALUES (1)`)
      newer.pragma('user_version = 999')
      newer.close()
      const before = sha256(file)
      const filesBefore = readdirSync(dir).sort()

      const err = storeFailure(() => openDatabase(dir))
      assert.equal(err.code, 'newer-schema')
      assert.equal(err.file, file)
      assert.ok(err.message.includes(file), err.message)
      assert.match(err.message, /newer Junction \(schema 999; this version knows up to \d+\)/)
      assert.match(err.message, /Run the newer Junction, or restore a backup/)

      assert.equal(sha256(file), before, `${mode}: the file is byte for byte the same`)
      assert.deepEqual(readdirSync(dir).sort(), filesBefore, `${mode}: no file created or removed beside it`)
      const check = new Database(file, { readonly: true })
      assert.equal(check.pragma('user_version', { simple: true }), 999)
      assert.equal(check.pragma('journal_mode', { simple: true }), mode)
      check.close()
    }
  })

  it('refuses a file of garbage bytes as corrupt, naming the file and what to do, and leaves it unchanged', (t) => {
    const dir = tempFolder(t)
    const file = join(dir, DATABASE_FILE)
    writeFileSync(file, Buffer.from('this is not an SQLite database, just some garbage bytes '.repeat(200)))
    const before = sha256(file)
    const err = storeFailure(() => openDatabase(dir))
    assert.equal(err.code, 'corrupt')
    assert.equal(err.file, file)
    assert.ok(err.message.includes(file), err.message)
    assert.match(err.message, /corrupt or not a Junction database/)
    assert.match(err.message, /move the file aside .* start Junction again .* or restore a backup/)
    assert.equal(sha256(file), before)
  })

  it('reports a damaged table as corrupt when the store reads it', (t) => {
    const dir = tempFolder(t)
    const file = join(dir, DATABASE_FILE)
    const db = openDatabase(dir)
    // Every page of the accounts table and of its primary-key index.
    const roots = db.prepare(`SELECT rootpage FROM sqlite_schema WHERE tbl_name = 'accounts'`).pluck().all() as bigint[]
    assert.equal(roots.length, 2)
    const pageSize = Number(db.pragma('page_size', { simple: true }))
    db.pragma('wal_checkpoint(TRUNCATE)')
    db.close()
    const fd = openSync(file, 'r+')
    for (const root of roots) writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (Number(root) - 1) * pageSize)
    closeSync(fd)

    // The header and the schema are intact, so the file opens; the damage shows on the first read of the table.
    const reopened = openDatabase(dir)
    const store = new SqliteBalanceStore(reopened, createLogger('test', () => {}))
    const err = storeFailure(() => store.load('alice'))
    assert.equal(err.code, 'corrupt')
    assert.ok(err.message.includes(file), err.message)
    reopened.close()
  })

  it('refuses an SQLite file that is not a Junction database', (t) => {
    const dir = tempFolder(t)
    const file = join(dir, DATABASE_FILE)
    const other = new Database(file)
    other.exec(`CREATE TABLE photos (id INTEGER PRIMARY KEY, data BLOB)`)
    other.close()
    const before = sha256(file)
    const err = storeFailure(() => openDatabase(dir))
    assert.equal(err.code, 'corrupt')
    assert.match(err.message, /is an SQLite database but not a Junction one/)
    assert.ok(err.message.includes(file))
    assert.equal(sha256(file), before, 'no migration ran on it')
  })
})

describe('openDatabase: folders that cannot be written', () => {
  it('a folder where no file can be created (/proc, even for root): read-only, naming the file and what to do', () => {
    if (!existsSync('/proc/self')) return
    const err = storeFailure(() => openDatabase('/proc'))
    assert.equal(err.code, 'read-only')
    assert.equal(err.file, '/proc/junction.db')
    assert.match(err.message, /^cannot write the database \/proc\/junction\.db \(/)
    assert.match(err.message, /writable by this user .* or choose another data folder with --data/)
  })

  it('a folder that does not exist, or a path through a file', (t) => {
    const dir = tempFolder(t)
    const missing = storeFailure(() => openDatabase(join(dir, 'missing')))
    assert.equal(missing.code, 'io')
    assert.match(missing.message, /its folder .*missing does not exist or is not a folder/)
    writeFileSync(join(dir, 'file'), 'x')
    const through = storeFailure(() => openDatabase(join(dir, 'file', 'sub')))
    assert.match(through.message, /does not exist or is not a folder \(ENOTDIR/)
    assert.ok(through.message.includes(join(dir, 'file', 'sub', DATABASE_FILE)))
  })

  it('a read-only folder (chmod 0555), with and without a database in it, and a read-only database file', (t) => {
    const scratch = tempFolder(t)
    // 1. Empty read-only folder: the database cannot be created.
    const empty = join(scratch, 'empty')
    mkdirSync(empty)
    chmodSync(empty, 0o555)
    const e1 = openAsNobody(empty, scratch)
    assert.ok(e1, 'opening in a read-only folder must fail')
    assert.equal(e1.name, 'StoreError')
    assert.equal(e1.code, 'read-only')
    assert.equal(e1.file, join(empty, DATABASE_FILE))
    assert.match(e1.message, /cannot write the database .*junction\.db \(EACCES/)

    // 2. A database that nobody may write, in a read-only folder: WAL needs -wal and -shm files beside it.
    const withDb = join(scratch, 'with-db')
    mkdirSync(withDb)
    openDatabase(withDb).close()
    chmodSync(join(withDb, DATABASE_FILE), 0o666)
    chmodSync(withDb, 0o555)
    const e2 = openAsNobody(withDb, scratch)
    assert.ok(e2, 'opening a database in a read-only folder must fail')
    assert.equal(e2.code, 'read-only')
    assert.ok(e2.message.includes(join(withDb, DATABASE_FILE)), e2.message)

    // 3. A writable folder, a read-only database file.
    const roFile = join(scratch, 'ro-file')
    mkdirSync(roFile)
    openDatabase(roFile).close()
    chmodSync(roFile, 0o777)
    chmodSync(join(roFile, DATABASE_FILE), 0o444)
    const e3 = openAsNobody(roFile, scratch)
    assert.ok(e3, 'opening a read-only database file must fail')
    assert.equal(e3.code, 'read-only')
    assert.ok(e3.message.includes(join(roFile, DATABASE_FILE)), e3.message)

    // And the same folder made writable again opens fine for that user.
    chmodSync(join(roFile, DATABASE_FILE), 0o666)
    assert.equal(openAsNobody(roFile, scratch), undefined)
  })
})

describe('storeError', () => {
  const file = '/data/junction.db'
  const cases: Array<[string, string, StoreError['code']]> = [
    ['SQLITE_CORRUPT', 'database disk image is malformed', 'corrupt'],
    ['SQLITE_CORRUPT_INDEX', 'database disk image is malformed', 'corrupt'],
    ['SQLITE_NOTADB', 'file is not a database', 'corrupt'],
    ['SQLITE_FULL', 'database or disk is full', 'disk-full'],
    ['ENOSPC', 'no space left on device', 'disk-full'],
    ['SQLITE_READONLY', 'attempt to write a readonly database', 'read-only'],
    ['SQLITE_READONLY_DIRECTORY', 'attempt to write a readonly database', 'read-only'],
    ['SQLITE_CANTOPEN', 'unable to open database file', 'read-only'],
    ['EACCES', 'permission denied', 'read-only'],
    ['EROFS', 'read-only file system', 'read-only'],
    ['ENOENT', 'no such file or directory', 'io'],
    ['SQLITE_IOERR_WRITE', 'disk I/O error', 'io'],
  ]
  for (const [code, message, kind] of cases) {
    it(`${code} → ${kind}, naming the file and keeping the detail`, () => {
      const err = storeError(Object.assign(new Error(message), { code }), file)
      assert.equal(err.code, kind)
      assert.equal(err.file, file)
      assert.ok(err.message.includes(file))
      assert.ok(err.message.includes(message))
    })
  }

  it('the disk-full message says what to do and that payments are refused meanwhile', () => {
    const err = storeError(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }), file)
    assert.match(err.message, /^the disk holding \/data\/junction\.db is full \(database or disk is full\)\. Free some space; until then Junction refuses payments it cannot record\.$/)
  })

  it('passes a StoreError through unchanged', () => {
    const original = new StoreError('x', file, 'newer-schema')
    assert.equal(storeError(original, '/other'), original)
  })
})
