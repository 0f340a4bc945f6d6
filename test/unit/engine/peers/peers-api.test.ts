// The peers part of the engine API on a running engine (no peer needs to answer): which peers came from the
// configuration (stored again at each start, so the UI can say a removal lasts one run), and an app name that an
// incoming peer already uses as its username is refused.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createEngineApi } from '../../../../app/main/engine/api'
import { freePort } from '../../../support/ilsp'
import { randomToken, startJunction } from '../../../support/junction'

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

test('registerApp refuses the id of an incoming peer, and registers nothing', async (t) => {
  const j = await startJunction({ address: 'test.j' })
  t.after(() => j.stop())
  const api = createEngineApi(j)
  await api.addPeer({ id: 'friend', incomingToken: randomToken() })
  await assert.rejects(api.registerApp({ name: 'friend' }), /cannot register app "friend": it is the id of an incoming peer/)
  assert.equal(j.apps.get('friend'), undefined)
  // Another name is fine.
  assert.equal((await api.registerApp({ name: 'shop' })).app.id, 'shop')
})
