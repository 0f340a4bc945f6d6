// STREAM connections held open across a live provider switch A → B, with the real packages on every side: two ILSPs
// (ilp-connector 23, test.ilsp-a and test.ilsp-b, peered with each other, each keeping books for Junction's account),
// apps and outside parties on ilp-plugin-btp with ilp-protocol-stream 2.7.2-alpha.2, and Junction on a real SQLite
// ledger. What is asserted is what these packages really do:
// - an outside sender streaming to an app behind Junction keeps paying the app's old address (STREAM servers fetch
//   their address once) through the old provider during the grace period, and nothing once it ended;
// - an app's own STREAM connection opened before the switch carries on after the app's reconnect (1012) when no
//   packet of it was in flight at the switch — through B, even after the grace period;
// - a packet the app has in flight at the switch is answered before Junction closes the app's connection (its new
//   packets meanwhile get a temporary T03, which STREAM retries): the app's STREAM connection counts it and carries
//   on through B after the reconnect.
// In every case Junction's ledger and balances agree to the unit with the ILSPs' own books (their admin API).
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type TestContext, test } from 'node:test'
import type { Connector } from '../../app/main/engine/connector'
import type { AppTotalsView, JunctionApi } from '../../app/shared/api-types'
import { type BookedIlsp, startBookedIlsp } from '../support/booked-ilsp'
import { connectPlugin, freePort, startStreamReceiver } from '../support/ilsp'
import { appUrl, cleanup, disconnectAll, fetchIldcp, randomToken, waitForAddress, waitUntil, watchReconnects } from '../support/junction'
import { type StoredJunction, startStoredJunction } from '../support/stored-junction'

const require = createRequire(import.meta.url)
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any
const Stream = require('ilp-protocol-stream') as { createConnection: (opts: Any) => Promise<Any> }
const BtpPlugin = require('ilp-plugin-btp')

// ---- the set-up: two peered ILSPs with books, Junction on A with B stored, on a real SQLite ledger ----

interface Lab {
  a: BookedIlsp
  b: BookedIlsp
  j: Connector
  api: JunctionApi
  idA: string
  idB: string
}

async function startLab(t: TestContext, defer: ReturnType<typeof cleanup>, graceSeconds: number): Promise<Lab> {
  const peerPort = await freePort()
  const peerSecret = randomToken()
  // Peered with static routes both ways, so a receiver at B is reachable through A and Junction's old address at A
  // from B. Started together: each waits for its accounts to connect before it calls itself ready.
  const [a, b] = await Promise.all([
    startBookedIlsp('test.ilsp-a', { peerListen: { port: peerPort, secret: peerSecret }, peerPrefix: 'test.ilsp-b' }),
    startBookedIlsp('test.ilsp-b', { peerWith: `btp+ws://:${peerSecret}@127.0.0.1:${peerPort}`, peerPrefix: 'test.ilsp-a' }),
  ])
  defer(() => a.stop())
  defer(() => b.stop())
  const folder = mkdtempSync(join(tmpdir(), 'junction-switch-stream-'))
  defer(() => rmSync(folder, { recursive: true, force: true }))
  const stored: StoredJunction = await startStoredJunction(folder, { parent: a.junctionUrl, reconnect: { initialMs: 50, maxMs: 500 } })
  defer(() => stored.stop())
  const { j, api } = stored
  assert.equal(await waitForAddress(j), 'test.ilsp-a.junction')
  await api.setProviderSettings({ graceSeconds, healthCheckSeconds: 0 })
  const [providerA] = await api.listProviders()
  const providerB = await api.addProvider({ name: 'B', url: b.junctionUrl })
  t.diagnostic(`grace period ${graceSeconds} s`)
  return { a, b, j, api, idA: providerA.id, idB: providerB.id }
}

/** Junction's balance with a provider (its own parent account), by provider id. */
function providerBalance(j: Connector, id: string): bigint {
  return j.accounts.get(j.providers.get(id).accountId)!.balance
}

/** The per-app ledger on disk (its group commit flushed first). */
async function ledger(lab: Lab, app: string): Promise<AppTotalsView> {
  ;(lab.j as Any).balances.flushNow()
  return await lab.api.ledgerAppTotals({ id: app, from: 0, to: Date.now() + 60_000 })
}

/** Each ILSP's books for Junction equal Junction's balance with it, negated; returns them (positive = Junction owes). */
async function books(lab: Lab): Promise<{ a: bigint; b: bigint }> {
  const [a, b] = [await lab.a.junctionBalance(), await lab.b.junctionBalance()]
  assert.equal(a, -providerBalance(lab.j, lab.idA), "A's books = Junction's balance with A, negated")
  assert.equal(b, -providerBalance(lab.j, lab.idB), "B's books = Junction's balance with B, negated")
  return { a, b }
}

