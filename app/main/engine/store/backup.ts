// Backup of the live database to a file, and restore of such a file into a data folder.
//
// backupDatabase() is online: it runs while the engine keeps accounting packets on the same connection (SQLite's
// backup API copies a consistent snapshot, page by page, between the engine's commits; a page written meanwhile by
// this connection is copied as it is now). The copy is made beside the target, switched out of WAL mode so it is one
// self-contained file, checked, and then renamed onto the target, so a failed backup never leaves half a file there.
//
// restoreDatabase() is for when the engine is STOPPED: its database closed and the data folder's lock released
// (restore takes the lock itself, so it refuses while any Junction runs on that folder; a caller that holds the lock
// and has closed the database says so with { lockHeld: true }). It first checks the backup (it opens, passes SQLite's
// quick_check, is a Junction database: its schema version is known and it has every table that version has, and
// that version is not newer than this Junction's), copies it into the folder, moves the current junction.db and its
// -wal and -shm files aside (junction.db.before-restore-<time>, kept so a mistaken restore can be undone; delete it
// when no longer wanted), and renames the copy to junction.db. The next start migrates it if it is older.
import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync, statSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import Database from 'better-sqlite3'
import { lockDataFolder } from '../data-folder'
import { DATABASE_FILE, type Db } from './database'
import { LATEST_SCHEMA, MIGRATIONS } from './migrations'

export class BackupError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly code: 'not-found' | 'corrupt' | 'not-junction' | 'newer-schema' | 'in-use' | 'io',
  ) {
    super(message)
    this.name = 'BackupError'
  }
}

export interface BackupInfo {
  file: string
  bytes: number
  schemaVersion: number
}

/** Copies the live database to `file` (replacing it). Safe while the engine runs. */
export async function backupDatabase(db: Db, file: string): Promise<BackupInfo> {
  const target = resolve(file)
  const live = resolve(db.name)
  if (target === live || target.startsWith(`${live}-`)) {
    throw new BackupError(`cannot back up the database ${live} onto itself; choose another file`, target, 'io')
  }
  const temp = join(dirname(target), `.${basename(target)}.partial-${process.pid}`)
  try {
    await db.backup(temp)
    // One self-contained file: a rollback journal instead of WAL (the engine switches a restored copy back to WAL).
    const copy = new Database(temp)
    try {
      copy.pragma('journal_mode = DELETE')
    } finally {
      copy.close()
    }
    // The schema check only: quick_check reads every page, which would hold up the engine's event loop. Restore
    // runs it (on a stopped engine).
    const info = checkBackup(temp, { integrity: false })
    fsyncFile(temp)
    renameSync(temp, target)
    fsyncFolder(dirname(target))
    return { ...info, file: target }
  } catch (err) {
    rmSync(temp, { force: true })
    if (err instanceof BackupError) throw err
    throw new BackupError(`could not back up the database to ${target}: ${(err as Error).message}`, target, 'io')
  }
}

/**
 * Checks that `file` is a readable Junction database this version can use; throws BackupError saying why not.
 * `integrity` (default on) also runs SQLite's quick_check, which reads the whole file.
 */
export function checkBackup(file: string, opts: { integrity?: boolean } = {}): BackupInfo {
  const path = resolve(file)
  if (!existsSync(path) || !statSync(path).isFile()) throw new BackupError(`the backup ${path} does not exist`, path, 'not-found')
  const notJunction = (why: string) =>
    new BackupError(`${path} is not a Junction database (${why}); choose a file made by Junction's backup`, path, 'not-junction')
  let db: Db | undefined
  try {
    db = new Database(path, { readonly: true, fileMustExist: true })
    const check = opts.integrity === false ? 'ok' : db.pragma('quick_check', { simple: true })
    if (check !== 'ok') throw new BackupError(`the backup ${path} is damaged (${check}); use another backup`, path, 'corrupt')
    const version = Number(db.pragma('user_version', { simple: true }))
    if (version > LATEST_SCHEMA) {
      throw new BackupError(
        `the backup ${path} was written by a newer Junction (schema ${version}; this version knows up to ${LATEST_SCHEMA}). ` +
          `Restore it with that newer Junction.`,
        path,
        'newer-schema',
      )
    }
    if (version < 1) throw notJunction('it has no Junction schema version')
    const missing = missingColumns(db, version)
    if (missing.length > 0) throw notJunction(`schema ${version} without ${missing.slice(0, 5).join(', ')}`)
    return { file: path, bytes: statSync(path).size, schemaVersion: version }
  } catch (err) {
    if (err instanceof BackupError) throw err
    const e = err as { code?: string; message?: string }
    if (e.code === 'SQLITE_NOTADB' || e.code === 'SQLITE_CORRUPT' || /not a database|malformed/i.test(e.message ?? '')) {
      throw new BackupError(`${path} is corrupt or not a database (${e.message}); use another backup`, path, 'corrupt')
    }
    throw new BackupError(`cannot read the backup ${path}: ${e.message ?? String(err)}`, path, 'io')
  } finally {
    db?.close()
  }
}

