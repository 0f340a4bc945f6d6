// The headless runner's command line: flags, their checks and the usage text.
import { parseArgs } from 'node:util'
import { resolve } from 'node:path'
import { DEFAULT_PORT } from './engine/config'
import { defaultDataFolder } from './engine/data-folder'

export const USAGE = `Usage: npm run headless -- [options]

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
  // Digits only: Number('') is 0 (a random port), and Number() also takes ' 1', '0x50' and '1e3'.
  const port = values.port === undefined ? DEFAULT_PORT : /^\d{1,5}$/.test(values.port) ? Number(values.port) : Number.NaN
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
