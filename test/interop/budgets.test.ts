// Per-app budgets and limits with real ILP software: ilp-plugin-btp apps sending raw prepares (packets held in
// flight by the receiving app, to show that racing packets can never together exceed a budget), a STREAM payment
// (ilp-protocol-stream) through Junction to a receiver on a real ILSP (ilp-connector) that hits the budget mid-stream,
// spending that survives a restart (read back from the ledger), and the app's own max packet amount (F08) and
// packets per second (T05) set through the engine API.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test, type TestContext } from 'node:test'
import type { EngineConfig } from '../../app/main/engine/config'
import { connectPlugin, type Ilsp, startIlsp, startStreamReceiver } from '../support/ilsp'
import { cleanup, disconnectAll, waitForAddress, withTimeout } from '../support/junction'
import { eventually, fulfillPacket, knownFulfillment, readIlpReply, rejectPacket, startApp, type TestApp, assertFulfilled, assertReject } from '../support/raw-btp'
import { type StoredJunction, startStoredJunction } from '../support/stored-junction'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const Stream = createRequire(import.meta.url)('ilp-protocol-stream') as { createConnection(opts: object): Promise<any> }

const LOCAL = 'private.junction'

function tempFolder(t: TestContext): string {
  const folder = mkdtempSync(join(tmpdir(), 'junction-budgets-'))
  t.after(() => rmSync(folder, { recursive: true, force: true }))
  return folder
}

async function junction(t: TestContext, folder: string, config: Partial<EngineConfig> = {}) {
  const stored = await startStoredJunction(folder, config)
  const defer = cleanup(t)
  defer(() => stored.stop())
  const url = (name: string, token = `${name}-token`) => `btp+ws://${name}:${token}@127.0.0.1:${stored.j.port}`
  return {
    ...stored,
    defer,
    url,
    async app(name: string, opts?: Parameters<typeof startApp>[1]): Promise<TestApp> {
      const a = await startApp(url(name), opts)
      defer(() => a.stop().catch(() => {}))
      return a
    },
  }
}

async function spentToday(h: StoredJunction, id: string): Promise<bigint> {
  return BigInt((await h.api.getApp({ id })).spent.day)
}

describe('budgets in local mode (raw prepares, ilp-plugin-btp)', { timeout: 60_000 }, () => {
  test('packets in flight count: racing packets never exceed the budget, which fills exactly', { timeout: 30_000 }, async (t) => {
    const h = await junction(t, tempFolder(t))
    // Bob holds every prepare until the test lets go, so several of Alice's packets are in flight at once.
    const held: Array<() => void> = []
    const bob = await h.app('bob', {
      handler: (prepare) =>
        new Promise<Buffer>((resolve) => {
          held.push(() => resolve(fulfillPacket(knownFulfillment(prepare.executionCondition)!)))
        }),
    })
    const alice = await h.app('alice')
    await h.api.setAppBudget({ id: 'alice', budget: { amount: '1000', period: 'day' } })

    const racing = [1, 2, 3, 4].map(() => alice.pay(`${LOCAL}.bob`, 300))
    await eventually(() => held.length === 3, 3000, 'three packets to reach bob')
    // The fourth was refused at once although nothing was fulfilled yet: 900 in flight + 300 > 1000.
    const view = await h.api.getApp({ id: 'alice' })
    assert.deepEqual([view.budget!.spent, view.budget!.inFlight, view.budget!.remaining], ['0', '900', '100'])
    for (const release of held) release()
    const replies = await Promise.all(racing)
    assert.equal(replies.filter((r) => r.type === 'fulfill').length, 3)
    const refused = replies.find((r) => r.type === 'reject')!
    assertReject(refused, 'T04', /^app "alice" reached its budget of 1000 per day \(spent 0, 900 in flight; this packet: 300\)/)
    assert.equal(await spentToday(h, 'alice'), 900n)

    // Fill it exactly, then the next packet is refused with the budget's message.
    const last = alice.pay(`${LOCAL}.bob`, 100)
    await eventually(() => held.length === 4, 3000, 'the last packet to reach bob')
    held[3]()
    assertFulfilled(await last)
    const over = await alice.pay(`${LOCAL}.bob`, 1)
    assertReject(over, 'T04', /^app "alice" reached its budget of 1000 per day \(spent 1000; this packet: 1\); the budget renews at \d{4}-\d\d-\d\d 00:00 local time$/)
    assert.equal(over.type === 'reject' && over.triggeredBy, LOCAL)
    assert.equal(bob.received, 0n, 'bob answered through the handler')
    assert.equal(await spentToday(h, 'alice'), 1000n)
    assert.equal(h.j.accounts.get('alice')!.balance, 1000n, 'the balance moved by exactly the budget')
    assert.equal((await h.api.getApp({ id: 'alice' })).budget!.remaining, '0')

    // Raising the budget lets it pay again at once; receiving is never limited.
    await h.api.setAppBudget({ id: 'alice', budget: { amount: '1001', period: 'day' } })
    const one = alice.pay(`${LOCAL}.bob`, 1)
    await eventually(() => held.length === 5, 3000, 'the packet to reach bob')
    held[4]()
    assertFulfilled(await one)
  })

  test('a rejected packet releases its share of the budget', { timeout: 30_000 }, async (t) => {
    const h = await junction(t, tempFolder(t))
    await h.app('bob', { handler: () => rejectPacket('F99', `${LOCAL}.bob`, 'no thanks') })
    const alice = await h.app('alice')
    await h.api.setAppBudget({ id: 'alice', budget: { amount: '100', period: 'week' } })
    for (let i = 0; i < 5; i++) assertReject(await alice.pay(`${LOCAL}.bob`, 100), 'F99', /no thanks/)
    const view = await h.api.getApp({ id: 'alice' })
    assert.deepEqual([view.budget!.spent, view.budget!.inFlight, view.budget!.remaining], ['0', '0', '100'])
  })
})

