// Provider secrets: encrypted with (a fake) safeStorage where the OS offers it, kept as-is with a warning where not,
// moved out of the desktop config file into the store on first start.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createSecretStore, type SafeStorageLike } from '../../../app/main/electron/secret-store'
import { PROVIDER_SECRET, providerUrl, readDesktopConfig } from '../../../app/main/electron/desktop-config'
import { memoryLog } from './fakes'

const URL_WITH_SECRET = 'btp+wss://me:s3cret-token@ilsp.example/btp'

/** Reversible and visibly not plain text; `available` switches the "keychain" on and off. */
function fakeSafeStorage(opts: { available: boolean; backend?: 'basic_text' | 'gnome_libsecret' }) {
  const s = {
    available: opts.available,
    isEncryptionAvailable: () => s.available,
    encryptString: (text: string) => Buffer.from(`enc:${Buffer.from(text).toString('hex')}`),
    decryptString: (data: Buffer) => {
      const t = data.toString()
      if (!t.startsWith('enc:')) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.')
      return Buffer.from(t.slice(4), 'hex').toString()
    },
    getSelectedStorageBackend: () => opts.backend ?? 'gnome_libsecret',
  }
  return s satisfies SafeStorageLike
}

const folder = () => mkdtempSync(join(tmpdir(), 'junction-secrets-'))