// ---- test instruments on real plugins: they count or hold packets, they do not change what the packages do ----

/** Counts a plugin's sendData calls awaiting an answer; `pause()` holds new ones back until `resume()`. */
function outgoing(plugin: Any): { readonly inFlight: number; pause(): void; resume(): void } {
  const send = plugin.sendData.bind(plugin)
  let inFlight = 0
  let gate: { promise: Promise<void>; open(): void } | undefined
  plugin.sendData = async (data: Buffer) => {
    while (gate) await gate.promise
    inFlight++
    try {
      return await send(data)
    } finally {
      inFlight--
    }
  }
  return {
    get inFlight() {
      return inFlight
    },
    pause() {
      let open!: () => void
      const promise = new Promise<void>((resolve) => (open = resolve))
      gate ??= { promise, open }
    },
    resume() {
      const g = gate
      gate = undefined
      g?.open()
    },
  }
}

/** Holds the prepares a receiver's plugin gets while `hold()` is on, until `release()`; counts what it held. */
function incoming(plugin: Any): { readonly held: number; hold(): void; release(): void } {
  const handler = plugin._dataHandler as (data: Buffer) => Promise<Buffer>
  assert.equal(typeof handler, 'function', 'the STREAM server registered its data handler')
  let held = 0
  let gate: { promise: Promise<void>; open(): void } | undefined
  plugin.deregisterDataHandler()
  plugin.registerDataHandler(async (data: Buffer) => {
    if (gate) {
      held++
      await gate.promise
    }
    return await handler(data)
  })
  return {
    get held() {
      return held
    },
    hold() {
      let open!: () => void
      const promise = new Promise<void>((resolve) => (open = resolve))
      gate ??= { promise, open }
    },
    release() {
      const g = gate
      gate = undefined
      g?.open()
    },
  }
}

interface StreamingSender {
  connection: Any
  /** Why the connection closed, if it did ('closed' without an error). */
  readonly closedWith: string | undefined
  /** Stops raising the total and waits for the step under way to settle. */
  stop(): Promise<void>
}

/** One STREAM connection with one stream that keeps sending: its total is raised by `step` as each step arrives. */
async function startStreamingSender(plugin: Any, credentials: { destinationAccount: string; sharedSecret: Buffer }, step: bigint): Promise<StreamingSender> {
  const connection = await Stream.createConnection({ plugin, ...credentials })
  let closedWith: string | undefined
  connection.on('error', (err: Error) => (closedWith ??= err.message))
  connection.on('close', () => (closedWith ??= 'closed'))
  const stream = connection.createStream()
  stream.on('error', () => {})
  let running = true
  const loop = (async () => {
    while (running && closedWith === undefined) {
      const target = BigInt(connection.totalSent) + step
      // A step that cannot complete (no route any more) times out; the loop tries again until stopped.
      await stream.sendTotal(target.toString(), { timeout: 2000 }).catch(() => new Promise((r) => setTimeout(r, 100)))
    }
  })()
  return {
    connection,
    get closedWith() {
      return closedWith
    },
    stop: async () => {
      running = false
      await loop
    },
  }
}

