// An ILP-over-HTTP provider (RFC 35): a real ilp-connector 23 serves Junction's account with ilp-plugin-http 1.6, the
// peer the issue names. Junction reaches it by POSTing packets; the ILSP reaches Junction only if Junction binds a
// receiver (explicitly), else the provider is send-only: apps pay through it, but payments to them cannot arrive.
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { test } from 'node:test'
import { createEngineApi } from '../../app/main/engine/api'
import { type BookedIlsp, startBookedIlsp } from '../support/booked-ilsp'
import { connectPlugin, freePort, startStreamReceiver, streamPay } from '../support/ilsp'
import { appUrl, cleanup, disconnectAll, fetchIldcp, randomToken, sendPrepare, startJunction, waitForAddress, waitUntil } from '../support/junction'

const require = createRequire(import.meta.url)
const IlpPacket = require('ilp-packet')

async function setUp(t: { after(fn: () => unknown): void }) {
  const defer = cleanup(t)
  const receivePort = await freePort()
  const receiveToken = randomToken() + randomToken()
  const ilsp: BookedIlsp = await startBookedIlsp('test.ilsp-h', {
    junctionOverHttp: { sendTo: { url: `http://127.0.0.1:${receivePort}/ilp`, token: receiveToken } },
  })
  defer(() => ilsp.stop())
  const j = await startJunction({ reconnect: { initialMs: 50, maxMs: 500 } })
  defer(() => j.stop())
  return { defer, ilsp, j, api: createEngineApi(j), receivePort, receiveToken }
}

test('an HTTP provider: test, activate, an app pays a STREAM receiver at the ILSP; send-only until a receive bind is set, then paid', { timeout: 60_000 }, async (t) => {
  const { defer, ilsp, j, api, receivePort, receiveToken } = await setUp(t)
  assert.ok(ilsp.junctionUrl.startsWith('http://junction:'))

  // Added without a receive bind: send-only, and the view says so.
  const added = await api.addProvider({ name: 'ILSP over HTTP', url: ilsp.junctionUrl })
  assert.equal(added.transport, 'http')
  assert.equal(added.sendOnly, true)
  assert.equal(added.receive, null)
  assert.match(added.url, /^http:\/\/junction:\*\*\*@127\.0\.0\.1:\d+$/)
  assert.ok(!added.url.includes(ilsp.junctionUrl.split(':')[2].split('@')[0]), 'the token is masked')

  // Test = one ILDCP round trip over HTTP: ilp-connector answers peer.config for its child account.
  const probe = await api.testProvider({ id: added.id })
  assert.ok(probe.ok, JSON.stringify(probe))
  assert.equal(probe.address, 'test.ilsp-h.junction')
  assert.equal(probe.assetCode, 'XRP')
  assert.equal(probe.assetScale, 9)

  await api.activateProvider({ id: added.id })
  assert.equal(await waitForAddress(j), 'test.ilsp-h.junction')
  const [view] = await api.listProviders()
  assert.equal(view.state?.state, 'connected')
  assert.equal(view.active, true)

  // An app behind Junction pays a STREAM receiver at the ILSP: every packet is a POST to ilp-plugin-http.
  const receiver = await startStreamReceiver(ilsp.childUrl('shop'))
  defer(() => receiver.stop())
  const alice = await connectPlugin(appUrl(j, 'alice', randomToken()))
  defer(() => disconnectAll(alice))
  assert.equal((await fetchIldcp(alice)).clientAddress, 'test.ilsp-h.junction.alice')
  const sent = await streamPay(alice, receiver.credentials(), 123_456_789n)
  assert.equal(sent, 123_456_789n)
  assert.equal(receiver.total, 123_456_789n)
  // The ILSP's books (its balance middleware on Junction's account) and Junction's agree to the unit.
  assert.equal(await ilsp.junctionBalance(), 123_456_789n)
  assert.equal(j.accounts.get(view.accountId)!.balance, -123_456_789n)

  // Send-only: a sender at the ILSP cannot reach an app behind Junction (the ILSP's POST finds nobody listening).
  const bob = await startStreamReceiver(appUrl(j, 'bob', randomToken()))
  defer(() => bob.stop())
  assert.equal(bob.address, 'test.ilsp-h.junction.bob')
  const outsider = await connectPlugin(ilsp.childUrl('outsider'))
  defer(() => disconnectAll(outsider))
  const refused = await sendPrepare(outsider, { destination: bob.address, amount: 10 })
  // ilp-connector answers its failed POST with F02 "failed to send packet: … ECONNREFUSED".
  assert.ok(refused.type === 'reject' && refused.code === 'F02' && /ECONNREFUSED/.test(refused.message), JSON.stringify(refused))

  // The explicit bind: Junction listens where the ILSP posts, with the token it sends; the view says where.
  const bound = await api.setProviderReceive({ id: added.id, receive: { port: receivePort, token: receiveToken } })
  assert.equal(bound.sendOnly, false)
  assert.deepEqual(bound.receive, { bind: `127.0.0.1:${receivePort}`, url: `http://127.0.0.1:${receivePort}/ilp`, listening: true, error: null })
  const paidToBob = await streamPay(outsider, bob.credentials(), 2_000_000n)
  assert.equal(paidToBob, 2_000_000n)
  await waitUntil(() => bob.total === 2_000_000n, 5000, 'bob to count the payment')
  assert.equal(await ilsp.junctionBalance(), 123_456_789n - 2_000_000n)
  assert.equal(j.accounts.get(view.accountId)!.balance, -(123_456_789n - 2_000_000n))

  // Clearing the bind makes it send-only again, and the port is closed.
  const cleared = await api.setProviderReceive({ id: added.id, receive: null })
  assert.equal(cleared.sendOnly, true)
  await assert.rejects(fetch(`http://127.0.0.1:${receivePort}/ilp`), /fetch failed/)
})

