// Provider secrets out of SQLite, on real data folders with a real ILSP (ilp-connector + mini-accounts): a schema-2
// database holding whole URLs is moved at start (the secret store first, then the rows), the provider still connects
// with its whole URL, reopening changes nothing, no byte of the database files holds the secret, a lost secret leaves
// the provider unconnectable with a message saying what to do (and the node running), and the desktop app's staged
// provider URL becomes a stored provider.
import { describe, it, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ProviderView } from '../../../../app/shared/api-types'
import { createFileSecretStore } from '../../../../app/main/engine/secrets/file-secret-store'
import { MemorySecretStore } from '../../../../app/main/engine/secrets/secrets'
import { STAGED_PROVIDER_SECRET } from '../../../../app/main/engine/secrets/staged-provider'
import { createLogger } from '../../../../app/main/engine/log'
import { DATABASE_FILE, openDatabase } from '../../../../app/main/engine/store/database'
import { SqliteProvidersStore } from '../../../../app/main/engine/store/providers-store'
import { type JunctionNode, startNode } from '../../../../app/main/node'
import { type Ilsp, startIlsp } from '../../../support/ilsp'
import { waitForAddress } from '../../../support/junction'

const SECRET_A = 'a1ice-s3cret-0f-the-ilsp'
const SECRET_B = 'b0b-s3cret-0f-the-ilsp'

