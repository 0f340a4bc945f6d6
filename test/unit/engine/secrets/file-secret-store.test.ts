// The secret store in the data folder: encrypted with (a fake) safeStorage on the desktop, kept as-is in files only
// this user can read in headless mode (with a warning), names that cannot leave the folder or collide on a file
// system that ignores case, and the URL secret split the providers store relies on.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createFileSecretStore, type SafeStorageLike } from '../../../../app/main/engine/secrets/file-secret-store'
import { secretFileName } from '../../../../app/main/engine/secrets/secret-names'
import { MemorySecretStore } from '../../../../app/main/engine/secrets/secrets'
import { hasUrlSecret, withoutUrlSecret } from '../../../../app/main/engine/secrets/url-secret'
import type { Logger } from '../../../../app/main/engine/log'

const URL_WITH_SECRET = 'btp+wss://me:s3cret-token@ilsp.example/btp'
const posix = process.platform !== 'win32'

function memoryLog(): Logger & { lines: Array<{ level: string; msg: string }> } {
  const lines: Array<{ level: string; msg: string }> = []
  const at = (level: string) => (msg: string) => void lines.push({ level, msg })
  return { lines, error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') }
}

/** Reversible and visibly not plain text; `available` switches the "keychain" on and off. */
function fakeSafeStorage(opts: { available: boolean; backend?: string }) {
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

describe('file secret store with the OS keychain (desktop)', () => {
  it('encrypts: the file holds no plain secret, only the user can read it, and no warning is given', () => {
    const dir = folder()
    const log = memoryLog()
    const store = createFileSecretStore({ folder: dir, safeStorage: fakeSafeStorage({ available: true }), log, platform: 'linux' })
    assert.equal(store.warning, null)
    assert.match(store.description!, /^encrypted with the OS keychain/)
    assert.deepEqual(store.set('provider-0a1b2c', URL_WITH_SECRET), { encrypted: true })
    const file = join(dir, 'secrets', 'provider-0a1b2c.json')
    const text = readFileSync(file, 'utf8')
    assert.ok(!text.includes('s3cret-token'), text)
    assert.equal(JSON.parse(text).encrypted, true)
    if (posix) {
      assert.equal(statSync(file).mode & 0o777, 0o600)
      assert.equal(statSync(join(dir, 'secrets')).mode & 0o777, 0o700)
    }
    assert.equal(store.get('provider-0a1b2c'), URL_WITH_SECRET)
    assert.deepEqual(log.lines, [])
    store.delete('provider-0a1b2c')
    assert.equal(store.get('provider-0a1b2c'), null)
    assert.deepEqual(readdirSync(join(dir, 'secrets')), [], 'no temp file left behind')
  })

  it('warns where Electron has no keychain, and that Linux’s basic_text backend is no real protection', () => {
    const none = createFileSecretStore({ folder: folder(), safeStorage: fakeSafeStorage({ available: false }), log: memoryLog() })
    assert.match(none.warning!, /no keychain .* stored unencrypted/)
    const basic = createFileSecretStore({ folder: folder(), safeStorage: fakeSafeStorage({ available: true, backend: 'basic_text' }), log: memoryLog(), platform: 'linux' })
    assert.match(basic.warning!, /no keyring .* fixed key/)
  })

  it('encrypts a plain secret once a keychain is there', () => {
    const dir = folder()
    const safe = fakeSafeStorage({ available: false })
    createFileSecretStore({ folder: dir, safeStorage: safe, log: memoryLog() }).set('provider-url', URL_WITH_SECRET)
    assert.ok(readFileSync(join(dir, 'secrets', 'provider-url.json'), 'utf8').includes('s3cret'))
    safe.available = true
    assert.equal(createFileSecretStore({ folder: dir, safeStorage: safe, log: memoryLog() }).get('provider-url'), URL_WITH_SECRET)
    assert.ok(!readFileSync(join(dir, 'secrets', 'provider-url.json'), 'utf8').includes('s3cret'))
  })

  it('says what to do when an encrypted secret cannot be read', () => {
    const dir = folder()
    const safe = fakeSafeStorage({ available: true })
    createFileSecretStore({ folder: dir, safeStorage: safe, log: memoryLog() }).set('provider-a', URL_WITH_SECRET)
    safe.available = false
    assert.throws(() => createFileSecretStore({ folder: dir, safeStorage: safe, log: memoryLog() }).get('provider-a'), /encrypted, but the OS keychain is not available now/)
    assert.throws(() => createFileSecretStore({ folder: dir, log: memoryLog() }).get('provider-a'), /encrypted by the desktop app's OS keychain, which headless mode cannot use; enter the secret again/)
    safe.available = true
    writeFileSync(join(dir, 'secrets', 'provider-a.json'), JSON.stringify({ version: 1, encrypted: true, value: Buffer.from('garbage').toString('base64') }))
    assert.throws(() => createFileSecretStore({ folder: dir, safeStorage: safe, log: memoryLog() }).get('provider-a'), /cannot be decrypted .*key changed; enter the secret again/)
    writeFileSync(join(dir, 'secrets', 'provider-a.json'), '{not json')
    assert.throws(() => createFileSecretStore({ folder: dir, safeStorage: safe, log: memoryLog() }).get('provider-a'), /cannot read the stored secret .*provider-a\.json.*delete the file and enter the secret again/)
  })
})

describe('file secret store without a keychain (headless)', () => {
  it('writes the value itself in a 0600 file, and says so once in the log and in its description', () => {
    const dir = folder()
    const log = memoryLog()
    const store = createFileSecretStore({ folder: dir, log })
    assert.match(store.warning!, /headless mode has no OS keychain, so secrets .* unencrypted in .*secrets.* only your user account can read \(mode 0600\)/)
    assert.equal(store.description, store.warning)
    assert.ok(store.warning!.includes(join(dir, 'secrets')))
    assert.deepEqual(store.set('peer-alice', URL_WITH_SECRET), { encrypted: false })
    const file = join(dir, 'secrets', 'peer-alice.json')
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { version: 1, encrypted: false, value: URL_WITH_SECRET })
    if (posix) assert.equal(statSync(file).mode & 0o777, 0o600)
    assert.equal(store.get('peer-alice'), URL_WITH_SECRET)
    store.set('peer-bob', 'x')
    assert.equal(store.get('peer-bob'), 'x')
    const warnings = log.lines.filter((l) => l.level === 'warn')
    assert.equal(warnings.length, 1)
    assert.match(warnings[0].msg, /^secrets: headless mode has no OS keychain/)
    assert.ok(!warnings[0].msg.includes('s3cret'))
  })

  it('tightens a temp file a crash left with a wider mode', { skip: !posix }, () => {
    const dir = folder()
    const store = createFileSecretStore({ folder: dir, log: memoryLog() })
    store.set('provider-b', 'one')
    writeFileSync(join(dir, 'secrets', 'provider-b.json.tmp'), 'old', { mode: 0o644 })
    store.set('provider-b', 'two')
    assert.equal(statSync(join(dir, 'secrets', 'provider-b.json')).mode & 0o777, 0o600)
    assert.equal(store.get('provider-b'), 'two')
  })
})

describe('secret names', () => {
  const BAD = ['', '../escape', '..', 'a/b', 'a\\b', 'a.b', 'peer-ä', 'peer x', 'con', 'nul', 'x'.repeat(101), 'provider-\0']

  it('refuses names that could leave the folder or that Windows reserves, in the file store and the memory store', () => {
    const dir = folder()
    const store = createFileSecretStore({ folder: dir, log: memoryLog() })
    const memory = new MemorySecretStore()
    for (const name of BAD) {
      assert.throws(() => store.set(name, 'x'), /invalid secret name/, JSON.stringify(name))
      assert.throws(() => store.get(name), /invalid secret name/, JSON.stringify(name))
      assert.throws(() => store.delete(name), /invalid secret name/, JSON.stringify(name))
      assert.throws(() => memory.set(name, 'x'), /invalid secret name/, JSON.stringify(name))
    }
    assert.deepEqual(readdirSync(dir), [], 'nothing was written')
  })

  it('takes provider ids, receive tokens and peer ids (letters, digits, _ ~ -); names differing in case get different files', () => {
    const dir = folder()
    const store = createFileSecretStore({ folder: dir, log: memoryLog() })
    const names = ['provider-0a1b2c3d4e5f', 'provider-0a1b2c3d4e5f-receive', 'peer-alice_~x-1', 'peer-Alice', 'peer-alice', 'peer-~a', 'CON', 'x'.repeat(100)]
    names.forEach((name, i) => store.set(name, `secret ${i}`))
    names.forEach((name, i) => assert.equal(store.get(name), `secret ${i}`, name))
    const files = readdirSync(join(dir, 'secrets')).sort()
    assert.equal(files.length, names.length)
    for (const f of files) assert.match(f, /^[a-z0-9_~-]+\.json$/, 'lower-case, no dots or slashes but the extension')
    assert.equal(secretFileName('provider-0a1b2c3d4e5f'), 'provider-0a1b2c3d4e5f.json', 'the desktop app’s old files keep their names')
    assert.equal(secretFileName('peer-Alice'), 'peer-~alice.json')
    assert.equal(secretFileName('peer-~a'), 'peer-~~a.json')
  })
})

describe('URL secrets', () => {
  it('treats the password of any URL as the secret, whatever the scheme', () => {
    assert.equal(withoutUrlSecret('btp+ws://user:s3cret@host:7768/path'), 'btp+ws://user@host:7768/path')
    assert.equal(withoutUrlSecret('btp+wss://:s3cret@ilsp.example'), 'btp+wss://ilsp.example')
    assert.equal(withoutUrlSecret('https://name:tok3n@ilsp.example/ilp'), 'https://name@ilsp.example/ilp')
    assert.equal(withoutUrlSecret('http://:tok3n@127.0.0.1:8080/'), 'http://127.0.0.1:8080/')
    // A raw '@' inside the secret: the URL parser takes the last one, so no piece of the secret stays.
    assert.equal(withoutUrlSecret('btp+ws://me:p@ss@host:1'), 'btp+ws://me@host:1')
    assert.equal(withoutUrlSecret('btp+ws://host:1/x'), 'btp+ws://host:1/x', 'nothing to remove: unchanged')
    assert.equal(withoutUrlSecret('not a url :secret@'), '(unreadable URL)')
    assert.equal(hasUrlSecret('https://name:tok@h'), true)
    assert.equal(hasUrlSecret('btp+ws://user@h'), false)
  })
})
