// The headless runner's settings: command-line flags, JUNCTION_* environment variables and a config file (for a
// service), their checks and the usage text. Flags override the environment, which overrides the file; every error
// names the flag, variable or file key that is wrong. The desktop app reads the same file format (config-file keys
// are the flags' names), so one description in the README covers both.
import { readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { type AppBudget, NEW_APP_POLICIES, type NewAppPolicy, parseBudget } from './engine/accounts/app-policy'
import { DEFAULT_PORT, type EngineConfig } from './engine/config'
import { defaultDataFolder } from './engine/data-folder'
import { parsePeerFlag, type PeerConfig } from './engine/peers/peer-config'
import { checkRateTable, type RatePair } from './engine/rates/rate-table'
import { DEFAULT_UI_PORT, uiTokenProblem } from './api-server'

export const USAGE = `Usage: npm run headless -- [options]

  --config FILE         read settings from FILE (JSON; keys are these flags' names, e.g. {"port": 7768,
                        "new-apps": "ask", "allow-origin": ["https://example.com"]}); also JUNCTION_CONFIG
  --parent URL          provider (ILSP) to connect to: btp+ws://user:secret@host:port[/path]
                        (btp+wss:// for TLS), or ILP-over-HTTP https://name:token@host/path (send-only
                        until a receive bind is set on the Providers page). Without it: local mode.
  --peer ID=URL         link to another connector as a peer (its own account peer:ID; routes by
                        CCP): ID=btp+ws://user:secret@host:port, or ID=https://name:token@host/path
                        (ILP-over-HTTP); repeatable
  --data DIR            data folder (default: ${defaultDataFolder()})
  --port N              app port on 127.0.0.1 and ::1 (default ${DEFAULT_PORT})
  --address A           own ILP address in local mode (default private.junction)
  --asset CODE:SCALE    asset in local mode (default XRP:9)
  --spread S            spread taken on every forwarded packet, e.g. 0.005 (default 0)
  --rate FROM/TO=R      rate between assets: 1 whole FROM = R whole TO, e.g. XRP/USD=0.52; repeatable.
                        Spread and rates are defaults: those saved on the Settings page win
  --allow-origin O      let browser pages from origin O (e.g. https://example.com) connect; repeatable
  --app NAME:TOKEN      register an app: its name is then reserved for that token; repeatable
  --new-apps POLICY     what happens when an app Junction does not know connects: allow (default),
                        ask (held until approved; its packets are refused meanwhile) or deny
  --default-budget B    spending budget given to new apps, in base units per calendar day, week or
                        month (local time), e.g. 1000000/day (default: none)
  --ui-port N           port of the UI and its WebSocket API, on 127.0.0.1 only (default ${DEFAULT_UI_PORT})
  --ui-token T          access token for the UI (at least 16 of A-Z a-z 0-9 - _); default: a fresh
                        random one each start, printed on the ready line

Every setting above can also come from an environment variable named after the flag: JUNCTION_PARENT,
JUNCTION_DATA, JUNCTION_PORT, JUNCTION_UI_PORT, JUNCTION_NEW_APPS, ... (repeatable ones as a list separated
by commas or spaces: JUNCTION_ALLOW_ORIGIN, JUNCTION_APP). Flags override variables, variables override the file.

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
  /** Rates between assets (--rate FROM/TO=R); the ones saved from the UI win. */
  rates: RatePair[]
  allowOrigins: string[]
  apps: Array<{ name: string; token: string }>
  peers: PeerConfig[]
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

/** The settings a config file, the environment and the flags share, by flag name. */
const SETTINGS = {
  parent: 'one',
  data: 'one',
  port: 'one',
  address: 'one',
  asset: 'one',
  spread: 'one',
  rate: 'many',
  'allow-origin': 'many',
  app: 'many',
  peer: 'many',
  'new-apps': 'one',
  'default-budget': 'one',
  'ui-port': 'one',
  'ui-token': 'one',
} as const satisfies Record<string, 'one' | 'many'>

export type SettingName = keyof typeof SETTINGS

/** One setting's value and where it came from (for error messages and for resolving relative paths). */
interface Given<T> {
  value: T
  /** `--port`, `JUNCTION_PORT` or `"port" in /etc/junction.json`. */
  where: string
  /** For paths: what a relative one is relative to (the file's folder for a config file, else the cwd). */
  base: string
}

/** What one source (the file, the environment or the flags) says, by setting. */
export type SettingValues = { [K in SettingName]?: Given<(typeof SETTINGS)[K] extends 'many' ? string[] : string> }

export interface ArgsSources {
  /** The environment (default process.env). */
  env?: NodeJS.ProcessEnv
  /** Reads the config file (tests pass their own). */
  readFile?: (file: string) => string
}

export function envName(setting: SettingName): string {
  return `JUNCTION_${setting.toUpperCase().replace(/-/g, '_')}`
}

/** The JUNCTION_* variables that are set (empty ones count as unset, as in a systemd `Environment=X=`). */
export function settingsFromEnv(env: NodeJS.ProcessEnv): SettingValues {
  const out: Record<string, Given<string | string[]>> = {}
  for (const [name, kind] of Object.entries(SETTINGS)) {
    const raw = env[envName(name as SettingName)]
    if (raw === undefined || raw.trim() === '') continue
    const value = kind === 'many' ? raw.split(/[\s,]+/).filter((s) => s !== '') : raw.trim()
    out[name] = { value, where: envName(name as SettingName), base: process.cwd() }
  }
  return out as SettingValues
}

/**
 * Reads a config file: a JSON object whose keys are the flags' names. A value is a string (a number for ports),
 * or a list of strings for the repeatable flags (a single string is a list of one). Throws naming the file and key.
 */
export function settingsFromFile(file: string, readFile: (file: string) => string = (f) => readFileSync(f, 'utf8')): SettingValues {
  const path = resolve(file)
  let text: string
  try {
    text = readFile(path)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    const why = code === 'ENOENT' ? 'it does not exist' : code === 'EACCES' ? 'permission denied' : (err as Error).message
    throw new Error(`cannot read the config file ${path}: ${why}`)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    throw new Error(`the config file ${path} is not valid JSON: ${(err as Error).message}`)
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new Error(`the config file ${path} must hold a JSON object, e.g. {"port": 7768}`)
  }
  const out: Record<string, Given<string | string[]>> = {}
  for (const [key, value] of Object.entries(json)) {
    const where = `"${key}" in ${path}`
    if (!Object.hasOwn(SETTINGS, key)) {
      const hint = key in MAINTENANCE_HINT ? MAINTENANCE_HINT[key] : `known keys: ${Object.keys(SETTINGS).join(', ')}`
      throw new Error(`unknown key ${where} (${hint})`)
    }
    if (value === null) continue
    const kind = SETTINGS[key as SettingName]
    let v: string | string[]
    if (kind === 'many') {
      const list = Array.isArray(value) ? value : [value]
      if (!list.every((x) => typeof x === 'string')) throw new Error(`${where}: expected a list of strings`)
      v = list as string[]
    } else if (typeof value === 'string') {
      v = value
    } else if (typeof value === 'number' && Number.isInteger(value) && (key === 'port' || key === 'ui-port')) {
      v = String(value)
    } else {
      throw new Error(`${where}: expected a string${key === 'port' || key === 'ui-port' ? ' or a whole number' : ''}`)
    }
    out[key] = { value: v, where, base: dirname(path) }
  }
  return out as SettingValues
}

const MAINTENANCE_HINT: Record<string, string> = {
  config: 'a config file cannot name another one',
  backup: 'maintenance jobs are flags only: --backup FILE',
  restore: 'maintenance jobs are flags only: --restore FILE',
  'export-csv': 'maintenance jobs are flags only: --export-csv FILE',
  help: 'use the flag --help',
}

/** Parses the flags (and the config file and environment they may point to); throws an Error naming what is wrong. */
export function parseHeadlessArgs(argv: string[], sources: ArgsSources = {}): HeadlessArgs | 'help' {
  const env = sources.env ?? process.env
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      config: { type: 'string' },
      parent: { type: 'string' },
      data: { type: 'string' },
      port: { type: 'string' },
      address: { type: 'string' },
      asset: { type: 'string' },
      spread: { type: 'string' },
      rate: { type: 'string', multiple: true },
      'allow-origin': { type: 'string', multiple: true },
      app: { type: 'string', multiple: true },
      peer: { type: 'string', multiple: true },
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

  const flags: Record<string, Given<string | string[]>> = {}
  for (const name of Object.keys(SETTINGS)) {
    const v = values[name as SettingName]
    if (v !== undefined) flags[name] = { value: v, where: `--${name}`, base: process.cwd() }
  }
  const configFile = values.config ?? (env.JUNCTION_CONFIG?.trim() || undefined)
  if (values.config === '') throw new Error('--config: expected a file name')
  const file = configFile !== undefined ? settingsFromFile(configFile, sources.readFile) : {}
  // Later sources win, whole setting by whole setting: --allow-origin on the command line replaces the file's list.
  const merged: SettingValues = { ...file, ...settingsFromEnv(env), ...(flags as SettingValues) }
  const args = interpretSettings(merged)

  const jobs = (['backup', 'restore', 'export-csv'] as const).filter((j) => values[j] !== undefined)
  if (jobs.length > 1) throw new Error(`--${jobs[0]} and --${jobs[1]}: give one maintenance job at a time`)
  for (const j of jobs) if (values[j] === '') throw new Error(`--${j}: expected a file name`)
  if (jobs.length === 1) args.maintenance = { job: jobs[0], file: resolve(values[jobs[0]]!) }
  return args
}

/** Checks the merged settings and turns them into HeadlessArgs (the desktop app uses this for its config file too). */
export function interpretSettings(s: SettingValues): HeadlessArgs {
  const port = portSetting(s.port, DEFAULT_PORT)
  const uiPort = portSetting(s['ui-port'], DEFAULT_UI_PORT)
  const uiToken = s['ui-token']
  if (uiToken !== undefined) {
    const problem = uiTokenProblem(uiToken.value)
    if (problem) throw new Error(`${uiToken.where}: ${problem}`)
  }
  let asset: HeadlessArgs['asset']
  if (s.asset !== undefined) {
    const m = /^([^:]+):(\d{1,3})$/.exec(s.asset.value)
    if (!m || Number(m[2]) > 255) throw bad(s.asset, 'expected CODE:SCALE, e.g. USD:9')
    asset = { code: m[1], scale: Number(m[2]) }
  }
  const apps = (s.app?.value ?? []).map((a) => {
    const i = a.indexOf(':')
    if (i <= 0 || i === a.length - 1) throw bad({ ...s.app!, value: a }, 'expected NAME:TOKEN')
    return { name: a.slice(0, i), token: a.slice(i + 1) }
  })
  const peers = (s.peer?.value ?? []).map((p) => {
    try {
      return parsePeerFlag(p)
    } catch (err) {
      throw bad({ ...s.peer!, value: p }, (err as Error).message)
    }
  })
  if (new Set(peers.map((p) => p.id)).size < peers.length) throw bad({ ...s.peer!, value: s.peer!.value.join(' ') }, 'a peer ID is given twice')
  const rates = (s.rate?.value ?? []).map((r) => {
    const m = /^([^/=]+)\/([^/=]+)=(.+)$/.exec(r.trim())
    if (!m) throw bad({ ...s.rate!, value: r }, 'expected FROM/TO=RATE, e.g. XRP/USD=0.52 (1 whole FROM = RATE whole TO)')
    return { from: m[1], to: m[2], rate: m[3] }
  })
  try {
    checkRateTable({ spread: '0', pairs: rates })
  } catch (err) {
    throw bad({ ...s.rate!, value: s.rate!.value.join(' ') }, (err as Error).message)
  }
  const newApps = s['new-apps']
  if (newApps !== undefined && !(NEW_APP_POLICIES as readonly string[]).includes(newApps.value)) {
    throw bad(newApps, 'expected allow, ask or deny')
  }
  let defaultBudget: AppBudget | undefined
  const budget = s['default-budget']
  if (budget !== undefined) {
    try {
      defaultBudget = parseBudget(budget.value)
    } catch (err) {
      throw bad(budget, (err as Error).message)
    }
  }
  const data = s.data
  if (data !== undefined && data.value === '') throw new Error(`${data.where}: expected a folder name`)
  return {
    parent: s.parent?.value,
    data: data !== undefined ? resolve(data.base, expandHome(data.value)) : resolve(defaultDataFolder()),
    port,
    address: s.address?.value,
    asset,
    spread: s.spread?.value,
    rates,
    allowOrigins: s['allow-origin']?.value ?? [],
    apps,
    peers,
    newApps: newApps?.value as NewAppPolicy | undefined,
    defaultBudget,
    uiPort,
    uiToken: uiToken?.value,
  }
}

/** The engine's config from the settings (what headless mode and the desktop app pass to startNode). */
export function engineConfig(args: HeadlessArgs): Partial<EngineConfig> {
  return {
    port: args.port,
    parent: args.parent,
    ...(args.address !== undefined ? { address: args.address } : {}),
    ...(args.asset ? { assetCode: args.asset.code, assetScale: args.asset.scale } : {}),
    ...(args.spread !== undefined ? { spread: args.spread } : {}),
    ...(args.rates.length > 0 ? { rates: args.rates } : {}),
    allowOrigins: args.allowOrigins,
    apps: args.apps,
    ...(args.peers.length > 0 ? { peers: args.peers } : {}),
    newApps: args.newApps,
    defaultBudget: args.defaultBudget,
  }
}

/** `--port abc: …`, `JUNCTION_PORT=abc: …` or `"port" in /etc/junction.json (abc): …`. */
function bad(given: Given<string>, why: string): Error {
  if (given.where.startsWith('--')) return new Error(`${given.where} ${given.value}: ${why}`)
  if (given.where.startsWith('JUNCTION_')) return new Error(`${given.where}=${given.value}: ${why}`)
  return new Error(`${given.where} (${JSON.stringify(given.value)}): ${why}`)
}

function portSetting(given: Given<string> | undefined, fallback: number): number {
  if (given === undefined) return fallback
  // Digits only: Number('') is 0 (a random port), and Number() also takes ' 1', '0x50' and '1e3'.
  const port = /^\d{1,5}$/.test(given.value) ? Number(given.value) : Number.NaN
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw bad(given, 'expected a port number 0–65535')
  return port
}

/** `~/junction` in a config file or variable: the shell that would expand it is not there under systemd. */
function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') ? homedir() + path.slice(1) : path
}