describe('a budget hit mid-stream: STREAM through Junction to a receiver on a real ILSP', { timeout: 120_000 }, () => {
  let ilsp: Ilsp
  before(async () => {
    ilsp = await startIlsp()
  })
  after(async () => {
    await ilsp?.stop()
  })

  test('the stream stops at the budget: what was fulfilled is at most the budget, then the budget message', { timeout: 60_000 }, async (t) => {
    const folder = tempFolder(t)
    const user = 'budget' + Date.now().toString(36)
    const h = await junction(t, folder, { parent: ilsp.btpUrl(user, 'secret') })
    await waitForAddress(h.j)
    const receiver = await startStreamReceiver(ilsp.btpUrl('recv' + Date.now().toString(36), 'r'))
    h.defer(() => receiver.stop())
    const budget = 250_000n
    await h.api.setDefaultBudget({ budget: { amount: budget.toString(), period: 'day' } })
    const alice = await connectPlugin(h.url('alice'))
    h.defer(() => disconnectAll(alice))
    assert.deepEqual((await h.api.getApp({ id: 'alice' })).budget?.amount, budget.toString(), 'the default budget applies to the new app')

    // Record every reject the STREAM sender sees, and which came after money had moved.
    const rejects: string[] = []
    const rejectsMidStream: string[] = []
    let inFlight = 0
    const sendData = alice.sendData.bind(alice)
    alice.sendData = async (data: Buffer) => {
      inFlight++
      const reply: Buffer = await sendData(data).finally(() => inFlight--)
      const answer = readIlpReply(reply)
      if (answer.type === 'reject') {
        rejects.push(`${answer.code} ${answer.message}`)
        if (receiver.total > 0n) rejectsMidStream.push(`${answer.code} ${answer.message}`)
      }
      return reply
    }
    // Four times the budget, in packets STREAM sizes itself. Once the budget refuses it, STREAM retries with backoff
    // (T04 is temporary) and smaller packets; after a few refusals the sender gives up.
    const connection = await Stream.createConnection({ plugin: alice, ...receiver.credentials() })
    connection.on('error', () => {})
    const stream = connection.createStream()
    stream.on('error', () => {})
    stream.setSendMax((4n * budget).toString())
    const budgetMessage = /^T04 app "alice" reached its budget of 250000 per day \(spent \d+(, \d+ in flight)?; this packet: \d+\)/
    await eventually(
      () => rejectsMidStream.filter((r) => budgetMessage.test(r)).length >= 3,
      20_000,
      `STREAM to meet the budget's reject three times after money moved (rejects so far: ${rejects.length})`,
    )
    // The sender gives up: it sends nothing more and closes the stream and the connection cleanly on both sides (a
    // receiver left closing a half-open connection keeps a packet and a 35 s ilp-plugin-btp timer in flight).
    stream.setSendMax(stream.totalSent)
    await withTimeout(
      new Promise<void>((resolve) => {
        stream.once('close', () => resolve())
        stream.end()
      }),
      10_000,
      'the stream to close',
    )
    await withTimeout(Promise.resolve(connection.end()), 10_000, 'the connection to end')
    await eventually(() => inFlight === 0, 5000, "STREAM's last packets to be answered")
    assert.ok(BigInt(connection.totalSent) <= budget, `STREAM counted ${connection.totalSent} as sent`)
    // (STREAM's own unfulfillable probes and control packets get F99 from the receiver.)
    for (const r of rejects.filter((r) => !r.startsWith('F99'))) assert.match(r, budgetMessage, "the only other rejects are the budget's")

    const spent = await spentToday(h, 'alice')
    assert.ok(spent <= budget, `spent ${spent} ≤ budget ${budget}`)
    assert.ok(spent > 0n, 'the stream moved money before the budget stopped it')
    // With no spread, the receiver got exactly what Junction counted, and the provider is owed the same.
    await eventually(() => receiver.total === spent, 3000, `the receiver total (${receiver.total}) to equal the spend (${spent})`)
    assert.equal(h.j.accounts.get('alice')!.balance, spent)
    assert.equal(h.j.accounts.get('parent')!.balance, -spent)

    // The next packet is refused with the budget's message, naming what was spent.
    const fresh = await startApp(h.url('alice'))
    h.defer(() => fresh.stop())
    const remaining = budget - spent
    const next = await fresh.pay(receiver.address, remaining + 1n)
    assertReject(next, 'T04', new RegExp(`^app "alice" reached its budget of 250000 per day \\(spent ${spent}; this packet: ${remaining + 1n}\\)`))
    assert.ok(spent + remaining + 1n > budget)
  })
})

