import { after, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { lockDataFolder } from '../../../../app/main/engine/data-folder'
import { backupDatabase, BackupError, checkBackup, restoreDatabase } from '../../../../app/main/engine/store/backup'
import { DATABASE_FILE, type Db, openDatabase, schemaVersion } from '../../../../app/main/engine/store/database'
import { LATEST_SCHEMA } from '../../../../app/main/engine/store/migrations'
import { LedgerWriter } from './ledger-fixtures'

const root = mkdtempSync(join(tmpdir(), 'junction-backup-test-'))
after(() => rmSync(root, { recursive: true, force: true }))
let n = 0
const fresh = (): string => {
  const dir = join(root, `case-${n++}`)
  mkdirSync(dir)
  return dir
}

/** Everything a restore must bring back. */
function contents(db: Db): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {}
  for (const table of ['accounts', 'apps', 'ledger', 'ledger_totals', 'rejects', 'settings']) {
    out[table] = db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).raw().all()
  }
  return out
}

function populate(db: Db, tag: string): void {
  db.prepare("INSERT INTO accounts (id, relation, balance, updated_at) VALUES (?, 'child', ?, 1)").run(`acct-${tag}`, 2n ** 62n)
  db.prepare("INSERT INTO apps (id, display_name, status, named, created_at) VALUES (?, ?, 'approved', 1, 5)").run(`app-${tag}`, `App ${tag}`)
  db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run(`key-${tag}`, tag)
  const w = new LedgerWriter(db)
  for (let i = 0; i < 200; i++) {
    w.packet({ app: `app-${tag}`, t: Date.UTC(2025, 0, 1) + i * 61_000, direction: 'spent', prefix: 'g.x.y', amountApp: BigInt(i), amountProvider: BigInt(i) })
    if (i % 9 === 0) w.rejected({ app: `app-${tag}`, t: Date.UTC(2025, 0, 1) + i * 61_000, code: 'T04' })
  }
}

const isBackupError = (code: BackupError['code'], text?: RegExp) => (err: unknown) =>
  err instanceof BackupError && err.code === code && (text === undefined || text.test(err.message))

describe('backupDatabase', () => {
  it('copies the live database to one self-contained file while it is being written', async () => {
    const folder = fresh()
    const db = openDatabase(folder)
    try {
      populate(db, 'a')
      const file = join(fresh(), 'junction-backup.db')
      // The engine keeps writing during the backup.
      const w = new LedgerWriter(db)
      let writes = 0
      const writer = setInterval(() => {
        w.packet({ app: 'app-a', t: Date.UTC(2025, 1, 1) + writes * 60_000, direction: 'earned', prefix: '', amountApp: 1n, amountProvider: 1n })
        writes++
      }, 0)
      let info
      try {
        info = await backupDatabase(db, file)
      } finally {
        clearInterval(writer)
      }
      assert.equal(info.file, file)
      assert.equal(info.schemaVersion, LATEST_SCHEMA)
      assert.equal(info.bytes, statSync(file).size)
      // One file, no WAL beside it, nothing left over.
      assert.deepEqual(readdirSync(join(file, '..')), ['junction-backup.db'])
      const copy = new Database(file, { readonly: true })
      copy.defaultSafeIntegers(true)
      try {
        assert.equal(copy.pragma('journal_mode', { simple: true }), 'delete')
        assert.equal(copy.pragma('integrity_check', { simple: true }), 'ok')
        const got = contents(copy)
        assert.deepEqual(got.apps, contents(db).apps)
        assert.deepEqual(got.accounts, contents(db).accounts)
        // A consistent snapshot: the earned rows it holds are some prefix of what was written.
        const earned = copy.prepare("SELECT count(*) FROM ledger WHERE direction = 'earned'").pluck().get() as bigint
        assert.ok(earned <= BigInt(writes))
      } finally {
        copy.close()
      }
    } finally {
      db.close()
    }
  })

  it('replaces an existing file at the target, and refuses to back up onto the database itself', async () => {
    const folder = fresh()
    const db = openDatabase(folder)
    try {
      populate(db, 'b')
      const file = join(fresh(), 'backup.db')
      writeFileSync(file, 'an older backup')
      await backupDatabase(db, file)
      assert.equal(checkBackup(file).schemaVersion, LATEST_SCHEMA)
      await assert.rejects(backupDatabase(db, join(folder, DATABASE_FILE)), isBackupError('io', /onto itself/))
      await assert.rejects(backupDatabase(db, join(fresh(), 'missing', 'x.db')), isBackupError('io'))
    } finally {
      db.close()
    }
  })
})