test('an outside STREAM sender keeps paying an app behind Junction across a switch A → B: its old address receives through A for the grace period, every unit in the books', { timeout: 120_000 }, async (t) => {
  const defer = cleanup(t)
  const lab = await startLab(t, defer, 6)
  const { j, api } = lab
  const receiver = await startStreamReceiver(appUrl(j, 'shop', randomToken()))
  defer(() => receiver.stop())
  assert.equal(receiver.address, 'test.ilsp-a.junction.shop', 'the STREAM server fetched its address once, under A')

  // The sender is a mini-accounts child of A: one connection, streaming.
  const outsider = await connectPlugin(lab.a.childUrl('payer'))
  defer(() => disconnectAll(outsider))
  const gate = outgoing(outsider)
  const sender = await startStreamingSender(outsider, receiver.credentials(), 1000n)
  defer(() => sender.connection.destroy())
  await receiver.waitForTotal(20_000n, 20_000)

  // The switch happens between two of the sender's packets (see the last test for one caught in flight).
  gate.pause()
  await waitUntil(() => gate.inFlight === 0, 10_000, "the sender's packet under way to settle")
  const beforeSwitch = receiver.total
  const shopBack = watchReconnects(j, ['shop'])
  await api.activateProvider({ id: lab.idB })
  assert.equal(j.own.address, 'test.ilsp-b.junction')
  await shopBack.wait()
  assert.equal((await fetchIldcp(receiver.plugin)).clientAddress, 'test.ilsp-b.junction.shop', 'the app would now get an address under B')
  gate.resume()

  // The STREAM server still listens on its old address; payments to it arrive through A while A is in its grace period.
  await receiver.waitForTotal(beforeSwitch + 30_000n, 20_000)
  assert.equal(j.providers.inGrace(lab.idA), true, 'they arrived within the grace period')

  // Once the grace period is over, A no longer reaches Junction: the sender's steps fail and no money moves.
  await waitUntil(() => j.providers.link(lab.idA) === undefined, 20_000, 'the grace period to end')
  const afterGrace = receiver.total
  t.diagnostic(`delivered before the switch: ${beforeSwitch}; to the old address through A after it, in the grace period: ${afterGrace - beforeSwitch}`)
  await new Promise((r) => setTimeout(r, 2500))
  await sender.stop()
  assert.equal(receiver.total, afterGrace, 'nothing arrives at the old address after the grace period')
  // Its next packets are refused: F02 from Junction while the old link finishes its packets in flight (which ends
  // the STREAM connection: the address is gone for good), or T01 from A once Junction is disconnected (which STREAM
  // retries); which one comes first depends on what was in flight when the grace period ended.
  t.diagnostic(`the sender's connection after the grace period: ${sender.closedWith ?? 'open, its steps failing'}`)
  assert.ok(sender.closedWith === undefined || /F02/.test(sender.closedWith), sender.closedWith)

  // Exact accounting, from the sender's connection to the ILSP's books.
  const delivered = receiver.total
  assert.equal(BigInt(sender.connection.totalSent), delivered, 'sent = delivered (one to one, no spread)')
  const shop = await ledger(lab, 'shop')
  assert.equal(BigInt(shop.earned.amountApp), delivered, "Junction's ledger: what the app earned")
  const { a, b } = await books(lab)
  assert.equal(a, -delivered, "A's books: A owes Junction all of it")
  assert.equal(b, 0n, 'B carried none of it')
  t.diagnostic(`delivered ${delivered} in ${shop.earned.packets} packets; A's books ${a}, B's ${b}`)
})

test("an app's STREAM connection opened before the switch carries on after its reconnect when nothing of it was in flight — through B, also after the grace period", { timeout: 120_000 }, async (t) => {
  const defer = cleanup(t)
  const lab = await startLab(t, defer, 3)
  const { j, api } = lab
  const receiver = await startStreamReceiver(lab.b.childUrl('recv'))
  defer(() => receiver.stop())

  const alice = new BtpPlugin({ server: appUrl(j, 'alice', randomToken()) })
  await alice.connect()
  defer(() => disconnectAll(alice))
  const counter = outgoing(alice)
  const connection = await Stream.createConnection({ plugin: alice, ...receiver.credentials() })
  defer(() => connection.destroy())
  let closedWith: string | undefined
  connection.on('error', (err: Error) => (closedWith ??= err.message))
  connection.on('close', () => (closedWith ??= 'closed'))
  assert.equal(connection.sourceAccount, 'test.ilsp-a.junction.alice')
  const stream = connection.createStream()
  stream.on('error', () => {})
  await stream.sendTotal('5000', { timeout: 10_000 })

  // Quiet: ilp-protocol-stream's send loop has stopped and no packet awaits an answer.
  await waitUntil(() => !connection.looping && counter.inFlight === 0, 10_000, 'the connection to be quiet')
  const aliceBack = watchReconnects(j, ['alice'])
  await api.activateProvider({ id: lab.idB })
  await aliceBack.wait()

  // ilp-plugin-btp reconnected by itself; the same connection and stream keep paying, now through B.
  await stream.sendTotal('12000', { timeout: 10_000 })
  assert.equal(connection.totalSent, '12000')
  assert.equal(connection.sourceAccount, 'test.ilsp-a.junction.alice', 'STREAM keeps the source address it started with')
  assert.deepEqual(await books(lab), { a: 5000n, b: 7000n })

  // After the grace period the old address is unreachable, yet money still flows: the receiver answers each packet
  // on the way back and never needs to send to the sender's address.
  await waitUntil(() => j.providers.link(lab.idA) === undefined, 15_000, 'the grace period to end')
  await stream.sendTotal('15000', { timeout: 10_000 })
  assert.equal(closedWith, undefined)
  assert.equal(receiver.total, 15_000n)
  assert.equal((await ledger(lab, 'alice')).spent.amountApp, '15000')
  assert.deepEqual(await books(lab), { a: 5000n, b: 10_000n })
})

