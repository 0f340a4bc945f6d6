// The peers part of the engine API on a running engine (no peer needs to answer): which peers came from the
// configuration (stored again at each start, so the UI can say a removal lasts one run), and an app name that an
// incoming peer already uses as its username is refused; a peer changed in place.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createEngineApi } from '../../../../app/main/engine/api'
import { ApiError } from '../../../../app/shared/api-types'
import { freePort } from '../../../support/ilsp'
import { randomToken, startJunction, waitUntil } from '../../../support/junction'
import { RawBtpClient } from '../../../support/raw-btp'

test('listPeers says which peers come from the configuration', async (t) => {
  // Nobody listens there: the peer's link keeps retrying, which does not matter here.
  const j = await startJunction({ address: 'test.j', peers: [{ id: 'lab', url: `btp+ws://j:${randomToken()}@127.0.0.1:${await freePort()}`, relation: 'peer' }] })
  t.after(() => j.stop())
  const api = createEngineApi(j)
  await api.addPeer({ id: 'friend', incomingToken: randomToken() })
  const byId = Object.fromEntries((await api.listPeers()).map((p) => [p.id, p.fromConfig]))
  assert.deepEqual(byId, { lab: true, friend: false })
  // Removed, it is no longer listed (until the next start stores it again).
  await api.removePeer({ id: 'lab' })
  assert.deepEqual((await api.listPeers()).map((p) => p.id), ['friend'])
})

test('registerApp refuses the id of a peer, and registers nothing', async (t) => {
  const j = await startJunction({ address: 'test.j' })
  t.after(() => j.stop())
  const api = createEngineApi(j)
  await api.addPeer({ id: 'friend', incomingToken: randomToken() })
  // invalid-input, not conflict: a new token for the name would not help (the UI offers one on a conflict).
  await assert.rejects(api.registerApp({ name: 'friend' }), (e: unknown) => e instanceof ApiError && e.code === 'invalid-input' && /cannot register app "friend": it is the id of a peer/.test(e.message))
  assert.equal(j.apps.get('friend'), undefined)
  // Another name is fine.
  assert.equal((await api.registerApp({ name: 'shop' })).app.id, 'shop')
})

test('updatePeer changes a peer in place: name, URL, incoming token; its account and balance stay', async (t) => {
  const j = await startJunction({ address: 'test.j' })
  t.after(() => j.stop())
  const api = createEngineApi(j)
  const first = randomToken()
  await api.addPeer({ id: 'friend', name: 'Friend', incomingToken: first })
  const account = j.accounts.get('peer:friend')!
  const ws = `ws://127.0.0.1:${j.port}`
  const conn = await RawBtpClient.connect(ws, 'friend', first)
  t.after(() => conn.terminate())
  // Its link says 'connected' only once Junction has put the account on the connection (at most 1 s; sooner with a packet).
  const [early] = await api.listPeers()
  assert.equal(early.state?.state, early.connected ? 'connected' : 'connecting')
  await waitUntil(() => j.peers.connected('friend'), 5000, 'the account on the peer’s connection')
  assert.equal((await api.listPeers())[0].state?.state, 'connected')

  // A name only: the connection stays.
  const renamed = await api.updatePeer({ id: 'friend', name: '  My friend ' })
  assert.equal(renamed.name, 'My friend')
  assert.equal(renamed.incoming, true)
  await new Promise((r) => setTimeout(r, 50))
  assert.equal(conn.isClosed, false)

  // A new token: the connection made with the old one closes, the old token is refused, the new one works.
  const second = randomToken()
  await api.updatePeer({ id: 'friend', incomingToken: second })
  assert.equal((await conn.closed).code, 1008)
  await assert.rejects(RawBtpClient.connect(ws, 'friend', first), /auth refused: F00 wrong auth_token for peer "friend"/)
  const again = await RawBtpClient.connect(ws, 'friend', second)
  t.after(() => again.terminate())

  // A URL as well (nobody listens there: Junction keeps trying), then no incoming connections any more.
  const withUrl = await api.updatePeer({ id: 'friend', url: `btp+ws://j:${randomToken()}@127.0.0.1:${await freePort()}` })
  assert.match(withUrl.url!, /^btp\+ws:\/\/j:\*+@127\.0\.0\.1:\d+/)
  assert.equal(withUrl.transport, 'btp')
  const outgoingOnly = await api.updatePeer({ id: 'friend', incomingToken: null })
  assert.equal(outgoingOnly.incoming, false)
  assert.equal((await again.closed).code, 1008)
  await assert.rejects(RawBtpClient.connect(ws, 'friend', second), /auth refused: F00 peer "friend" may not connect to Junction: it has no incoming token/)
  assert.equal(j.apps.get('friend'), undefined, "a peer's id never becomes an app")

  // Neither way to connect is refused, naming the field; an unknown peer is not found; the account is the same object.
  await assert.rejects(api.updatePeer({ id: 'friend', url: null }), (e: unknown) => e instanceof ApiError && e.code === 'invalid-input' && /needs a url .* or both/.test(e.message))
  await assert.rejects(api.updatePeer({ id: 'nobody', name: 'x' }), (e: unknown) => e instanceof ApiError && e.code === 'not-found')
  await assert.rejects(api.updatePeer({ id: 'friend', url: 'ftp://x' }), (e: unknown) => e instanceof ApiError && e.code === 'invalid-input' && /url: expected a BTP URL/.test(e.message))
  assert.equal(j.accounts.get('peer:friend'), account, 'the same account: its balance and limits stay')
  const [view] = await api.listPeers()
  assert.deepEqual([view.name, view.incoming, view.transport], ['My friend', false, 'btp'])
})
