// Opening Junction's SQLite database: WAL journal, the numbered migrations, and errors a person can act on.
// A database written by a newer Junction is refused, never rewritten.
import { accessSync, constants, existsSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import Database from 'better-sqlite3'
import { LATEST_SCHEMA, MIGRATIONS } from './migrations'

export type Db = Database.Database

export const DATABASE_FILE = 'junction.db'

/** A store problem, with the file and what to do about it in the message. */
export class StoreError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly code: 'corrupt' | 'newer-schema' | 'read-only' | 'disk-full' | 'io',
  ) {
    super(message)
    this.name = 'StoreError'
  }
}

/** Turns an SQLite or file-system error into a StoreError that names the file and the remedy. */
export function storeError(err: unknown, file: string): StoreError {
  if (err instanceof StoreError) return err
  const e = err as { code?: string; message?: string }
  const code = e?.code ?? ''
  const detail = e?.message ?? String(err)
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB' || /malformed|not a database/i.test(detail)) {
    return new StoreError(
      `the database ${file} is corrupt or not a Junction database (${detail}). Stop Junction, move the file aside ` +
        `(with any ${basename(file)}-wal and -shm beside it) and start Junction again to begin with an empty one, ` +
        `or restore a backup over it.`,
      file,
      'corrupt',
    )
  }
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') {
    return new StoreError(
      `the disk holding ${file} is full (${detail}). Free some space; until then Junction refuses payments it cannot record.`,
      file,
      'disk-full',
    )
  }
  if (
    code.startsWith('SQLITE_READONLY') ||
    code.startsWith('SQLITE_CANTOPEN') ||
    code === 'SQLITE_PERM' ||
    code === 'SQLITE_AUTH' ||
    code === 'EACCES' ||
    code === 'EPERM' ||
    code === 'EROFS'
  ) {
    return new StoreError(
      `cannot write the database ${file} (${detail}). Make the file and its folder ${dirname(file)} writable by this ` +
        `user (and the disk not read-only), or choose another data folder with --data.`,
      file,
      'read-only',
    )
  }
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new StoreError(
      `cannot open the database ${file}: its folder ${dirname(file)} does not exist or is not a folder (${detail}). ` +
        `Create it, or choose another data folder with --data.`,
      file,
      'io',
    )
  }
  return new StoreError(`database error on ${file}: ${detail}`, file, 'io')
}

export interface OpenOptions {
  /** Only for tests of newer-schema refusal and migrations: stop at this schema version. */
  targetVersion?: number
  /** better-sqlite3's `nativeBinding`: the path of its .node file (the desktop app keeps one built for Electron). */
  nativeBinding?: string
}

/** Opens (creating if needed) and migrates the database in `folder`. Throws StoreError. */
export function openDatabase(folder: string, opts: OpenOptions = {}): Db {
  const file = join(folder, DATABASE_FILE)
  try {
    // WAL needs to create junction.db-wal and -shm beside the file: the folder must be writable too.
    accessSync(folder, constants.W_OK)
    if (existsSync(file)) accessSync(file, constants.R_OK | constants.W_OK)
  } catch (err) {
    throw storeError(err, file)
  }
  let db: Db | undefined
  try {
    db = newDatabase(file, opts.nativeBinding)
    db.defaultSafeIntegers(true)
    // Reading the header is the first real read: a corrupt file fails here, and a newer schema is refused before
    // anything (not even the journal mode) is written to the file.
    checkSchema(db, file)
    db.pragma('journal_mode = WAL')
    // NORMAL in WAL mode: a commit is in the WAL before it returns, so it survives the process being killed.
    db.pragma('synchronous = NORMAL')
    db.pragma('foreign_keys = ON')
    db.pragma('busy_timeout = 2000')
    migrate(db, opts.targetVersion ?? LATEST_SCHEMA)
    return db
  } catch (err) {
    db?.close()
    throw storeError(err, file)
  }
}

/** `new Database`, with a clear error when a given native module cannot be loaded. */
function newDatabase(file: string, nativeBinding: string | undefined): Db {
  if (nativeBinding === undefined) return new Database(file)
  try {
    return new Database(file, { nativeBinding })
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'MODULE_NOT_FOUND' || code === 'ERR_DLOPEN_FAILED') {
      const detail = String((err as Error).message).split('\n')[0]
      throw new StoreError(
        `cannot load SQLite's native module ${nativeBinding} (${detail}): it is missing or was built for another ` +
          `runtime. Reinstall Junction, or rebuild better-sqlite3 for this Electron (see the README).`,
        file,
        'io',
      )
    }
    throw err
  }
}

export function schemaVersion(db: Db): number {
  return Number(db.pragma('user_version', { simple: true }))
}

/** Refuses a database from a newer Junction, and an SQLite file that is not Junction's; changes nothing. */
function checkSchema(db: Db, file: string): void {
  const current = schemaVersion(db)
  if (current > LATEST_SCHEMA) {
    throw new StoreError(
      `the database ${file} was written by a newer Junction (schema ${current}; this version knows up to ${LATEST_SCHEMA}). ` +
        `Run the newer Junction, or restore a backup made by this version.`,
      file,
      'newer-schema',
    )
  }
  if (current === 0) {
    const tables = db.prepare<[], { n: bigint }>(`SELECT count(*) AS n FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'`).get()
    if (tables && tables.n > 0n) {
      throw new StoreError(
        `the file ${file} is an SQLite database but not a Junction one (it has tables and no schema version). ` +
          `Move it aside and start Junction again, or choose another data folder with --data.`,
        file,
        'corrupt',
      )
    }
  }
}

function migrate(db: Db, target: number): void {
  const current = schemaVersion(db)
  for (const m of MIGRATIONS) {
    if (m.version <= current || m.version > target) continue
    db.transaction(() => {
      db.exec(m.sql)
      db.pragma(`user_version = ${m.version}`)
    })()
  }
}
