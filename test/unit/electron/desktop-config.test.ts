// The desktop app's config.json: read in the headless format, and its provider URL (which carries the account's
// secret) moved out of the file into the secret store — encrypted with (a fake) safeStorage — as the staged provider
// URL that startNode then stores as a provider (test/unit/engine/store/providers-secrets.test.ts follows it there).
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createFileSecretStore, type SafeStorageLike } from '../../../app/main/engine/secrets/file-secret-store'
import { STAGED_PROVIDER_SECRET } from '../../../app/main/engine/secrets/staged-provider'
import { readDesktopConfig, stageProviderUrl } from '../../../app/main/electron/desktop-config'
import { memoryLog } from './fakes'

const URL_WITH_SECRET = 'btp+wss://me:s3cret-token@ilsp.example/btp'

/** Reversible and visibly not plain text. */
const fakeSafeStorage = {
  isEncryptionAvailable: () => true,
  encryptString: (text: string) => Buffer.from(`enc:${Buffer.from(text).toString('hex')}`),
  decryptString: (data: Buffer) => Buffer.from(data.toString().slice(4), 'hex').toString(),
} satisfies SafeStorageLike

const folder = () => mkdtempSync(join(tmpdir(), 'junction-desktop-config-'))

describe('desktop config file', () => {
  it('is optional: without one the data folder is <userData>/data and the engine gets defaults', () => {
    const dir = folder()
    const config = readDesktopConfig({ configFile: join(dir, 'config.json'), defaultDataFolder: join(dir, 'data'), log: memoryLog() })
    assert.deepEqual(config, { dataFolder: join(dir, 'data'), engine: {} })
  })

  it('reads the headless format, ignoring the headless-only UI port and token', () => {
    const dir = folder()
    const configFile = join(dir, 'config.json')
    writeFileSync(configFile, JSON.stringify({ port: 17768, 'new-apps': 'ask', data: 'elsewhere', 'ui-port': 9, 'allow-origin': 'https://a.example' }))
    const log = memoryLog()
    const config = readDesktopConfig({ configFile, defaultDataFolder: join(dir, 'data'), log })
    assert.equal(config.dataFolder, join(dir, 'elsewhere'))
    assert.equal(config.engine.port, 17768)
    assert.equal(config.engine.newApps, 'ask')
    assert.deepEqual(config.engine.allowOrigins, ['https://a.example'])
    assert.equal(config.parentInFile, undefined)
    assert.match(log.lines.find((l) => l.level === 'warn')!.msg, /"ui-port" in .*ignored by the desktop app/)
  })

  it('names the bad key', () => {
    const dir = folder()
    const configFile = join(dir, 'config.json')
    writeFileSync(configFile, JSON.stringify({ port: 'seven' }))
    assert.throws(() => readDesktopConfig({ configFile, defaultDataFolder: dir, log: memoryLog() }), /"port" in .*config\.json \("seven"\): expected a port number/)
  })
})

describe('the provider URL in config.json', () => {
  it('moves into the encrypted secret store as the staged provider URL; the file keeps the rest, and the engine settings never see it', () => {
    const dir = folder()
    const configFile = join(dir, 'config.json')
    writeFileSync(configFile, JSON.stringify({ parent: URL_WITH_SECRET, port: 17768 }, null, 2))
    const secrets = createFileSecretStore({ folder: join(dir, 'data'), safeStorage: fakeSafeStorage, log: memoryLog() })
    const log = memoryLog()
    const first = readDesktopConfig({ configFile, defaultDataFolder: join(dir, 'data'), log })
    assert.equal(first.parentInFile, URL_WITH_SECRET)
    assert.equal(first.engine.parent, undefined, 'startNode takes it from the secret store, not from the settings')
    stageProviderUrl(first, { configFile, secrets, log })
    assert.deepEqual(JSON.parse(readFileSync(configFile, 'utf8')), { port: 17768 }, 'the secret left the file; the rest stays')
    assert.ok(!existsSync(`${configFile}.tmp`))
    assert.match(log.lines.at(-1)!.msg, /moved the provider URL .* \(encrypted by the OS keychain\)/)
    assert.equal(secrets.get(STAGED_PROVIDER_SECRET), URL_WITH_SECRET)
    for (const f of readdirSync(join(dir, 'data', 'secrets'))) assert.ok(!readFileSync(join(dir, 'data', 'secrets', f), 'utf8').includes('s3cret'))

    const second = readDesktopConfig({ configFile, defaultDataFolder: join(dir, 'data'), log })
    assert.equal(second.parentInFile, undefined)
    stageProviderUrl(second, { configFile, secrets, log })
    assert.equal(secrets.get(STAGED_PROVIDER_SECRET), URL_WITH_SECRET, 'nothing in the file: the staged one stays')
  })

  it('is refused when bad, leaving the file and the staged one as they were', () => {
    const dir = folder()
    const configFile = join(dir, 'config.json')
    writeFileSync(configFile, JSON.stringify({ parent: 'ftp://ilsp.example' }))
    const secrets = createFileSecretStore({ folder: dir, safeStorage: fakeSafeStorage, log: memoryLog() })
    secrets.set(STAGED_PROVIDER_SECRET, URL_WITH_SECRET)
    const config = readDesktopConfig({ configFile, defaultDataFolder: dir, log: memoryLog() })
    assert.throws(() => stageProviderUrl(config, { configFile, secrets, log: memoryLog() }), /^Error: "parent" in .*config\.json: invalid provider URL: the scheme must be btp\+ws: or btp\+wss:/)
    assert.equal(secrets.get(STAGED_PROVIDER_SECRET), URL_WITH_SECRET)
    assert.equal(JSON.parse(readFileSync(configFile, 'utf8')).parent, 'ftp://ilsp.example', 'the file is left for the user to fix')
  })
})
