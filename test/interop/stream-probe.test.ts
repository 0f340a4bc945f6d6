// The STREAM exchange-rate probe against real software: an ILSP (ilp-connector 23, spread 1 %, its own books on its
// admin API) with Junction as a mini-accounts child in XRP at scale 9, and a STREAM receiver (ilp-protocol-stream
// createServer on ilp-plugin-btp) as a mini-accounts child in USD at scale 6; an SPSP endpoint served by a small HTTP
// server here. The probe goes through the engine API (probeRate) and must report what ilp-connector's rounding
// implies, the receiver's asset, the max packet amount the ILSP's F08 tells — and move no money anywhere.
//
// The rule checked: ilp-connector forwards floor(amount × 0.99 × 10^(6 − 9)); ilp-protocol-stream probes with 1, 10³,
// 10⁶, 10⁹, 10¹² and settles on the largest one that reached the receiver (most digits delivered). With the ILSP's
// max packet amount of 10¹¹, 10¹² is refused (F08) and 10⁹ is the largest through: sent 10⁹, delivered
// floor(10⁹ × 0.00099) = 990000, rate 0.00099 exactly.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createRequire } from 'node:module'
import { test } from 'node:test'
import { createEngineApi } from '../../app/main/engine/api'
import type { Connector } from '../../app/main/engine/connector'
import { PROBE_ACCOUNT_ID, PROBE_SEGMENT } from '../../app/main/engine/probe/probe-account'
import { ApiError, type JunctionApi } from '../../app/shared/api-types'
import { probeRate } from '../../app/main/engine/quotes/stream-probe'
import { connectPlugin, startStreamReceiver, type StreamReceiver } from '../support/ilsp'
import { cleanup, disconnectAll, randomToken, sendPrepare, startJunction, waitForAddress } from '../support/junction'
import { RawBtpClient, rejectPacket } from '../support/raw-btp'
import { freePort, miniAccountsChild, startRealConnector } from '../support/real-connector'

const require = createRequire(import.meta.url)
const IlpPacket = require('ilp-packet')

const ILSP_MAX_PACKET = 100_000_000_000n

interface ProbeIlsp {
  junctionUrl: string
  /** A mini-accounts child of the receivers' account (USD, scale 6). */
  receiverUrl(user: string): string
  /** The ILSP's own balance for Junction's account, from its admin API. */
  junctionBalance(): Promise<bigint>
  stop(): Promise<void>
}

async function startProbeIlsp(): Promise<ProbeIlsp> {
  const [junctionPort, receiverPort] = [await freePort(), await freePort()]
  const balance = { minimum: '-1000000000000000', maximum: '1000000000000000' }
  const ilsp = await startRealConnector({
    address: 'test.ilsp',
    spread: 0.01,
    accounts: {
      junction: { ...miniAccountsChild(junctionPort), balance, maxPacketAmount: ILSP_MAX_PACKET.toString() },
      receivers: { ...miniAccountsChild(receiverPort, { code: 'USD', scale: 6 }), balance },
    },
  })
  await ilsp.listening
  return {
    junctionUrl: `btp+ws://j:${randomToken()}@127.0.0.1:${junctionPort}`,
    receiverUrl: (user) => `btp+ws://${user}:${user}-secret@127.0.0.1:${receiverPort}`,
    junctionBalance: () => ilsp.balance('junction'),
    stop: ilsp.stop,
  }
}

/** An SPSP endpoint: `/bob` answers fresh STREAM credentials; other paths answer what a broken server would. */
async function startSpsp(receiver: StreamReceiver): Promise<{ url: (path: string) => string; stop(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if (req.url === '/bob') {
      const { destinationAccount, sharedSecret } = receiver.credentials()
      res.writeHead(200, { 'content-type': 'application/spsp4+json' })
      res.end(JSON.stringify({ destination_account: destinationAccount, shared_secret: sharedSecret.toString('base64') }))
    } else if (req.url === '/html') {
      res.writeHead(200, { 'content-type': 'text/html' })
      res.end('<html>a wallet page</html>')
    } else if (req.url === '/not-spsp') {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ hello: 'world' }))
    } else {
      res.writeHead(404).end()
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

async function apiError(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p
  } catch (err) {
    assert.ok(err instanceof ApiError, `expected an ApiError, got ${String(err)}`)
    return err
  }
  assert.fail('the probe should have failed')
}

