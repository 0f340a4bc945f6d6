// The desktop app's settings file: <userData>/config.json, the same format as headless mode's --config file (keys
// are the headless flags' names), read once at start. The provider URL carries the provider account's secret, so it
// does not stay there: the first start that finds `parent` in the file moves it into the secret store (encrypted with
// the OS keychain where there is one) and rewrites the file without it. Later starts read it from the store.
import { readFileSync, renameSync, writeFileSync } from 'node:fs'
import { engineConfig, interpretSettings, settingsFromFile } from '../headless-args'
import { parseBtpUrl } from '../engine/btp/btp-url'
import type { EngineConfig } from '../engine/config'
import type { Logger } from '../engine/log'
import type { SecretStore } from './secret-store'

export const PROVIDER_SECRET = 'provider-url'

export interface DesktopConfig {
  dataFolder: string
  /** The engine settings from the file, without the provider (see providerUrl). */
  engine: Partial<EngineConfig>
  /** `parent` as found in the file this time (to be moved into the secret store), else undefined. */
  parentInFile?: string
}

interface FileIo {
  exists(file: string): boolean
  readFile(file: string): string
  /** Replaces the file's content at once (a crash leaves the old or the new one, never half). */
  replaceFile(file: string, text: string): void
}

const realIo: FileIo = {
  exists: (file) => {
    try {
      readFileSync(file)
      return true
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false
      throw err
    }
  },
  readFile: (file) => readFileSync(file, 'utf8'),
  replaceFile: (file, text) => {
    writeFileSync(`${file}.tmp`, text, { mode: 0o600 })
    renameSync(`${file}.tmp`, file)
  },
}

/** Reads config.json (if there is one); throws an Error naming the file and the bad key. */
export function readDesktopConfig(opts: { configFile: string; defaultDataFolder: string; log: Logger; io?: FileIo }): DesktopConfig {
  const io = opts.io ?? realIo
  if (!io.exists(opts.configFile)) return { dataFolder: opts.defaultDataFolder, engine: {} }
  const settings = settingsFromFile(opts.configFile, io.readFile)
  for (const key of ['ui-port', 'ui-token'] as const) {
    if (settings[key]) opts.log.warn(`${settings[key].where}: ignored by the desktop app, which serves its UI in its own window`)
    delete settings[key]
  }
  const args = interpretSettings(settings)
  return {
    dataFolder: settings.data ? args.data : opts.defaultDataFolder,
    engine: engineConfig(args),
    parentInFile: args.parent,
  }
}

/**
 * The provider URL to use: the file's (then moved into the store, and taken out of the file), or the stored one, or
 * none (local mode).
 */
export function providerUrl(config: DesktopConfig, opts: { configFile: string; secrets: SecretStore; log: Logger; io?: FileIo }): string | undefined {
  const io = opts.io ?? realIo
  if (config.parentInFile === undefined) return opts.secrets.get(PROVIDER_SECRET) ?? undefined
  // Checked before it replaces a stored one: a typo must not cost the working URL.
  try {
    parseBtpUrl(config.parentInFile)
  } catch (err) {
    throw new Error(`"parent" in ${opts.configFile}: ${(err as Error).message}`)
  }
  const { encrypted } = opts.secrets.set(PROVIDER_SECRET, config.parentInFile)
  const json = JSON.parse(io.readFile(opts.configFile)) as Record<string, unknown>
  delete json.parent
  io.replaceFile(opts.configFile, JSON.stringify(json, null, 2) + '\n')
  opts.log.info(`moved the provider URL from ${opts.configFile} into the data folder's secret store${encrypted ? ' (encrypted by the OS keychain)' : ''}`)
  return config.parentInFile
}
