// Starting and stopping a whole Junction node: the data folder's lock, the SQLite database, the log file, the engine
// (connector), the engine API, the ledger roll-up and, in headless mode, the UI/API server on loopback. Headless mode
// (headless.ts) and the desktop app's main process both start Junction through `startNode`, so the two run the same
// node. A failed start releases everything it took and throws an Error whose message says what to fix.
import { join } from 'node:path'
import type { JunctionApi } from '../shared/api-types'
import { type ApiServer, startApiServer } from './api-server'
import { createEngineApi, type NodeHost } from './engine/api'
import { type EngineConfig, resolveConfig } from './engine/config'
import { type Connector, createConnector } from './engine/connector'
import { lockDataFolder } from './engine/data-folder'
import { attachLogFile, createLogger, RotatingLogFile } from './engine/log'
import { SqliteAppsStore } from './engine/store/apps-store'
import { type Db, openDatabase } from './engine/store/database'
import { type RollupScheduler, startRollupScheduler } from './engine/store/ledger-rollup'
import { SqliteBalanceStore } from './engine/store/sqlite-balance-store'
import { SqliteProvidersStore } from './engine/store/providers-store'
import { SqlitePeersStore } from './engine/peers/peer-store'
import { createFileSecretStore, type SafeStorageLike } from './engine/secrets/file-secret-store'
import { forgetStagedProviderUrl, stagedProviderUrl } from './engine/secrets/staged-provider'
import { NodeSettings } from './engine/node-settings'

export interface NodeOptions {
  /** Engine config (resolveConfig checks it). */
  config: Partial<EngineConfig>
  /** Locked (data-folder.ts); the SQLite database and the logs are in it. */
  dataFolder: string
  shell: 'electron' | 'headless'
  /** UI/API WebSocket port (headless); null or absent = do not serve it (Electron uses IPC). 0 picks a free port. */
  uiPort?: number | null
  uiToken?: string
  /** better-sqlite3 `nativeBinding` path (the Electron build keeps its own .node file apart from Node's). */
  nativeBinding?: string
  /** Write `<dataFolder>/logs/junction.log` (default true). */
  logToFile?: boolean
  /** Electron's safeStorage (desktop app): secrets in `<dataFolder>/secrets/` are encrypted with the OS keychain.
   *  Absent (headless): they are kept unencrypted there, readable by this user only, and a warning says so. */
  safeStorage?: SafeStorageLike
}

export interface JunctionNode {
  connector: Connector
  api: JunctionApi
  db: Db
  /** When uiPort is a number. */
  ui?: ApiServer
  logFile: string | null
  /** Idempotent: stops the UI server, the connector and the roll-up, closes the database, releases the lock. */
  stop(): Promise<void>
}

/** Where the rotated log file lives inside a data folder. */
export function logFilePath(dataFolder: string): string {
  return join(dataFolder, 'logs', 'junction.log')
}

export async function startNode(opts: NodeOptions): Promise<JunctionNode> {
  const log = createLogger('node')
  // Settings are checked before the data folder is locked: a bad one leaves no lock behind.
  const config = resolveConfig(opts.config)
  const lock = lockDataFolder(opts.dataFolder)
  // What was taken so far, undone last-first if a later step fails (and by stop()).
  const undo: Array<() => unknown> = [() => lock.release()]
  const unwind = async () => {
    while (undo.length > 0) {
      try {
        await undo.pop()!()
      } catch (err) {
        log.error(`while stopping: ${(err as Error).message}`)
      }
    }
  }

  try {
    let logFile: string | null = null
    if (opts.logToFile !== false) {
      try {
        const file = new RotatingLogFile(logFilePath(opts.dataFolder))
        const detach = attachLogFile(file)
        undo.push(() => {
          detach()
          file.close()
        })
        logFile = file.path
      } catch (err) {
        log.warn(`not writing a log file: ${(err as Error).message}`)
      }
    }

    const db = openDatabase(opts.dataFolder, { nativeBinding: opts.nativeBinding })
    let store: SqliteBalanceStore
    let appsStore: SqliteAppsStore
    try {
      // JUNCTION_COMMIT=per-packet: one transaction per fulfill, only to measure the group commit against (bench).
      const commit = process.env.JUNCTION_COMMIT === 'per-packet' ? 'per-packet' : 'group'
      store = new SqliteBalanceStore(db, createLogger('store'), Date.now, { commit })
      appsStore = new SqliteAppsStore(db)
    } catch (err) {
      db.close()
      throw err
    }
    // Closing the balance store writes what is pending and closes the database.
    undo.push(() => store.close())

    const settings = new NodeSettings(appsStore, { shell: opts.shell, dataFolder: opts.dataFolder, logFile }, createLogger('settings'))
    settings.applySavedLogLevel()

    // Reads the apps (and what each spent this period), the pause switch and the allowed origins from the database.
    // Provider and peer secrets: beside the database, never in it (engine/secrets/file-secret-store.ts).
    const secrets = createFileSecretStore({ folder: opts.dataFolder, safeStorage: opts.safeStorage, log: createLogger('node') })
    const providersStore = new SqliteProvidersStore(db, secrets, createLogger('providers'))
    // A provider URL staged by the desktop app (config.json, or the single-provider era) becomes a stored provider.
    const staged = stagedProviderUrl(secrets, log)
    const connector = createConnector(
      { ...config, parent: config.parent ?? staged },
      { balances: store, appsStore, providersStore, secrets, peersStore: new SqlitePeersStore(db) },
    )
    if (staged !== undefined && config.parent !== undefined) {
      try {
        connector.providers.fromConfig(staged)
      } catch (err) {
        log.warn(`could not store the provider URL kept from an earlier version: ${(err as Error).message}`)
      }
    }
    await connector.start()
    if (staged !== undefined) forgetStagedProviderUrl(secrets, log)
    undo.push(() => connector.stop())

    const host: NodeHost = { settings, uiPort: () => ui?.port ?? null }
    const api = createEngineApi(connector, { db, host })

    let ui: ApiServer | undefined
    if (typeof opts.uiPort === 'number') {
      try {
        ui = await startApiServer({ api, connector, port: opts.uiPort, token: opts.uiToken, log: createLogger('ui') })
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code
        if (code === 'EADDRINUSE') throw new Error(`the UI port ${opts.uiPort} on 127.0.0.1 is in use; choose another with --ui-port N`)
        if (code === 'EACCES') throw new Error(`the UI port ${opts.uiPort} on 127.0.0.1 is not allowed for this user; choose another with --ui-port N`)
        throw err
      }
      const server = ui
      undo.push(() => server.stop())
    }

    // Older ledger buckets move to hours, then days (see store/ledger-rollup.ts).
    const rollup: RollupScheduler = startRollupScheduler(db, { log: createLogger('ledger') })
    undo.push(() => rollup.stop())

    let stopping: Promise<void> | undefined
    return {
      connector,
      api,
      db,
      ui,
      logFile,
      stop: () => (stopping ??= unwind()),
    }
  } catch (err) {
    await unwind()
    throw err
  }
}
