// Headless mode: the Junction engine without Electron, for servers, CI jobs and anyone who prefers a terminal.
// stdout carries status lines meant for scripts (`junction ready …`, `junction address …`); logs go to stderr.
import { parseArgs } from 'node:util'
import { resolve } from 'node:path'
import { createConnector } from './engine/connector'
import { DEFAULT_PORT } from './engine/config'
import { defaultDataFolder, lockDataFolder } from './engine/data-folder'
import { createLogger } from './engine/log'

const USAGE = `Usage: npm run headless -- [options]

  --parent URL          provider (ILSP) to connect to: btp+ws://user:secret@host:port[/path]
                        (btp+wss:// for TLS). Without it Junction runs in local mode.
  --data DIR            data folder (default: ${defaultDataFolder()})
  --port N              app port on 127.0.0.1 and ::1 (default ${DEFAULT_PORT})
  --address A           own ILP address in local mode (default private.junction)
  --asset CODE:SCALE    asset in local mode (default XRP:9)
  --spread S            spread taken on every forwarded packet, e.g. 0.005 (default 0)
  --allow-origin O      let browser pages from origin O (e.g. https://example.com) connect; repeatable
  --app NAME:TOKEN      register an app: its name is then reserved for that token; repeatable
  -h, --help            this help
`

export interface HeadlessArgs {
  parent?: string
  data: string
  port: number
  address?: string
  asset?: { code: string; scale: number }
  spread?: string
  allowOrigins: string[]
  apps: Array<{ name: string; token: string }>
}

/** Parses the command line; throws an Error whose message says which flag is wrong and how. */
export function parseHeadlessArgs(argv: string[]): HeadlessArgs | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      parent: { type: 'string' },
      data: { type: 'string' },
      port: { type: 'string' },
      address: { type: 'string' },
      asset: { type: 'string' },
      spread: { type: 'string' },
      'allow-origin': { type: 'string', multiple: true },
      app: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) return 'help'
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port ${values.port}: expected a port number 0–65535`)
  let asset: HeadlessArgs['asset']
  if (values.asset !== undefined) {
    const m = /^([^:]+):(\d{1,3})$/.exec(values.asset)
    if (!m || Number(m[2]) > 255) throw new Error(`--asset ${values.asset}: expected CODE:SCALE, e.g. USD:9`)
    asset = { code: m[1], scale: Number(m[2]) }
  }
  const apps = (values.app ?? []).map((a) => {
    const i = a.indexOf(':')
    if (i <= 0 || i === a.length - 1) throw new Error(`--app ${a}: expected NAME:TOKEN`)
    return { name: a.slice(0, i), token: a.slice(i + 1) }
  })
  return {
    parent: values.parent,
    data: resolve(values.data ?? defaultDataFolder()),
    port,
    address: values.address,
    asset,
    spread: values.spread,
    allowOrigins: values['allow-origin'] ?? [],
    apps,
  }
}

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
  if (args.parent !== undefined && (args.address !== undefined || args.asset !== undefined)) {
    log.warn('--address and --asset apply to local mode only; the provider assigns both')
  }

  const lock = lockDataFolder(args.data)
  const connector = createConnector({
    port: args.port,
    parent: args.parent,
    ...(args.address !== undefined ? { address: args.address } : {}),
    ...(args.asset ? { assetCode: args.asset.code, assetScale: args.asset.scale } : {}),
    ...(args.spread !== undefined ? { spread: args.spread } : {}),
    allowOrigins: args.allowOrigins,
    apps: args.apps,
  })

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
    connector
      .stop()
      .catch((err: Error) => log.error(`error while stopping: ${err.message}`))
      .finally(() => {
        lock.release()
        process.exit(0)
      })
  }
  process.on('SIGINT', () => shutdown('SIGINT'))
  process.on('SIGTERM', () => shutdown('SIGTERM'))

  try {
    await connector.start()
  } catch (err) {
    lock.release()
    throw err
  }
  log.info(`data folder ${args.data}; apps listen on ${connector.listeningHosts.map((h) => (h.includes(':') ? `[${h}]` : h)).join(', ')} port ${connector.port}`)
  process.stdout.write(`junction ready address=${connector.own.address ?? 'pending'} apps=btp+ws://localhost:${connector.port}\n`)
  ready = true
  if (connector.own.address) process.stdout.write(`junction address ${connector.own.address}\n`)
}

main().catch((err: Error) => {
  process.stderr.write(`junction: ${err.message}\n`)
  process.exit(1)
})
