// Headless mode: the Junction engine without Electron, for servers, CI jobs and anyone who prefers a terminal.
// stdout carries status lines meant for scripts (`junction ready …`, `junction address …`); logs go to stderr.
import { resolveConfig } from './engine/config'
import { createConnector } from './engine/connector'
import { lockDataFolder } from './engine/data-folder'
import { createLogger } from './engine/log'
import { backupDatabase, restoreDatabase } from './engine/store/backup'
import { type Db, openDatabase } from './engine/store/database'
import { writeLedgerCsv } from './engine/store/ledger-export'
import { type RollupScheduler, startRollupScheduler } from './engine/store/ledger-rollup'
import { SqliteAppsStore } from './engine/store/apps-store'
import { SqliteBalanceStore } from './engine/store/sqlite-balance-store'
import { type HeadlessArgs, parseHeadlessArgs, USAGE } from './headless-args'
import { type ApiServer, startApiServer } from './api-server'
import { createEngineApi } from './engine/api'

async function main(): Promise<void> {
  const log = createLogger('headless')
  let args: HeadlessArgs | 'help'
  try {
    args = parseHeadlessArgs(process.argv.slice(2))
  } catch (err) {
    process.stderr.write(`junction: ${(err as Error).message}\n\n${USAGE}`)
    process.exit(2)
  }
  if (args === 'help') {
    process.stdout.write(USAGE)
    return
  }
  if (args.maintenance) {
    await runMaintenance(args.data, args.maintenance)
    return
  }
  if (args.parent !== undefined && (args.address !== undefined || args.asset !== undefined)) {
    log.warn('--address and --asset apply to local mode only; the provider assigns both')
  }

  // Settings are checked before the data folder is locked: a bad one leaves no lock behind.
  const config = resolveConfig({
    port: args.port,
    parent: args.parent,
    ...(args.address !== undefined ? { address: args.address } : {}),
    ...(args.asset ? { assetCode: args.asset.code, assetScale: args.asset.scale } : {}),
    ...(args.spread !== undefined ? { spread: args.spread } : {}),
    allowOrigins: args.allowOrigins,
    apps: args.apps,
    newApps: args.newApps,
    defaultBudget: args.defaultBudget,
  })
  const lock = lockDataFolder(args.data)
  let store: SqliteBalanceStore
  let appsStore: SqliteAppsStore
  let db: Db
  try {
    // JUNCTION_COMMIT=per-packet: one transaction per fulfill, only to measure the group commit against (bench).
    const commit = process.env.JUNCTION_COMMIT === 'per-packet' ? 'per-packet' : 'group'
    db = openDatabase(args.data)
    try {
      store = new SqliteBalanceStore(db, createLogger('store'), Date.now, { commit })
      appsStore = new SqliteAppsStore(db)
    } catch (err) {
      db.close()
      throw err
    }
  } catch (err) {
    lock.release()
    throw err
  }
  let connector: ReturnType<typeof createConnector>
  try {
    // Reads the apps (and what each spent this period) from the database.
    connector = createConnector(config, { balances: store, appsStore })
  } catch (err) {
    store.close()
    lock.release()
    throw err
  }

  let ready = false
  connector.on('address', (address) => {
    if (ready) process.stdout.write(`junction address ${address}\n`)
  })

  let rollup: RollupScheduler | undefined
  let ui: ApiServer | undefined
  let stopping = false
  const shutdown = (signal: string) => {
    if (stopping) return
    stopping = true
    log.info(`${signal}: shutting down`)
    const force = setTimeout(() => process.exit(1), 5000)
    force.unref()
    Promise.resolve(ui?.stop())
      .then(() => connector.stop())
      .then(() => rollup?.stop())
      .catch((err: Error) => log.error(`error while stopping: ${err.message}`))
      .finally(() => {
        try {
          store.close()
        } catch (err) {
          log.error(`error while closing the database: ${(err as Error).message}`)
        }
        lock.release()
        process.exit(0)
      })
  }
  process.on('SIGINT', () => shutdown('SIGINT'))
  process.on('SIGTERM', () => shutdown('SIGTERM'))

  try {
    await connector.start()
  } catch (err) {
    store.close()
    lock.release()
    throw err
  }
  try {
    ui = await startApiServer({ api: createEngineApi(connector, { db }), connector, port: args.uiPort, token: args.uiToken, log: createLogger('ui') })
  } catch (err) {
    await connector.stop().catch(() => {})
    store.close()
    lock.release()
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'EADDRINUSE') throw new Error(`the UI port ${args.uiPort} on 127.0.0.1 is in use; choose another with --ui-port N`)
    if (code === 'EACCES') throw new Error(`the UI port ${args.uiPort} on 127.0.0.1 is not allowed for this user; choose another with --ui-port N`)
    throw err
  }
  // Older ledger buckets move to hours, then days (see store/ledger-rollup.ts).
  rollup = startRollupScheduler(db, { log: createLogger('ledger') })
  log.info(`data folder ${args.data}; apps listen on ${connector.listeningHosts.map((h) => (h.includes(':') ? `[${h}]` : h)).join(', ')} port ${connector.port}`)
  process.stdout.write(`junction ready address=${connector.own.address ?? 'pending'} apps=btp+ws://localhost:${connector.port} ui=${ui.url}\n`)
  ready = true
  if (connector.own.address) process.stdout.write(`junction address ${connector.own.address}\n`)
}

/** --backup / --restore / --export-csv: one job on the data folder, then exit. */
async function runMaintenance(folder: string, { job, file }: NonNullable<HeadlessArgs['maintenance']>): Promise<void> {
  if (job === 'restore') {
    const restored = await restoreDatabase(folder, file)
    process.stdout.write(
      `junction restored ${file} (schema ${restored.schemaVersion}, ${restored.bytes} bytes) into ${folder}` +
        (restored.previous ? `; the previous database is now ${restored.previous}` : '') +
        '\n',
    )
    return
  }
  // Reading needs no lock: SQLite lets a second connection read (and back up) a database another Junction writes.
  const db = openDatabase(folder)
  try {
    if (job === 'backup') {
      const b = await backupDatabase(db, file)
      process.stdout.write(`junction backup ${b.file} (${b.bytes} bytes, schema ${b.schemaVersion})\n`)
    } else {
      const { bytes } = await writeLedgerCsv(db, { from: 0, to: Date.now() + 86_400_000 }, file)
      process.stdout.write(`junction exported the ledger to ${file} (${bytes} bytes)\n`)
    }
  } finally {
    db.close()
  }
}

main().catch((err: Error) => {
  process.stderr.write(`junction: ${err.message}\n`)
  process.exit(1)
})