describe('secret store', () => {
  it('encrypts with safeStorage when the OS offers it; the file holds no plain secret and only the user can read it', () => {
    const dir = folder()
    const log = memoryLog()
    const store = createSecretStore({ folder: dir, safeStorage: fakeSafeStorage({ available: true }), log, platform: 'linux' })
    assert.equal(store.warning, null)
    assert.deepEqual(store.set('provider-url', URL_WITH_SECRET), { encrypted: true })
    const file = join(dir, 'secrets', 'provider-url.json')
    const text = readFileSync(file, 'utf8')
    assert.ok(!text.includes('s3cret-token'), text)
    assert.equal(JSON.parse(text).encrypted, true)
    if (process.platform !== 'win32') assert.equal(statSync(file).mode & 0o777, 0o600)
    assert.equal(store.get('provider-url'), URL_WITH_SECRET)
    assert.deepEqual(log.lines, [])
    store.delete('provider-url')
    assert.equal(store.get('provider-url'), null)
  })

  it('keeps the secret as-is without a keychain, and warns once', () => {
    const dir = folder()
    const log = memoryLog()
    const store = createSecretStore({ folder: dir, safeStorage: fakeSafeStorage({ available: false }), log })
    assert.match(store.warning!, /no keychain .* stored unencrypted/)
    assert.deepEqual(store.set('provider-url', URL_WITH_SECRET), { encrypted: false })
    assert.equal(store.get('provider-url'), URL_WITH_SECRET)
    assert.equal(store.get('provider-url'), URL_WITH_SECRET)
    assert.equal(log.lines.filter((l) => l.level === 'warn').length, 1)
    assert.match(log.lines[0].msg, /^provider secrets: /)
  })

  it('warns that Linux’s basic_text backend is no real protection', () => {
    const store = createSecretStore({ folder: folder(), safeStorage: fakeSafeStorage({ available: true, backend: 'basic_text' }), log: memoryLog(), platform: 'linux' })
    assert.match(store.warning!, /no keyring .* fixed key/)
  })

  it('encrypts a plain secret once a keychain is there', () => {
    const dir = folder()
    const safe = fakeSafeStorage({ available: false })
    createSecretStore({ folder: dir, safeStorage: safe, log: memoryLog() }).set('provider-url', URL_WITH_SECRET)
    safe.available = true
    assert.equal(createSecretStore({ folder: dir, safeStorage: safe, log: memoryLog() }).get('provider-url'), URL_WITH_SECRET)
    assert.ok(!readFileSync(join(dir, 'secrets', 'provider-url.json'), 'utf8').includes('s3cret'))
  })

  it('says what to do when an encrypted secret cannot be read', () => {
    const dir = folder()
    const safe = fakeSafeStorage({ available: true })
    createSecretStore({ folder: dir, safeStorage: safe, log: memoryLog() }).set('provider-url', URL_WITH_SECRET)
    safe.available = false
    assert.throws(() => createSecretStore({ folder: dir, safeStorage: safe, log: memoryLog() }).get('provider-url'), /encrypted, but the OS keychain is not available now/)
    safe.available = true
    writeFileSync(join(dir, 'secrets', 'provider-url.json'), JSON.stringify({ version: 1, encrypted: true, value: Buffer.from('garbage').toString('base64') }))
    assert.throws(() => createSecretStore({ folder: dir, safeStorage: safe, log: memoryLog() }).get('provider-url'), /cannot be decrypted .* Put the provider URL in config\.json again/)
  })

  it('refuses names that could leave its folder', () => {
    const store = createSecretStore({ folder: folder(), safeStorage: fakeSafeStorage({ available: true }), log: memoryLog() })
    assert.throws(() => store.set('../escape', 'x'), /invalid secret name/)
  })
})

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

  it('moves the provider URL from the file into the encrypted store, and reads it from there next time', () => {
    const dir = folder()
    const configFile = join(dir, 'config.json')
    writeFileSync(configFile, JSON.stringify({ parent: URL_WITH_SECRET, port: 17768 }, null, 2))
    const secrets = createSecretStore({ folder: join(dir, 'data'), safeStorage: fakeSafeStorage({ available: true }), log: memoryLog() })
    const log = memoryLog()
    const first = readDesktopConfig({ configFile, defaultDataFolder: join(dir, 'data'), log })
    assert.equal(first.parentInFile, URL_WITH_SECRET)
    assert.equal(providerUrl(first, { configFile, secrets, log }), URL_WITH_SECRET)
    assert.deepEqual(JSON.parse(readFileSync(configFile, 'utf8')), { port: 17768 }, 'the secret left the file; the rest stays')
    assert.ok(!existsSync(`${configFile}.tmp`))
    assert.match(log.lines.at(-1)!.msg, /moved the provider URL .* \(encrypted by the OS keychain\)/)

    const second = readDesktopConfig({ configFile, defaultDataFolder: join(dir, 'data'), log })
    assert.equal(second.parentInFile, undefined)
    assert.equal(providerUrl(second, { configFile, secrets, log }), URL_WITH_SECRET)
    assert.equal(secrets.get(PROVIDER_SECRET), URL_WITH_SECRET)
  })

  it('refuses a bad provider URL in the file without touching the stored one', () => {
    const dir = folder()
    const configFile = join(dir, 'config.json')
    writeFileSync(configFile, JSON.stringify({ parent: 'http://ilsp.example' }))
    const secrets = createSecretStore({ folder: dir, safeStorage: fakeSafeStorage({ available: true }), log: memoryLog() })
    secrets.set(PROVIDER_SECRET, URL_WITH_SECRET)
    const config = readDesktopConfig({ configFile, defaultDataFolder: dir, log: memoryLog() })
    assert.throws(() => providerUrl(config, { configFile, secrets, log: memoryLog() }), /^Error: "parent" in .*config\.json: invalid provider URL: the scheme must be btp\+ws: or btp\+wss:/)
    assert.equal(secrets.get(PROVIDER_SECRET), URL_WITH_SECRET)
    assert.equal(JSON.parse(readFileSync(configFile, 'utf8')).parent, 'http://ilsp.example', 'the file is left for the user to fix')
  })

  it('runs in local mode when neither the file nor the store has a provider', () => {
    const dir = folder()
    const secrets = createSecretStore({ folder: dir, safeStorage: fakeSafeStorage({ available: true }), log: memoryLog() })
    assert.equal(providerUrl({ dataFolder: dir, engine: {} }, { configFile: join(dir, 'config.json'), secrets, log: memoryLog() }), undefined)
  })
})