test('spending this period survives a restart (read from the ledger)', { timeout: 30_000 }, async (t) => {
  const folder = tempFolder(t)
  let h = await junction(t, folder)
  await h.app('bob')
  let alice = await h.app('alice')
  await h.api.setAppBudget({ id: 'alice', budget: { amount: '1000', period: 'month' } })
  assertFulfilled(await alice.pay(`${LOCAL}.bob`, 600))
  await alice.stop()
  await h.stop()

  h = await junction(t, folder)
  await h.app('bob')
  alice = await h.app('alice')
  assert.equal(await spentToday(h, 'alice'), 600n)
  assert.equal((await h.api.getApp({ id: 'alice' })).budget!.spent, '600')
  assertReject(await alice.pay(`${LOCAL}.bob`, 401), 'T04', /budget of 1000 per month \(spent 600; this packet: 401\)/)
  assertFulfilled(await alice.pay(`${LOCAL}.bob`, 400))
  assertReject(await alice.pay(`${LOCAL}.bob`, 1), 'T04', /spent 1000/)
})

test("an app's own limits: max packet amount (F08) and packets per second (T05), set through the API", { timeout: 30_000 }, async (t) => {
  const h = await junction(t, tempFolder(t))
  await h.app('bob')
  const alice = await h.app('alice')
  await h.api.setAppLimits({ id: 'alice', maxPacketAmount: '1000' })
  const big = await alice.pay(`${LOCAL}.bob`, 1001)
  assertReject(big, 'F08', /amount 1001 exceeds the maximum of 1000/)
  assert.ok(big.type === 'reject' && big.data.readBigUInt64BE(0) === 1001n && big.data.readBigUInt64BE(8) === 1000n)
  assertFulfilled(await alice.pay(`${LOCAL}.bob`, 1000))

  await h.api.setAppLimits({ id: 'alice', maxPacketsPerSecond: 3 })
  const burst = await Promise.all(Array.from({ length: 6 }, () => alice.pay(`${LOCAL}.bob`, 1)))
  assert.equal(burst.filter((r) => r.type === 'fulfill').length, 3)
  for (const r of burst.filter((r) => r.type === 'reject')) assertReject(r, 'T05', /may send 3 packets per second/)

  // Removing the limits restores Junction's defaults (none here).
  await h.api.setAppLimits({ id: 'alice', maxPacketAmount: null, maxPacketsPerSecond: null })
  const free = await Promise.all(Array.from({ length: 6 }, () => alice.pay(`${LOCAL}.bob`, 5000)))
  assert.equal(free.filter((r) => r.type === 'fulfill').length, 6)
})