/** The tables and columns schema `version` has (built by running the migrations in memory) that `db` lacks. */
function missingColumns(db: Db, version: number): string[] {
  const expected = new Database(':memory:')
  try {
    for (const m of MIGRATIONS) if (m.version <= version) expected.exec(m.sql)
    const missing: string[] = []
    for (const { name } of tables(expected)) {
      const have = new Set(columns(db, name))
      if (have.size === 0) missing.push(`table ${name}`)
      else for (const column of columns(expected, name)) if (!have.has(column)) missing.push(`${name}.${column}`)
    }
    return missing
  } finally {
    expected.close()
  }
}

function tables(db: Db): Array<{ name: string }> {
  return db.prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all()
}

function columns(db: Db, table: string): string[] {
  return db.prepare<[string], { name: string }>('SELECT name FROM pragma_table_info(?)').all(table).map((c) => c.name)
}

export interface RestoreOptions {
  /** The caller holds the data folder's lock and has closed the engine's database. */
  lockHeld?: boolean
  /** For tests: the time in the name of the set-aside database. */
  now?: () => number
}

export interface RestoreResult extends BackupInfo {
  /** Where the database that was replaced now is (with its -wal), if there was one. */
  previous?: string
}

/**
 * Replaces `folder`'s junction.db with the backup `file`, after checking it. Only while the engine is stopped
 * (see the top of this file). Throws BackupError, leaving the folder as it was, if the backup is unusable or the
 * folder is in use.
 */
export async function restoreDatabase(folder: string, file: string, opts: RestoreOptions = {}): Promise<RestoreResult> {
  const info = checkBackup(file)
  const target = join(resolve(folder), DATABASE_FILE)
  if (resolve(file) === target) throw new BackupError(`${target} is the database itself, not a backup`, target, 'io')
  let lock: { release(): void } | undefined
  if (!opts.lockHeld) {
    try {
      lock = lockDataFolder(folder)
    } catch (err) {
      throw new BackupError(`cannot restore into ${folder}: ${(err as Error).message}. Stop Junction first.`, target, 'in-use')
    }
  }
  const temp = `${target}.restoring`
  try {
    // Copy through SQLite (not the file system), so the copy is exactly the checked content.
    const source = new Database(info.file, { readonly: true, fileMustExist: true })
    try {
      rmSync(temp, { force: true })
      await source.backup(temp)
    } finally {
      source.close()
    }
    const copy = new Database(temp)
    try {
      copy.pragma('journal_mode = DELETE')
    } finally {
      copy.close()
    }
    fsyncFile(temp)

    // The old database's WAL is moved before the database: a WAL left behind without its database would be
    // replayed into whatever junction.db comes next.
    let previous: string | undefined
    const stamp = new Date((opts.now ?? Date.now)()).toISOString().replace(/[:.]/g, '-')
    const aside = `${target}.before-restore-${stamp}`
    if (existsSync(`${target}-wal`)) renameSync(`${target}-wal`, `${aside}-wal`)
    rmSync(`${target}-shm`, { force: true })
    if (existsSync(target)) {
      renameSync(target, aside)
      previous = aside
    }
    renameSync(temp, target)
    fsyncFolder(dirname(target))
    return { ...info, previous }
  } catch (err) {
    rmSync(temp, { force: true })
    if (err instanceof BackupError) throw err
    throw new BackupError(`could not restore ${info.file} into ${folder}: ${(err as Error).message}`, target, 'io')
  } finally {
    lock?.release()
  }
}

function fsyncFile(path: string): void {
  const fd = openSync(path, 'r+')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

/** Makes renames in a folder durable (not possible on Windows, where renames are durable anyway). */
function fsyncFolder(path: string): void {
  let fd: number | undefined
  try {
    fd = openSync(path, 'r')
    fsyncSync(fd)
  } catch {
    // Windows cannot open a folder
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}