test('the receiver refuses what is not an authorized ILP Prepare, with a status and a reason; a dead HTTP provider is T01', { timeout: 60_000 }, async (t) => {
  const { defer, ilsp, j, api, receivePort, receiveToken } = await setUp(t)
  const added = await api.addProvider({ name: 'H', url: ilsp.junctionUrl, receive: { port: receivePort, token: receiveToken } })
  await api.activateProvider({ id: added.id })
  await waitForAddress(j)
  const url = `http://127.0.0.1:${receivePort}/ilp`
  const prepare = IlpPacket.serializeIlpPrepare({
    destination: 'test.ilsp-h.junction.nobody',
    amount: '1',
    executionCondition: Buffer.alloc(32, 1),
    expiresAt: new Date(Date.now() + 10_000),
    data: Buffer.alloc(0),
  })

  const noAuth = await fetch(url, { method: 'POST', body: prepare })
  assert.equal(noAuth.status, 401)
  assert.match(await noAuth.text(), /Authorization: Bearer/)
  const wrong = await fetch(url, { method: 'POST', body: prepare, headers: { authorization: `Bearer ${randomToken()}` } })
  assert.equal(wrong.status, 401)
  const notPrepare = await fetch(url, { method: 'POST', body: Buffer.from('hello'), headers: { authorization: `Bearer ${receiveToken}` } })
  assert.equal(notPrepare.status, 400)
  assert.match(await notPrepare.text(), /not an ILP Prepare/)
  const tooBig = await fetch(url, { method: 'POST', body: Buffer.alloc(40_000, 12), headers: { authorization: receiveToken } })
  assert.equal(tooBig.status, 413)
  // The bare token (ilp-plugin-http's older form) is accepted too; an unknown app gets its ILP reject in a 200.
  const ok = await fetch(url, { method: 'POST', body: prepare, headers: { authorization: receiveToken } })
  assert.equal(ok.status, 200)
  const reply = IlpPacket.deserializeIlpPacket(Buffer.from(await ok.arrayBuffer()))
  assert.equal(reply.type, IlpPacket.Type.TYPE_ILP_REJECT)
  assert.equal(reply.data.code, 'F02')

  // The provider dies: an app's packet is rejected T01 naming the unreachable provider; the link says why.
  const alice = await connectPlugin(appUrl(j, 'alice', randomToken()))
  defer(() => disconnectAll(alice))
  await ilsp.stop()
  const answer = await sendPrepare(alice, { destination: 'test.ilsp-h.shop.someone', amount: 5 })
  assert.equal(answer.type, 'reject')
  assert.ok(answer.type === 'reject' && answer.code === 'T01', JSON.stringify(answer))
  assert.match(answer.type === 'reject' ? answer.message : '', /could not be reached: connection refused/)
  await waitUntil(() => j.providers.active?.state.state === 'waiting', 5000, 'the link to say it is waiting')
  const [view] = await api.listProviders()
  assert.equal(view.state?.state, 'waiting')
})
