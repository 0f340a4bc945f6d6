// What the UI's live pages and charts get from the engine, with real parts: Junction started by startNode on a data
// folder (SQLite ledger on disk), a real `ws` client on the UI port, real ilp-plugin-btp apps paying each other and,
// with a provider, a real ILSP (ilp-connector) with a raw fulfiller on it. The `packets` events and recentPackets
// carry every answered packet with its exact amount and code, the ledger's spend series and destinations add up to
// the payments made, budget warnings and traffic arrive, and the provider's account shows its balance and latency.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, test, type TestContext } from 'node:test'
import type { PacketView } from '../../app/shared/api-types'
import { type JunctionNode, startNode } from '../../app/main/node'
import { startFulfiller, startIlsp } from '../support/ilsp'
import { cleanup, waitForAddress } from '../support/junction'
import { assertFulfilled, assertReject, makePrepare, newCondition, readIlpReply, startApp, type TestApp } from '../support/raw-btp'
import { UiClient } from '../support/ui-client'

const TOKEN = 'activity-test-token-0123'

function tempFolder(t: TestContext): string {
  const folder = mkdtempSync(join(tmpdir(), 'junction-activity-'))
  t.after(() => rmSync(folder, { recursive: true, force: true }))
  return folder
}

async function harness(t: TestContext, parent?: string) {
  const defer = cleanup(t)
  const node: JunctionNode = await startNode({
    config: { port: 0, parent },
    dataFolder: tempFolder(t),
    shell: 'headless',
    uiPort: 0,
    uiToken: TOKEN,
  })
  defer(() => node.stop())
  const ui = await UiClient.connect(t, node.ui!.port, TOKEN)
  return {
    node,
    ui,
    defer,
    async app(name: string): Promise<TestApp> {
      const a = await startApp(`btp+ws://${name}:${name}-token@127.0.0.1:${node.connector.port}`)
      defer(() => a.stop().catch(() => {}))
      return a
    },
  }
}

/** Every packet row the UI was sent, in order. */
const streamed = (ui: UiClient): PacketView[] => ui.events('packets').flat()
const row = (p: PacketView) => [p.app, p.direction, p.destination, p.amount, p.result]

describe('activity and the ledger in local mode', { timeout: 60_000 }, () => {
  test('packets events and recentPackets list each payment with exact amounts and codes; spend and destinations add up', async (t) => {
    const h = await harness(t)
    const a = (name: string) => `private.junction.${name}`
    const alice = await h.app('alice')
    const bob = await h.app('bob')
    await h.app('carol')
    await h.ui.until(() => h.ui.events('routesChanged').length > 0, 'a routesChanged event for the apps')
    assert.deepEqual(
      (await h.ui.call('listRoutes')).map((r: { prefix: string; nextHop: string }) => [r.prefix, r.nextHop]),
      [
        ['private.junction', ''],
        [a('alice'), 'alice'],
        [a('bob'), 'bob'],
        [a('carol'), 'carol'],
      ],
    )
    await h.ui.call('setAppBudget', { id: 'bob', budget: { amount: '600', period: 'day' } })

    // Amounts past 2^53 would show any floating point on the way.
    const big = 2n ** 60n + 7n
    for (let i = 0; i < 3; i++) assertFulfilled(await alice.pay(a('bob'), 1000))
    assertFulfilled(await alice.pay(a('carol'), big))
    assertFulfilled(await bob.pay(a('carol'), 250))
    assertFulfilled(await bob.pay(a('carol'), 250))
    // Bob's budget: 500 of 600 is past 80 %; then a packet is refused for it.
    await h.ui.until(() => h.ui.events('budgetWarning').length >= 1, 'the near-budget warning for bob')
    assertReject(await bob.pay(a('carol'), 250), 'T04', /^app "bob" reached its budget of 600 per day/)
    await h.ui.until(() => h.ui.events('budgetWarning').length >= 2, 'the budget-reached warning for bob')
    assert.deepEqual(h.ui.events('budgetWarning'), [
      { id: 'bob', kind: 'near' },
      { id: 'bob', kind: 'reached' },
    ])
    assertReject(await alice.pay(a('nobody'), 77), 'F02', /^no app named "nobody" is known to Junction$/)

    const expected = [
      ['alice', 'out', a('bob'), '1000', 'fulfilled'],
      ['bob', 'in', a('bob'), '1000', 'fulfilled'],
      ['alice', 'out', a('bob'), '1000', 'fulfilled'],
      ['bob', 'in', a('bob'), '1000', 'fulfilled'],
      ['alice', 'out', a('bob'), '1000', 'fulfilled'],
      ['bob', 'in', a('bob'), '1000', 'fulfilled'],
      ['alice', 'out', a('carol'), big.toString(), 'fulfilled'],
      ['carol', 'in', a('carol'), big.toString(), 'fulfilled'],
      ['bob', 'out', a('carol'), '250', 'fulfilled'],
      ['carol', 'in', a('carol'), '250', 'fulfilled'],
      ['bob', 'out', a('carol'), '250', 'fulfilled'],
      ['carol', 'in', a('carol'), '250', 'fulfilled'],
      // Refused before routing: only the sender's row.
      ['bob', 'out', a('carol'), '250', 'T04'],
      ['alice', 'out', a('nobody'), '77', 'F02'],
    ]
    await h.ui.until(() => streamed(h.ui).length >= expected.length, 'every packet in packets events')
    const events = streamed(h.ui)
    assert.deepEqual(events.map(row), expected)
    assert.deepEqual(
      events.map((p) => p.seq),
      expected.map((_, i) => i + 1),
      'seq counts every answered packet once, in order',
    )
    assert.match(events.find((p) => p.result === 'F02')!.message, /no app named "nobody"/)
    assert.equal(events.find((p) => p.result === 'fulfilled')!.message, '')

    const recent: PacketView[] = await h.ui.call('recentPackets', { limit: 100 })
    assert.deepEqual(recent, [...events].reverse(), 'recentPackets: the same rows, newest first')
    assert.deepEqual((await h.ui.call('recentPackets', { limit: 2 })).map(row), expected.slice(-2).reverse())

    await h.ui.until(() => h.ui.events('traffic').some((v) => v.packetsPerSecond > 0), 'a traffic event')

    // The ledger: spending by app per bucket, and where it went.
    const today = { from: Date.now() - 3_600_000, to: Date.now() + 60_000 }
    const points = await h.ui.call('ledgerSpendSeries', { ...today, resolution: 'minute' })
    const total = new Map<string, bigint>()
    for (const p of points) for (const [app, amount] of Object.entries(p.spent as Record<string, string>)) total.set(app, (total.get(app) ?? 0n) + BigInt(amount))
    assert.deepEqual(total, new Map([['alice', 3000n + big], ['bob', 500n]]))
    assert.deepEqual(await h.ui.call('ledgerDestinations', today), [
      { prefix: a('carol'), packets: '3', amountApp: (big + 500n).toString(), amountProvider: (big + 500n).toString() },
      { prefix: a('bob'), packets: '3', amountApp: '3000', amountProvider: '3000' },
    ])
    assert.deepEqual(await h.ui.call('ledgerDestinations', { ...today, id: 'bob', limit: 1 }), [
      { prefix: a('carol'), packets: '2', amountApp: '500', amountProvider: '500' },
    ])
  })
})