function folder(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'junction-provider-secrets-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

async function ilsp(t: TestContext): Promise<Ilsp> {
  const i = await startIlsp()
  t.after(() => i.stop())
  return i
}

async function start(t: TestContext, dir: string, config: { parent?: string } = {}): Promise<JunctionNode> {
  const node = await startNode({ config: { port: 0, ...config }, dataFolder: dir, shell: 'headless', logToFile: false })
  t.after(() => node.stop())
  return node
}

/** A database as Junction schema 2 left it: providers with their whole URLs in the `url` column. */
function schema2Database(dir: string, rows: Array<{ id: string; name: string; url: string; position: number; accountId: string }>, active: string): void {
  const db = openDatabase(dir, { targetVersion: 2 })
  const insert = db.prepare('INSERT INTO providers (id, name, url, position, enabled, account_id, created_at) VALUES (?, ?, ?, ?, 1, ?, ?)')
  for (const r of rows) insert.run(r.id, r.name, r.url, r.position, r.accountId, 1_700_000_000_000 + r.position)
  db.prepare("INSERT INTO settings (key, value) VALUES ('providers.active', ?)").run(active)
  db.close()
}

/** Every byte SQLite keeps on disk for the data folder (database, WAL, shared memory), as they are now. */
function rawDatabaseBytes(dir: string): Buffer {
  const files = readdirSync(dir).filter((f) => f.startsWith(DATABASE_FILE))
  assert.ok(files.includes(DATABASE_FILE))
  return Buffer.concat(files.map((f) => readFileSync(join(dir, f))))
}

/** The same after a checkpoint (the WAL's pages copied into the database file). */
function databaseBytes(node: JunctionNode, dir: string): Buffer {
  node.db.pragma('wal_checkpoint(TRUNCATE)')
  return rawDatabaseBytes(dir)
}

const storedUrls = (node: JunctionNode) => node.db.prepare<[], { id: string; url: string }>('SELECT id, url FROM providers ORDER BY position').all()

describe('provider secrets in the secret store', () => {
  it('moves a schema-2 database’s whole URLs into the secret store; the provider connects; no database byte holds the secret; reopening changes nothing', async (t) => {
    const dir = folder(t)
    const upstream = await ilsp(t)
    const whole = upstream.btpUrl('alice', SECRET_A)
    schema2Database(dir, [{ id: '0a0a0a0a0a0a', name: 'Alice’s ILSP', url: whole, position: 0, accountId: 'parent' }], '0a0a0a0a0a0a')
    const before = readFileSync(join(dir, DATABASE_FILE))
    assert.ok(before.includes(SECRET_A), 'the fixture does hold the secret in the database file')

    const node = await start(t, dir)
    assert.equal(rawDatabaseBytes(dir).includes(SECRET_A), false, 'the move itself leaves no old page behind, in the file or the WAL')
    assert.deepEqual(storedUrls(node), [{ id: '0a0a0a0a0a0a', url: `btp+ws://alice@127.0.0.1:${upstream.port}` }])
    assert.equal(node.connector.providers.get('0a0a0a0a0a0a').url, whole, 'the engine sees the whole URL')
    const address = await waitForAddress(node.connector)
    assert.ok(address.startsWith(`${upstream.childPrefix}.alice`), address)

    const secretFile = join(dir, 'secrets', 'provider-0a0a0a0a0a0a.json')
    assert.ok(readFileSync(secretFile, 'utf8').includes(SECRET_A), 'headless: the value itself, in a file')
    if (process.platform !== 'win32') assert.equal(statSync(secretFile).mode & 0o777, 0o600)
    assert.equal(databaseBytes(node, dir).includes(SECRET_A), false, 'no byte of junction.db or its -wal holds the secret')

    const diagnostics = await node.api.diagnostics()
    assert.ok(!diagnostics.includes(SECRET_A), diagnostics)
    assert.match(diagnostics, /^secrets: headless mode has no OS keychain, so secrets .* unencrypted in /m)
    assert.ok(!JSON.stringify(await node.api.listProviders()).includes(SECRET_A))
    await node.stop()

    // Reopening: nothing left to move, nothing changed, still connects.
    const secretBefore = readFileSync(secretFile, 'utf8')
    const again = await start(t, dir)
    assert.deepEqual(storedUrls(again), [{ id: '0a0a0a0a0a0a', url: `btp+ws://alice@127.0.0.1:${upstream.port}` }])
    assert.equal(readFileSync(secretFile, 'utf8'), secretBefore)
    assert.equal(again.connector.providers.get('0a0a0a0a0a0a').url, whole)
    await waitForAddress(again.connector)
    assert.equal(databaseBytes(again, dir).includes(SECRET_A), false)
  })

  it('is crash-safe: a start stopped after the secret store was written but before the rows were stripped finishes the move', (t) => {
    const dir = folder(t)
    const whole = 'https://me:tok3n-of-the-http-ilsp@ilsp.example/ilp'
    schema2Database(dir, [{ id: '0b0b0b0b0b0b', name: 'B', url: whole, position: 0, accountId: 'parent' }], '0b0b0b0b0b0b')
    const secrets = createFileSecretStore({ folder: dir, log: createLogger('test') })
    // The crash: the secret store has it, the row still too.
    secrets.set('provider-0b0b0b0b0b0b', whole)
    const db = openDatabase(dir)
    t.after(() => db.close())
    const store = new SqliteProvidersStore(db, secrets, createLogger('test'))
    assert.equal(db.prepare<[], { url: string }>('SELECT url FROM providers').get()!.url, 'https://me@ilsp.example/ilp', 'an HTTP provider’s token is its secret too')
    assert.equal(store.all()[0].url, whole)
    assert.equal(new SqliteProvidersStore(db, secrets, createLogger('test')).all()[0].url, whole, 'idempotent')
  })

  it('writes and removes through the secret store: SQLite never gets a secret, a removed provider’s secrets go', async (t) => {
    const dir = folder(t)
    const node = await start(t, dir)
    const added = await node.api.addProvider({ name: 'Elsewhere', url: `btp+ws://me:${SECRET_B}@127.0.0.1:1/btp` })
    assert.deepEqual(storedUrls(node), [{ id: added.id, url: 'btp+ws://me@127.0.0.1:1/btp' }])
    assert.equal(node.connector.secrets.get(`provider-${added.id}`), `btp+ws://me:${SECRET_B}@127.0.0.1:1/btp`)
    node.connector.secrets.set(`provider-${added.id}-receive`, 'a-receive-token-for-the-test')
    assert.equal(databaseBytes(node, dir).includes(SECRET_B), false)
    await node.api.removeProvider({ id: added.id })
    assert.equal(node.connector.secrets.get(`provider-${added.id}`), null)
    assert.equal(node.connector.secrets.get(`provider-${added.id}-receive`), null)
    assert.deepEqual(existsSync(join(dir, 'secrets')) ? readdirSync(join(dir, 'secrets')) : [], [])
  })

  it('a lost secret leaves that provider unconnectable, saying to enter its URL again, and the rest starts; entering it restores the entry', async (t) => {
    const dir = folder(t)
    const upstream = await ilsp(t)
    schema2Database(
      dir,
      [
        { id: '0c0c0c0c0c0c', name: 'Lost', url: upstream.btpUrl('carol', SECRET_A), position: 0, accountId: 'parent' },
        { id: '0d0d0d0d0d0d', name: 'Kept', url: upstream.btpUrl('dave', SECRET_B), position: 1, accountId: 'provider:0d0d0d0d0d0d' },
      ],
      '0c0c0c0c0c0c',
    )
    // First start moves both; then the secret file of the active one is deleted.
    await (await start(t, dir)).stop()
    rmSync(join(dir, 'secrets', 'provider-0c0c0c0c0c0c.json'))

    const node = await start(t, dir)
    const address = await waitForAddress(node.connector)
    assert.ok(address.startsWith(`${upstream.childPrefix}.dave`), 'the next provider in the order starts instead')
    const lost = (await node.api.listProviders()).find((p) => p.id === '0c0c0c0c0c0c') as ProviderView
    assert.equal(lost.active, false)
    assert.equal(lost.state, null)
    assert.equal(lost.url, 'btp+ws://carol:***@127.0.0.1:' + upstream.port)
    assert.match(lost.lastError!, /the secret of its URL is not in the secret store .*enter its full URL again with Edit on the Providers page/)
    await assert.rejects(node.api.activateProvider({ id: '0c0c0c0c0c0c' }), /"Lost" cannot connect: the secret of its URL is not in the secret store/)
    const probe = await node.api.testProvider({ id: '0c0c0c0c0c0c' }).catch((err: Error) => ({ ok: false as const, error: err.message }))
    assert.equal(probe.ok, false)
    // Renaming-style writes (enable, order) keep the row as it is, without inventing a secret.
    await node.api.setProviderOrder({ ids: ['0d0d0d0d0d0d', '0c0c0c0c0c0c'] })
    assert.equal(node.connector.secrets.get('provider-0c0c0c0c0c0c'), null)

    // Entered again: the same entry (place, balance account) gets its whole URL back and connects.
    const restored = await node.api.addProvider({ name: '', url: upstream.btpUrl('carol', SECRET_A) })
    assert.equal(restored.id, '0c0c0c0c0c0c')
    assert.equal(restored.accountId, 'parent')
    assert.equal(restored.lastError, null)
    await node.api.activateProvider({ id: '0c0c0c0c0c0c' })
    assert.ok((await node.api.status()).address?.startsWith(`${upstream.childPrefix}.carol`))
    assert.equal(databaseBytes(node, dir).includes(SECRET_A), false)
  })

  it('makes the desktop app’s staged provider URL (config.json, or the single-provider era) a stored provider, once', async (t) => {
    const dir = folder(t)
    const upstream = await ilsp(t)
    const whole = upstream.btpUrl('erin', SECRET_A)
    createFileSecretStore({ folder: dir, log: createLogger('test') }).set(STAGED_PROVIDER_SECRET, whole)
    const node = await start(t, dir)
    await waitForAddress(node.connector)
    const [stored] = await node.api.listProviders()
    assert.equal(stored.active, true)
    assert.equal(node.connector.providers.get(stored.id).url, whole)
    assert.equal(node.connector.secrets.get(STAGED_PROVIDER_SECRET), null, 'the staged copy is gone')
    assert.deepEqual(storedUrls(node), [{ id: stored.id, url: `btp+ws://erin@127.0.0.1:${upstream.port}` }])
    await node.stop()
    const again = await start(t, dir)
    assert.equal((await again.api.listProviders()).length, 1)
  })

  it('an unreadable staged URL is skipped with a warning, and the node starts', async (t) => {
    const dir = folder(t)
    createFileSecretStore({ folder: dir, log: createLogger('test') }).set(STAGED_PROVIDER_SECRET, 'ftp://nowhere')
    const node = await start(t, dir)
    assert.deepEqual(await node.api.listProviders(), [])
    assert.ok(node.connector.own.address, 'local mode')
  })

  it('the memory store (an engine without a data folder) keeps the interface', () => {
    const db = openDatabase(mkdtempSync(join(tmpdir(), 'junction-provider-secrets-')))
    try {
      const store = new SqliteProvidersStore(db, new MemorySecretStore())
      store.put({ id: 'ab', name: 'x', url: 'btp+ws://u:s3@h:1', position: 0, enabled: true, accountId: 'parent', createdAt: 1 })
      assert.equal(store.all()[0].url, 'btp+ws://u:s3@h:1')
      assert.equal(db.prepare<[], { url: string }>('SELECT url FROM providers').get()!.url, 'btp+ws://u@h:1')
    } finally {
      db.close()
    }
  })
})
