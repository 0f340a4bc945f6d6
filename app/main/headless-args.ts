// The headless runner's command line: flags, their checks and the usage text.
import { parseArgs } from 'node:util'
import { resolve } from 'node:path'
import { type AppBudget, NEW_APP_POLICIES, type NewAppPolicy, parseBudget } from './engine/accounts/app-policy'
import { DEFAULT_PORT } from './engine/config'
import { defaultDataFolder } from './engine/data-folder'
import { DEFAULT_UI_PORT, uiTokenProblem } from './api-server'

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
  --new-apps POLICY     what happens when an app Junction does not know connects: allow (default),
                        ask (held until approved; its packets are refused meanwhile) or deny
  --default-budget B    spending budget given to new apps, in base units per calendar day, week or
                        month (local time), e.g. 1000000/day (default: none)
  --ui-port N           port of the UI and its WebSocket API, on 127.0.0.1 only (default ${DEFAULT_UI_PORT})
  --ui-token T          access token for the UI (at least 16 of A-Z a-z 0-9 - _); default: a fresh
                        random one each start, printed on the ready line

Maintenance (each does its job on the data folder and exits):
  --backup FILE         copy the database to FILE (works while another Junction runs)
  --restore FILE        replace the database with the backup FILE (Junction must be stopped);
                        the replaced database is kept beside it
  --export-csv FILE     write the whole per-app ledger to FILE as CSV
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
  /** Undefined: the policy saved from the UI applies (default allow). */
  newApps?: NewAppPolicy
  /** Undefined: the default budget saved from the UI applies (default none). */
  defaultBudget?: AppBudget
  uiPort: number
  /** Undefined: a fresh random token each start. */
  uiToken?: string
  /** A maintenance job instead of running the node. */
  maintenance?: { job: 'backup' | 'restore' | 'export-csv'; file: string }
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
      'new-apps': { type: 'string' },
      'default-budget': { type: 'string' },
      'ui-port': { type: 'string' },
      'ui-token': { type: 'string' },
      backup: { type: 'string' },
      restore: { type: 'string' },
      'export-csv': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) return 'help'
  const port = portFlag('port', values.port, DEFAULT_PORT)
  const uiPort = portFlag('ui-port', values['ui-port'], DEFAULT_UI_PORT)
  const uiToken = values['ui-token']
  if (uiToken !== undefined) {
    const problem = uiTokenProblem(uiToken)
    if (problem) throw new Error(`--ui-token: ${problem}`)
  }
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
  const newApps = values['new-apps']
  if (newApps !== undefined && !(NEW_APP_POLICIES as readonly string[]).includes(newApps)) {
    throw new Error(`--new-apps ${newApps}: expected allow, ask or deny`)
  }
  let defaultBudget: AppBudget | undefined
  if (values['default-budget'] !== undefined) {
    try {
      defaultBudget = parseBudget(values['default-budget'])
    } catch (err) {
      throw new Error(`--default-budget ${values['default-budget']}: ${(err as Error).message}`)
    }
  }
  const jobs = (['backup', 'restore', 'export-csv'] as const).filter((j) => values[j] !== undefined)
  if (jobs.length > 1) throw new Error(`--${jobs[0]} and --${jobs[1]}: give one maintenance job at a time`)
  for (const j of jobs) if (values[j] === '') throw new Error(`--${j}: expected a file name`)
  const maintenance = jobs.length === 1 ? { job: jobs[0], file: resolve(values[jobs[0]]!) } : undefined
  return {
    maintenance,
    parent: values.parent,
    data: resolve(values.data ?? defaultDataFolder()),
    port,
    address: values.address,
    asset,
    spread: values.spread,
    allowOrigins: values['allow-origin'] ?? [],
    apps,
    newApps: newApps as NewAppPolicy | undefined,
    defaultBudget,
    uiPort,
    uiToken,
  }
}

function portFlag(flag: string, value: string | undefined, fallback: number): number {
  // Digits only: Number('') is 0 (a random port), and Number() also takes ' 1', '0x50' and '1e3'.
  const port = value === undefined ? fallback : /^\d{1,5}$/.test(value) ? Number(value) : Number.NaN
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--${flag} ${value}: expected a port number 0–65535`)
  return port
}
