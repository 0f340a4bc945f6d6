// Providers in SQLite (schema 2): the migration from schema 1 keeps the `parent` balance with the first provider,
// rows round-trip, and a node restarted without --parent reconnects to the provider that was active.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createConnector } from '../../../../app/main/engine/connector'
import { openDatabase, schemaVersion } from '../../../../app/main/engine/store/database'
import { LATEST_SCHEMA } from '../../../../app/main/engine/store/migrations'
import { MemorySecretStore } from '../../../../app/main/engine/secrets/secrets'
import { accountIdFor, MemoryProvidersStore, SqliteProvidersStore } from '../../../../app/main/engine/store/providers-store'
import { SqliteBalanceStore } from '../../../../app/main/engine/store/sqlite-balance-store'
import { SqliteAppsStore } from '../../../../app/main/engine/store/apps-store'
import { createLogger } from '../../../../app/main/engine/log'

function folder(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'junction-providers-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

test('schema 1 → 2: the balance kept under `parent` becomes the first provider\'s; later providers get their own accounts', (t) => {
  const dir = folder(t)
  const old = openDatabase(dir, { targetVersion: 1 })
  old.prepare("INSERT INTO accounts (id, relation, balance, updated_at) VALUES ('parent', 'parent', -1234, 0)").run()
  old.close()

  const db = openDatabase(dir)
  t.after(() => db.close())
  assert.equal(schemaVersion(db), LATEST_SCHEMA)
  const secrets = new MemorySecretStore()
  const store = new SqliteProvidersStore(db, secrets)
  const balances = new SqliteBalanceStore(db, createLogger('test'))
  const j = createConnector({ port: 0, parent: 'btp+ws://me:secret@127.0.0.1:1' }, { balances, providersStore: store, appsStore: new SqliteAppsStore(db) })
  const first = j.providers.fromConfig('btp+ws://me:secret@127.0.0.1:1')
  assert.equal(first.accountId, 'parent')
  assert.equal(j.accounts.get('parent')?.balance, -1234n)
  const second = j.providers.add('B', 'btp+ws://me:x@127.0.0.1:2')
  assert.equal(second.accountId, `provider:${second.id}`)
  assert.equal(j.accounts.get(second.accountId)?.balance, 0n)

  // The same endpoint with a new secret updates the entry instead of adding one.
  const again = j.providers.fromConfig('btp+ws://me:new-secret@127.0.0.1:1')
  assert.equal(again.id, first.id)
  assert.equal(store.all().length, 2)
  assert.equal(store.all()[0].url, 'btp+ws://me:new-secret@127.0.0.1:1')

  store.setActiveId(second.id)
  assert.equal(new SqliteProvidersStore(db, secrets).activeId(), second.id)
  assert.deepEqual(
    new SqliteProvidersStore(db, secrets).all().map((p) => [p.name, p.position, p.enabled]),
    [
      ['127.0.0.1:1', 0, true],
      ['B', 1, true],
    ],
  )
})

test('without --parent, stored providers mean provider mode: the saved active one is started', async (t) => {
  const store = new MemoryProvidersStore()
  store.put({ id: 'a', name: 'A', url: 'btp+ws://u:s@127.0.0.1:1', position: 0, enabled: true, accountId: accountIdFor('a', []), createdAt: 1 })
  store.put({ id: 'b', name: 'B', url: 'btp+ws://u:s@127.0.0.1:2', position: 1, enabled: true, accountId: 'provider:b', createdAt: 2 })
  store.setActiveId('b')
  const j = createConnector({ port: 0 }, { providersStore: store })
  t.after(() => j.stop())
  assert.equal(j.own.address, undefined, 'no local address: the provider assigns one')
  await j.start()
  assert.equal(j.providers.activeId, 'b')
  assert.equal(j.routes.lookup('g.anywhere')?.accountId, 'provider:b')
  await assert.rejects(async () => j.providers.remove('b'), /active provider/)
  assert.throws(() => j.providers.setEnabled('b', false), /active provider/)
})
