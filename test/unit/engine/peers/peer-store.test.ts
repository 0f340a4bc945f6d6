// Stored peers (schema 3): rows round-trip in SQLite and memory, secrets go to the secret store (the URL's secret,
// the incoming token only as a hash) and never into the database file, config peers are upserted at start, and the
// engine API refuses what it must (an app's name, a duplicate id, HTTP URLs for now), naming the field.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createConnector } from '../../../../app/main/engine/connector'
import { createEngineApi } from '../../../../app/main/engine/api'
import { openDatabase } from '../../../../app/main/engine/store/database'
import { MemorySecretStore } from '../../../../app/main/engine/secrets/secrets'
import {
  incomingTokenHash,
  matchesIncomingHash,
  MemoryPeersStore,
  type PeerRow,
  type PeersStore,
  SqlitePeersStore,
} from '../../../../app/main/engine/peers/peer-store'
import { withoutUrlSecret } from '../../../../app/main/engine/secrets/url-secret'
import { ApiError } from '../../../../app/shared/api-types'

function folder(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'junction-peers-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

const row = (over: Partial<PeerRow> = {}): PeerRow => ({
  id: 'lab',
  name: 'The lab',
  url: 'btp+ws://me@127.0.0.1:7443',
  incoming: false,
  assetCode: null,
  assetScale: null,
  createdAt: 1000,
  ...over,
})

function roundTrip(store: PeersStore): void {
  assert.deepEqual(store.all(), [])
  store.put(row())
  store.put(row({ id: 'friend', name: 'Friend', url: null, incoming: true, assetCode: 'USD', assetScale: 2, createdAt: 500 }))
  assert.deepEqual(store.all().map((r) => r.id), ['friend', 'lab'], 'oldest first')
  assert.deepEqual(store.get('friend'), row({ id: 'friend', name: 'Friend', url: null, incoming: true, assetCode: 'USD', assetScale: 2, createdAt: 500 }))
  // An upsert replaces everything but the creation time.
  store.put(row({ name: 'Renamed', incoming: true, createdAt: 9999 }))
  assert.deepEqual(store.get('lab'), row({ name: 'Renamed', incoming: true, createdAt: store instanceof SqlitePeersStore ? 1000 : 9999 }))
  store.delete('lab')
  assert.equal(store.get('lab'), undefined)
  assert.deepEqual(store.all().map((r) => r.id), ['friend'])
}

test('peer rows round-trip in SQLite and in memory', (t) => {
  const db = openDatabase(folder(t))
  t.after(() => db.close())
  roundTrip(new SqlitePeersStore(db))
  roundTrip(new MemoryPeersStore())
})

test('a peer URL without its secret (as the peers table keeps it); the incoming token as a hash compared in constant time', () => {
  assert.equal(withoutUrlSecret('btp+ws://lab:s3cret@127.0.0.1:7443'), 'btp+ws://lab@127.0.0.1:7443')
  assert.equal(withoutUrlSecret('btp+wss://:s3cret@lab.example/btp'), 'btp+wss://lab.example/btp')
  const hash = incomingTokenHash('a-token-of-some-length')
  assert.match(hash, /^[0-9a-f]{64}$/)
  assert.equal(matchesIncomingHash(hash, 'a-token-of-some-length'), true)
  assert.equal(matchesIncomingHash(hash, 'a-token-of-some-lengtH'), false)
  assert.equal(matchesIncomingHash(hash, ''), false)
})

test('addPeer keeps secrets in the secret store only; config peers are upserted; restarts load both', async (t) => {
  const dir = folder(t)
  const secrets = new MemorySecretStore()
  const TOKEN = 'incoming-token-0123456789'
  const config = { port: 0, peers: [{ id: 'cfg', url: 'btp+ws://me:cfg-secret@127.0.0.1:1', relation: 'peer' as const }] }

  const db = openDatabase(dir)
  const j = createConnector(config, { peersStore: new SqlitePeersStore(db), secrets })
  const api = createEngineApi(j)
  let events = 0
  j.on('peersChanged', () => events++)
  const added = await api.addPeer({ id: 'friend', name: 'A friend', url: 'btp+ws://me:url-secret@127.0.0.1:2', incomingToken: TOKEN, assetCode: 'USD', assetScale: 2 })
  assert.equal(added.url, 'btp+ws://me:***@127.0.0.1:2')
  assert.equal(added.accountId, 'peer:friend')
  assert.equal(added.incoming, true)
  assert.equal(added.transport, 'btp')
  assert.deepEqual([added.assetCode, added.assetScale, added.balance, added.routes], ['USD', 2, '0', 0])
  assert.equal(events, 1)
  assert.equal(secrets.get('peer-friend'), 'btp+ws://me:url-secret@127.0.0.1:2')
  assert.equal(secrets.get('peer-friend-incoming'), incomingTokenHash(TOKEN), 'the token is kept as its hash')
  assert.equal(secrets.get('peer-cfg'), 'btp+ws://me:cfg-secret@127.0.0.1:1')
  // The label of a peer's account is its name.
  const accounts = await api.listAccounts()
  assert.equal(accounts.find((a) => a.id === 'peer:friend')?.label, 'A friend')
  assert.equal(accounts.find((a) => a.id === 'peer:cfg')?.label, 'cfg')
  db.close()
  const file = readFileSync(join(dir, 'junction.db')).toString('latin1')
  for (const secret of ['url-secret', 'cfg-secret', TOKEN, incomingTokenHash(TOKEN)]) assert.ok(!file.includes(secret), `${secret} is not in the database file`)

  // Restart: the stored peer is back; the config peer keeps its stored name when renamed in the database.
  const db2 = openDatabase(dir)
  t.after(() => db2.close())
  new SqlitePeersStore(db2).put({ ...new SqlitePeersStore(db2).get('cfg')!, name: 'Configured lab' })
  const j2 = createConnector({ ...config, peers: [{ ...config.peers[0], url: 'btp+ws://me:new-secret@127.0.0.1:1' }] }, { peersStore: new SqlitePeersStore(db2), secrets })
  const peers = await createEngineApi(j2).listPeers()
  assert.deepEqual(peers.map((p) => [p.id, p.name, p.url, p.incoming]), [
    ['cfg', 'Configured lab', 'btp+ws://me:***@127.0.0.1:1', false],
    ['friend', 'A friend', 'btp+ws://me:***@127.0.0.1:2', true],
  ])
  assert.equal(secrets.get('peer-cfg'), 'btp+ws://me:new-secret@127.0.0.1:1', 'the config’s URL replaces the stored secret')
  assert.equal(j2.accounts.get('peer:friend')?.assetCode, 'USD')
})

test('addPeer and removePeer refuse what they must, naming the field', async () => {
  const secrets = new MemorySecretStore()
  const j = createConnector({ port: 0, apps: [{ name: 'alice', token: 'alice-token' }] }, { secrets })
  const api = createEngineApi(j)
  const refused = async (input: unknown, code: string, path: string, message: RegExp) => {
    const err = await api.addPeer(input as never).then(
      () => assert.fail('expected a refusal'),
      (e: unknown) => e,
    )
    assert.ok(err instanceof ApiError, String(err))
    assert.equal(err.code, code)
    assert.match(err.message, message)
    assert.deepEqual(err.issues.map((i) => i.path), [path])
  }
  await refused({ id: 'alice', incomingToken: 'x'.repeat(20) }, 'invalid-input', 'id', /"alice" is the name of an app/)
  await refused({ id: 'web', url: 'https://me@peer.example/ilp' }, 'invalid-input', 'url', /carries its token as the password/)
  await refused({ id: 'a.b', url: 'btp+ws://me:s@h:1' }, 'invalid-input', 'id', /contains "\."/)
  await refused({ id: 'lab' }, 'invalid-input', 'url', /give the peer a url/)
  await refused({ id: 'lab', incomingToken: 'short' }, 'invalid-input', 'incomingToken', /at least 16/)
  await api.addPeer({ id: 'lab', incomingToken: 'y'.repeat(20) })
  await refused({ id: 'lab', incomingToken: 'z'.repeat(20) }, 'conflict', 'id', /already exists/)
  assert.equal(secrets.get('peer-web'), null, 'nothing stored for a refused peer')

  await api.removePeer({ id: 'lab' })
  assert.deepEqual(await api.listPeers(), [])
  assert.equal(secrets.get('peer-lab-incoming'), null)
  await assert.rejects(api.removePeer({ id: 'lab' }), (e: unknown) => e instanceof ApiError && e.code === 'not-found' && /no peer with id "lab"/.test(e.message))
})