describe('restoreDatabase', () => {
  it('round trip: back up, change, restore; the database is as it was at the backup', async () => {
    const folder = fresh()
    let db = openDatabase(folder)
    populate(db, 'r')
    const atBackup = contents(db)
    const file = join(fresh(), 'snapshot.db')
    await backupDatabase(db, file)
    // Life goes on after the backup.
    populate(db, 's')
    assert.notDeepEqual(contents(db), atBackup)
    db.close()
    // A crashed engine leaves a WAL and shared-memory file behind.
    writeFileSync(join(folder, `${DATABASE_FILE}-wal`), 'stale wal')
    writeFileSync(join(folder, `${DATABASE_FILE}-shm`), 'stale shm')

    const result = await restoreDatabase(folder, file, { now: () => Date.UTC(2025, 4, 6, 7, 8, 9) })
    assert.equal(result.schemaVersion, LATEST_SCHEMA)
    assert.equal(result.previous, join(folder, `${DATABASE_FILE}.before-restore-2025-05-06T07-08-09-000Z`))
    assert.equal(existsSync(join(folder, `${DATABASE_FILE}-wal`)), false)
    assert.equal(existsSync(join(folder, `${DATABASE_FILE}-shm`)), false)
    assert.equal(readFileSync(`${result.previous}-wal`, 'utf8'), 'stale wal', 'the old WAL moved with its database')
    assert.equal(existsSync(join(folder, 'junction.lock')), false, 'the lock is released')

    db = openDatabase(folder)
    try {
      assert.deepEqual(contents(db), atBackup)
      assert.equal(schemaVersion(db), LATEST_SCHEMA)
    } finally {
      db.close()
    }
    // The replaced database is still there, to undo the restore.
    assert.ok(statSync(result.previous!).size > 0)
  })

  it('restores into an empty data folder', async () => {
    const source = openDatabase(fresh())
    populate(source, 'e')
    const file = join(fresh(), 'b.db')
    await backupDatabase(source, file)
    const want = contents(source)
    source.close()
    const folder = fresh()
    const result = await restoreDatabase(folder, file)
    assert.equal(result.previous, undefined)
    const db = openDatabase(folder)
    try {
      assert.deepEqual(contents(db), want)
    } finally {
      db.close()
    }
  })

  it('restores an older schema, which the next open migrates', async (t) => {
    if (LATEST_SCHEMA < 2) return t.skip('only one schema so far')
    const folder = fresh()
    openDatabase(folder, { targetVersion: 1 }).close()
    const file = join(fresh(), 'old.db')
    const db1 = new Database(join(folder, DATABASE_FILE))
    await db1.backup(file)
    db1.close()
    assert.equal(checkBackup(file).schemaVersion, 1)
    const target = fresh()
    await restoreDatabase(target, file)
    const db = openDatabase(target)
    try {
      assert.equal(schemaVersion(db), LATEST_SCHEMA)
    } finally {
      db.close()
    }
  })

  // Files that must be refused, and the folder left exactly as it was.
  const refusals: Array<[string, (file: string) => void | Promise<void>, BackupError['code'], RegExp]> = [
    ['a file that does not exist', () => {}, 'not-found', /does not exist/],
    ['random bytes', (f) => writeFileSync(f, Buffer.alloc(8192, 0x5a)), 'corrupt', /corrupt or not a database/],
    ['an empty file', (f) => writeFileSync(f, ''), 'not-junction', /no Junction schema version/],
    [
      'an SQLite database that is not Junction’s',
      (f) => {
        const db = new Database(f)
        db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)')
        db.close()
      },
      'not-junction',
      /no Junction schema version/,
    ],
    [
      'a schema version without Junction’s tables',
      (f) => {
        const db = new Database(f)
        db.exec('CREATE TABLE apps (id TEXT)')
        db.pragma('user_version = 1')
        db.close()
      },
      'not-junction',
      /schema 1 without table accounts/,
    ],
    [
      'a database from a newer Junction',
      (f) => {
        const folder = fresh()
        openDatabase(folder).close()
        const db = new Database(join(folder, DATABASE_FILE))
        db.pragma(`user_version = ${LATEST_SCHEMA + 1}`)
        db.pragma('journal_mode = DELETE')
        db.close()
        writeFileSync(f, readFileSync(join(folder, DATABASE_FILE)))
      },
      'newer-schema',
      /newer Junction/,
    ],
    [
      'a truncated backup',
      async (f) => {
        const db = openDatabase(fresh())
        for (let i = 0; i < 20; i++) populate(db, `t${i}`)
        await backupDatabase(db, f)
        db.close()
        truncateSync(f, Math.floor(statSync(f).size / 2))
      },
      'corrupt',
      /damaged|corrupt|malformed/,
    ],
  ]
  for (const [name, make, code, text] of refusals) {
    it(`refuses ${name}, leaving the folder as it was`, async () => {
      const folder = fresh()
      const db = openDatabase(folder)
      populate(db, 'keep')
      const want = contents(db)
      db.close()
      const before = readFileSync(join(folder, DATABASE_FILE))
      const file = join(fresh(), 'candidate.db')
      await make(file)
      assert.throws(() => checkBackup(file), isBackupError(code, text))
      await assert.rejects(restoreDatabase(folder, file), isBackupError(code, text))
      assert.deepEqual(readFileSync(join(folder, DATABASE_FILE)), before)
      assert.deepEqual(readdirSync(folder).sort(), [DATABASE_FILE])
      const again = openDatabase(folder)
      try {
        assert.deepEqual(contents(again), want)
      } finally {
        again.close()
      }
    })
  }

  it('refuses while Junction runs on the folder (its lock is held), and the file it would restore is fine', async () => {
    const folder = fresh()
    const db = openDatabase(folder)
    populate(db, 'live')
    const file = join(fresh(), 'b.db')
    await backupDatabase(db, file)
    const lock = lockDataFolder(folder)
    try {
      await assert.rejects(restoreDatabase(folder, file), isBackupError('in-use', /Stop Junction first/))
    } finally {
      lock.release()
      db.close()
    }
    assert.ok(existsSync(join(folder, DATABASE_FILE)))
    // With the engine stopped, the same restore goes through.
    await restoreDatabase(folder, file)
  })

  it('with lockHeld, a caller holding the lock (engine stopped) can restore', async () => {
    const folder = fresh()
    const db = openDatabase(folder)
    populate(db, 'held')
    const file = join(fresh(), 'b.db')
    await backupDatabase(db, file)
    db.close()
    const lock = lockDataFolder(folder)
    try {
      const result = await restoreDatabase(folder, file, { lockHeld: true })
      assert.ok(result.previous)
      assert.ok(existsSync(lock.path), 'the caller’s lock is left alone')
    } finally {
      lock.release()
    }
  })

  it('refuses to restore the database onto itself', async () => {
    const folder = fresh()
    openDatabase(folder).close()
    await assert.rejects(restoreDatabase(folder, join(folder, DATABASE_FILE)), isBackupError('io', /not a backup/))
  })

  it('accepts a plain copy of a stopped engine’s database file (WAL mode)', async () => {
    const folder = fresh()
    const db = openDatabase(folder)
    populate(db, 'copy')
    const want = contents(db)
    db.close()
    const file = join(fresh(), 'copied.db')
    writeFileSync(file, readFileSync(join(folder, DATABASE_FILE)))
    assert.equal(checkBackup(file).schemaVersion, LATEST_SCHEMA)
    const target = fresh()
    await restoreDatabase(target, file)
    const restored = openDatabase(target)
    try {
      assert.deepEqual(contents(restored), want)
    } finally {
      restored.close()
    }
  })
})