test("a packet an app has in flight at the switch is answered before Junction closes the app's connection: the STREAM connection counts it and carries on through B; every unit accounted", { timeout: 120_000 }, async (t) => {
  const defer = cleanup(t)
  const lab = await startLab(t, defer, 10)
  const { j, api } = lab
  const receiver = await startStreamReceiver(lab.b.childUrl('recv'))
  defer(() => receiver.stop())
  const held = incoming(receiver.plugin)

  // ilp-plugin-btp waits 35 s for an answer by default; this app waits 3 s, so a lost answer would show quickly.
  const aliceUrl = appUrl(j, 'alice', randomToken())
  const alice = new BtpPlugin({ server: aliceUrl, responseTimeout: 3000 })
  await alice.connect()
  defer(() => disconnectAll(alice))
  const sender = await startStreamingSender(alice, receiver.credentials(), 1000n)
  defer(() => sender.connection.destroy())
  await receiver.waitForTotal(10_000n, 20_000)

  // Catch one of alice's packets at the receiver (it went Junction → A → B), switch while it is held.
  held.hold()
  await waitUntil(() => held.held === 1, 10_000, 'a packet to be held at the receiver')
  let reconnects = 0
  j.on('appConnected', (id) => id === 'alice' && reconnects++)
  await api.activateProvider({ id: lab.idB })
  // Junction waits for that packet's answer before closing alice's connection (her new packets get T03 meanwhile).
  await new Promise((r) => setTimeout(r, 300))
  assert.equal(j.isAppConnected('alice'), true, 'alice stays connected while her packet is in flight')
  const sentBefore = BigInt(sender.connection.totalSent)
  held.release()

  // The fulfilment reaches alice; then her connection closes (1012), she reconnects under B, and her STREAM
  // connection carries on through B.
  await waitUntil(() => BigInt(sender.connection.totalSent) >= sentBefore + 1000n, 10_000, 'alice to count the held packet')
  await waitUntil(() => reconnects === 1 && j.isAppConnected('alice'), 10_000, 'alice to reconnect')
  const afterSwitch = receiver.total
  await receiver.waitForTotal(afterSwitch + 5000n, 20_000)
  assert.equal(sender.closedWith, undefined, 'the STREAM connection is still open')
  await sender.stop()
  await new Promise((r) => setTimeout(r, 200))

  // Every unit: what alice counted is what the receiver got, and Junction's ledger and the books say the same.
  const delivered = receiver.total
  assert.equal(BigInt(sender.connection.totalSent), delivered)
  assert.equal(BigInt((await ledger(lab, 'alice')).spent.amountApp), delivered)
  const { a, b } = await books(lab)
  assert.equal(a + b, delivered)
  assert.ok(b > 0n, 'payments went through B after the switch')
})

test('the grace period ends without cutting a packet in flight: a payment to the old address that the app is still fulfilling reaches A, and the books agree', { timeout: 120_000 }, async (t) => {
  const defer = cleanup(t)
  const lab = await startLab(t, defer, 3)
  const { j, api } = lab
  const receiver = await startStreamReceiver(appUrl(j, 'shop', randomToken()))
  defer(() => receiver.stop())
  const held = incoming(receiver.plugin)
  const outsider = await connectPlugin(lab.a.childUrl('payer'))
  defer(() => disconnectAll(outsider))
  const gate = outgoing(outsider)
  const sender = await startStreamingSender(outsider, receiver.credentials(), 1000n)
  defer(() => sender.connection.destroy())
  await receiver.waitForTotal(5000n, 20_000)

  gate.pause()
  await waitUntil(() => gate.inFlight === 0, 10_000, "the sender's packet under way to settle")
  const shopBack = watchReconnects(j, ['shop'])
  await api.activateProvider({ id: lab.idB })
  await shopBack.wait()
  gate.resume()
  await receiver.waitForTotal(receiver.total + 5000n, 20_000)

  // The app is slow with one payment to its old address, and the grace period ends meanwhile.
  held.hold()
  await waitUntil(() => held.held === 1, 10_000, 'a packet to be held at the app')
  await waitUntil(() => !j.providers.inGrace(lab.idA), 15_000, 'the grace period to end')
  held.release()
  await waitUntil(() => j.providers.link(lab.idA) === undefined, 15_000, 'the old provider to be disconnected')
  await sender.stop()

  // Its fulfilment reached A before A was disconnected: A, Junction and the app count the same.
  const delivered = receiver.total
  assert.equal(BigInt((await ledger(lab, 'shop')).earned.amountApp), delivered)
  const { a, b } = await books(lab)
  assert.equal(a, -delivered)
  assert.equal(b, 0n)
  assert.equal(BigInt(sender.connection.totalSent), delivered, 'the sender was told of every unit delivered')
})
