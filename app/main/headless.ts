// Headless mode: the Junction engine without Electron, for servers, CI jobs and anyone who prefers a terminal.
// stdout carries status lines meant for scripts (`junction ready …`, `junction address …`); logs go to stderr.
import { createLogger } from './engine/log'
import { backupDatabase, restoreDatabase } from './engine/store/backup'
import { openDatabase } from './engine/store/database'
import { writeLedgerCsv } from './engine/store/ledger-export'
import { engineConfig, type HeadlessArgs, parseHeadlessArgs, USAGE } from './headless-args'
import { startNode } from './node'

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

  // startNode checks the settings before it locks the data folder, and releases what it took if the start fails.
  const node = await startNode({
    shell: 'headless',
    dataFolder: args.data,
    uiPort: args.uiPort,
    uiToken: args.uiToken,
    // The same mapping the desktop app uses (headless-args.ts), so --peer and --rate reach the engine too.
    config: engineConfig(args),
  })
  const { connector, ui } = node

  let ready = false
  connector.on('address', (address) => {
    if (ready) process.stdout.write(`junction address ${address}\n`)
  })

  let stopping = false
  const shutdown = (signal: string) => {
    if (stopping) return
    stopping = true
    log.info(`${signal}: shutting down`)
    const force = setTimeout(() => process.exit(1), 5000)
    force.unref()
    node
      .stop()
      .catch((err: Error) => log.error(`error while stopping: ${err.message}`))
      .finally(() => process.exit(0))
  }
  process.on('SIGINT', () => shutdown('SIGINT'))
  process.on('SIGTERM', () => shutdown('SIGTERM'))

  log.info(`data folder ${args.data}; apps listen on ${connector.listeningHosts.map((h) => (h.includes(':') ? `[${h}]` : h)).join(', ')} port ${connector.port}`)
  process.stdout.write(`junction ready address=${connector.own.address ?? 'pending'} apps=btp+ws://localhost:${connector.port} ui=${ui!.url}\n`)
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