describe('activity with a provider', { timeout: 60_000 }, () => {
  test("the provider's account, balance and latency; out rows for apps paying through it, in rows for apps paid from it", async (t) => {
    const ilsp = await startIlsp()
    const defer = cleanup(t)
    defer(() => ilsp.stop())
    const h = await harness(t, ilsp.btpUrl('junction', 'junction-secret'))
    const address = await waitForAddress(h.node.connector)
    const fulfiller = await startFulfiller(ilsp.btpUrl('shop', 'shop-secret'))
    h.defer(() => fulfiller.stop())
    const alice = await h.app('alice')

    const paid = readIlpReply(await alice.plugin.sendData(makePrepare({ destination: `${fulfiller.address}.order`, amount: 1234, condition: fulfiller.condition })))
    assertFulfilled(paid)
    // The shop (on the ILSP) pays alice back through the provider link.
    const { condition } = newCondition()
    assertFulfilled(readIlpReply(await fulfiller.plugin.sendData(makePrepare({ destination: `${address}.alice`, amount: 99, condition }))))

    await h.ui.until(() => streamed(h.ui).length >= 2, 'both packets in packets events')
    assert.deepEqual(streamed(h.ui).map(row), [
      ['alice', 'out', `${fulfiller.address}.order`, '1234', 'fulfilled'],
      ['alice', 'in', `${address}.alice`, '99', 'fulfilled'],
    ])

    const status = await h.ui.call('status')
    assert.equal(status.provider.balance, String(-1234 + 99), "Junction's view: it owes the provider what it sent on, less what came back")
    assert.equal(typeof status.provider.latencyMs, 'number')
    assert.ok(status.provider.latencyMs >= 0)
    const accounts = await h.ui.call('listAccounts')
    assert.deepEqual(
      accounts.map((x: { id: string; relation: string; link: string; balance: string; packets: unknown }) => [x.id, x.relation, x.link, x.balance]),
      [
        ['parent', 'parent', 'connected', '-1135'],
        ['alice', 'child', 'connected', '1135'],
      ],
    )
    assert.deepEqual(accounts[0].packets, { fulfilled: 2, rejected: 0 })
    assert.match(accounts[0].label, /^btp\+ws:\/\/junction:\*\*\*@127\.0\.0\.1:\d+$/)
    assert.match(await h.ui.call('diagnostics'), /provider btp\+ws:\/\/junction:\*\*\*@127\.0\.0\.1:\d+: connected since/)
    assert.doesNotMatch(await h.ui.call('diagnostics'), /junction-secret/)
  })
})