interface Books {
  junction: bigint
  ilsp: bigint
  received: bigint
}

async function books(j: Connector, ilsp: ProbeIlsp, receiver: StreamReceiver): Promise<Books> {
  return { junction: j.accounts.get('parent')!.balance, ilsp: await ilsp.junctionBalance(), received: receiver.total }
}

test('STREAM rate probe through a real ILSP: the rate its spread and scales imply, the receiver\'s asset, the max packet amount, no money moved', { timeout: 120_000 }, async (t) => {
  const defer = cleanup(t)
  const ilsp = await startProbeIlsp()
  defer(() => ilsp.stop())
  const receiver = await startStreamReceiver(ilsp.receiverUrl('bob'))
  defer(() => receiver.stop())
  assert.equal(receiver.address, 'test.ilsp.receivers.bob')
  const spsp = await startSpsp(receiver)
  defer(() => spsp.stop())

  const j = await startJunction({ parent: ilsp.junctionUrl, reconnect: { initialMs: 50, maxMs: 500 } })
  defer(() => j.stop())
  const api: JunctionApi = createEngineApi(j)
  assert.equal(await waitForAddress(j), 'test.ilsp.junction.j')
  const before = await books(j, ilsp, receiver)
  const routesBefore = (await api.listRoutes()).length
  let recentBefore = j.recent.seq

  await t.test('by payment pointer (SPSP)', async () => {
    const probe = await api.probeRate({ paymentPointer: spsp.url('/bob') })
    t.diagnostic(`probe: ${JSON.stringify(probe)}`)
    assert.match(probe.destination, /^test\.ilsp\.receivers\.bob\./)
    assert.deepEqual(probe.sourceAsset, { code: 'XRP', scale: 9 })
    assert.deepEqual(probe.destinationAsset, { code: 'USD', scale: 6 })
    assert.deepEqual(probe.rate, { decimal: '0.00099', sent: '1000000000', delivered: '990000' })
    // ilp-connector's F08 says how much it received and its maximum: 10¹² × 10¹¹ ÷ 10¹² in source units.
    assert.equal(probe.maxPacketAmount, ILSP_MAX_PACKET.toString())
    assert.ok(probe.latencyMs >= 0)
  })

  await t.test('two probes at once each get their own answers', async () => {
    const [a, b] = await Promise.all([api.probeRate({ paymentPointer: spsp.url('/bob') }), api.probeRate({ paymentPointer: spsp.url('/bob') })])
    assert.notEqual(a.destination, b.destination)
    assert.deepEqual([a.rate, b.rate], [
      { decimal: '0.00099', sent: '1000000000', delivered: '990000' },
      { decimal: '0.00099', sent: '1000000000', delivered: '990000' },
    ])
  })

  await t.test('packets from beyond reach a running probe by its address; money is refused', async () => {
    // A STREAM receiver sends to its client only what the client's own packets ask for, so a probe rarely gets any:
    // the way in is checked here with a plain ILP sender on the ILSP and a probe plugin opened directly.
    const sender = await connectPlugin(ilsp.receiverUrl('sender'))
    defer(() => disconnectAll(sender))
    const plugin = j.probes.open()
    await plugin.connect()
    const got: string[] = []
    plugin.registerDataHandler(async (data) => {
      got.push(IlpPacket.deserializeIlpPrepare(data).destination)
      return rejectPacket('F99', plugin.address!, 'seen by the probe')
    })
    const to = plugin.address!
    const listed = j.recent.seq
    try {
      assert.match(to, /^test\.ilsp\.junction\.j\.junction~probe\.p\d+$/)
      const data = await sendPrepare(sender, { destination: `${to}.x`, amount: 0 })
      assert.deepEqual([data.type, data.type === 'reject' && data.message], ['reject', 'seen by the probe'])
      assert.deepEqual(got, [`${to}.x`])
      const money = await sendPrepare(sender, { destination: to, amount: 10 })
      assert.deepEqual([money.type === 'reject' && money.code, money.type === 'reject' && money.message], ['F06', "Junction's rate probe takes no money"])
      const other = await sendPrepare(sender, { destination: `${j.own.address}.${PROBE_SEGMENT}.p999`, amount: 0 })
      assert.deepEqual([other.type === 'reject' && other.code, other.type === 'reject' && other.message], ['F02', `no rate probe is running at ${j.own.address}.${PROBE_SEGMENT}.p999`])
      assert.deepEqual(got, [`${to}.x`], 'the probe saw neither')
      assert.equal(j.recent.seq, listed, 'packets to the probe are not listed in Activity')
    } finally {
      await plugin.disconnect()
    }
    // Once no probe runs, the address is Junction's own again, with nobody behind it (an ordinary refused packet from
    // the provider, listed as such).
    const gone = await sendPrepare(sender, { destination: to, amount: 0 })
    assert.equal(gone.type === 'reject' && gone.code, 'F02')
    assert.equal(j.recent.seq, listed + 1)
    recentBefore = j.recent.seq
    assert.equal(j.accounts.has(PROBE_ACCOUNT_ID), false)
  })

  await t.test('by address and shared secret: the same rate', async () => {
    const { destinationAccount, sharedSecret } = receiver.credentials()
    const probe = await api.probeRate({ destination: destinationAccount, sharedSecret: sharedSecret.toString('base64') })
    assert.equal(probe.destination, destinationAccount)
    assert.deepEqual(probe.rate, { decimal: '0.00099', sent: '1000000000', delivered: '990000' })
    assert.deepEqual(probe.destinationAsset, { code: 'USD', scale: 6 })
  })

  await t.test('no money moved, and the probe account is gone again', async () => {
    assert.deepEqual(await books(j, ilsp, receiver), before)
    assert.equal(j.accounts.has(PROBE_ACCOUNT_ID), false)
    assert.equal((await api.listRoutes()).length, routesBefore)
    assert.ok(!(await api.listAccounts()).some((a) => a.id === PROBE_ACCOUNT_ID))
    // Not an app: nothing of the probes in the Activity list.
    assert.equal(j.recent.seq, recentBefore)
    assert.ok(j.recent.newest(500).every((p) => p.app !== PROBE_ACCOUNT_ID))
  })

  await t.test('SPSP errors: unreachable server, unknown host, not JSON, not SPSP, no such pointer', async () => {
    const closed = await freePort()
    const refused = await apiError(api.probeRate({ paymentPointer: `http://127.0.0.1:${closed}/bob` }))
    assert.equal(refused.code, 'unavailable')
    assert.match(refused.message, new RegExp(`could not reach the SPSP server at http://127\\.0\\.0\\.1:${closed}/bob \\(ECONNREFUSED\\)`))

    const unknown = await apiError(api.probeRate({ paymentPointer: '$wallet.invalid/alice' }))
    assert.equal(unknown.code, 'unavailable')
    assert.match(unknown.message, /SPSP server at https:\/\/wallet\.invalid\/alice/)

    const html = await apiError(api.probeRate({ paymentPointer: spsp.url('/html') }))
    assert.match(html.message, /answered something that is not JSON \(text\/html\): it is not an SPSP receiver/)
    const notSpsp = await apiError(api.probeRate({ paymentPointer: spsp.url('/not-spsp') }))
    assert.match(notSpsp.message, /answered JSON that is not an SPSP response: destination_account is missing/)
    const missing = await apiError(api.probeRate({ paymentPointer: spsp.url('/carol') }))
    assert.equal(missing.code, 'not-found')
    assert.match(missing.message, /knows no such payment pointer \(404 Not Found\)/)
  })

  await t.test('a receiver address with no route: F02 from the ILSP', async () => {
    const err = await apiError(api.probeRate({ destination: 'test.nowhere.bob', sharedSecret: randomBytes(32).toString('base64') }))
    assert.equal(err.code, 'not-found')
    assert.match(err.message, /^F02 no route to test\.nowhere\.bob: .* \(from test\.ilsp\)$/)
  })

  await t.test('a wrong shared secret: the receiver rejects the probe', async () => {
    const { destinationAccount } = receiver.credentials()
    const err = await apiError(api.probeRate({ destination: destinationAccount, sharedSecret: randomBytes(32).toString('base64') }))
    t.diagnostic(`wrong secret: ${err.message}`)
    assert.equal(err.code, 'unavailable')
    assert.match(err.message, new RegExp(`the receiver at ${destinationAccount.replace(/\./g, '\\.')} rejected the probe`))
  })

  await t.test('an address under Junction\'s own is refused; an app may not take the probe\'s name', async () => {
    const err = await apiError(api.probeRate({ destination: `${j.own.address}.${PROBE_SEGMENT}.p1`, sharedSecret: randomBytes(32).toString('base64') }))
    assert.equal(err.code, 'invalid-input')
    await assert.rejects(RawBtpClient.connect(`ws://127.0.0.1:${j.port}`, PROBE_SEGMENT, randomToken()), /auth refused: .*Junction's own \(its rate probe\)/)
  })

  await t.test('a receiver too slow to answer: the probe gives up at its timeout and says so', async () => {
    const hole = await connectPlugin(ilsp.receiverUrl('hole'))
    defer(() => disconnectAll(hole))
    // It answers only after the probe has given up (2 s): late replies must be dropped without harm.
    hole.registerDataHandler(
      () => new Promise((resolve) => setTimeout(() => resolve(rejectPacket('T00', 'test.ilsp.receivers.hole', 'too late')), 2500)),
    )
    const err = await apiError(probeRate(j, { destination: 'test.ilsp.receivers.hole.x', sharedSecret: randomBytes(32).toString('base64') }, { timeoutMs: 2000 }))
    assert.equal(err.code, 'unavailable')
    assert.match(err.message, /^the rate probe to test\.ilsp\.receivers\.hole\.x got no answer within 2 s/)
    assert.equal(j.accounts.has(PROBE_ACCOUNT_ID), false)
  })

  await t.test('still no money moved after the failures', async () => {
    // The ILSP's balance counts packets in flight: the ones the slow receiver holds come back rejected, and then the
    // books are as before.
    const deadline = Date.now() + 15_000
    let now = await books(j, ilsp, receiver)
    while (now.ilsp !== before.ilsp && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200))
      now = await books(j, ilsp, receiver)
    }
    assert.deepEqual(now, before)
    assert.equal(j.accounts.has(PROBE_ACCOUNT_ID), false)
  })
})

test('a Junction without an address yet says so', { timeout: 30_000 }, async (t) => {
  const defer = cleanup(t)
  const closed = await freePort()
  const j = await startJunction({ parent: `btp+ws://j:${randomToken()}@127.0.0.1:${closed}`, reconnect: { initialMs: 50, maxMs: 500 } })
  defer(() => j.stop())
  const err = await apiError(createEngineApi(j).probeRate({ destination: 'test.ilsp.receivers.bob', sharedSecret: randomBytes(32).toString('base64') }))
  assert.equal(err.code, 'unavailable')
  assert.match(err.message, /Junction has no ILP address yet/)
})

test('without a provider (local mode) there is no route beyond Junction: F02 at once, from Junction', { timeout: 30_000 }, async (t) => {
  const defer = cleanup(t)
  const j = await startJunction({})
  defer(() => j.stop())
  assert.equal(j.own.address, 'private.junction')
  const err = await apiError(createEngineApi(j).probeRate({ destination: 'private.elsewhere.bob', sharedSecret: randomBytes(32).toString('base64') }))
  assert.equal(err.code, 'not-found')
  assert.equal(err.message, 'F02 no route to private.elsewhere.bob (at Junction)')
})
