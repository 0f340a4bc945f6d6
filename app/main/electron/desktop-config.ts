// The desktop app's settings file: <userData>/config.json, the same format as headless mode's --config file (keys
// are the headless flags' names), read once at start. The provider URL carries the provider account's secret, so it
// does not stay there: the start that finds `parent` in the file moves it into the secret store (encrypted with the
// OS keychain where there is one) as the staged provider URL and rewrites the file without it; startNode then makes
// it a stored provider, like headless mode's --parent (engine/secrets/staged-provider.ts).
import { readFileSync, renameSync, writeFileSync } from 'node:fs'
import { engineConfig, interpretSettings, settingsFromFile } from '../headless-args'
import { parseLinkUrl } from '../engine/links/link-url'
import type { EngineConfig } from '../engine/config'
import type { Logger } from '../engine/log'
import type { SecretStore } from '../engine/secrets/secrets'
import { STAGED_PROVIDER_SECRET } from '../engine/secrets/staged-provider'

export interface DesktopConfig {
  dataFolder: string
  /** The engine settings from the file, without the provider (see stageProviderUrl). */
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
  const { parent: _staged, ...engine } = engineConfig(args)
  return {
    dataFolder: settings.data ? args.data : opts.defaultDataFolder,
    engine,
    parentInFile: args.parent,
  }
}

/**
 * Moves `parent` from the file (if there) into the secret store as the staged provider URL, then takes it out of the
 * file; startNode makes it a stored provider. Throws, changing nothing, if the URL is not valid.
 */
export function stageProviderUrl(config: DesktopConfig, opts: { configFile: string; secrets: SecretStore; log: Logger; io?: FileIo }): void {
  const io = opts.io ?? realIo
  if (config.parentInFile === undefined) return
  // Checked before it is stored: a typo must not end up as a provider.
  try {
    parseLinkUrl(config.parentInFile)
  } catch (err) {
    throw new Error(`"parent" in ${opts.configFile}: ${(err as Error).message}`)
  }
  // The secret store first: the file loses the URL only once it is safe elsewhere.
  const { encrypted } = opts.secrets.set(STAGED_PROVIDER_SECRET, config.parentInFile)
  const json = JSON.parse(io.readFile(opts.configFile)) as Record<string, unknown>
  delete json.parent
  io.replaceFile(opts.configFile, JSON.stringify(json, null, 2) + '\n')
  opts.log.info(`moved the provider URL from ${opts.configFile} into the data folder's secret store${encrypted ? ' (encrypted by the OS keychain)' : ''}`)
}
