// Apps as the user manages them, with real ilp-plugin-btp apps (and STREAM, and a raw BTP client for exact error
// frames) on a running Junction: the new-app policy (allow / ask / deny), approve, block (disconnects), forget,
// unnamed apps, and a restart over the same SQLite database keeping apps, statuses, token bindings, display names,
// budgets and settings. The headless flags --new-apps and --default-budget are checked on the real CLI.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, test, type TestContext } from 'node:test'
import * as Btp from 'btp-packet'
import { tokenDerivedId } from '../../app/main/engine/accounts/app-auth'
import { DEFAULT_UNNAMED_IDLE_MS } from '../../app/main/engine/accounts/app-registry'
import type { EngineConfig } from '../../app/main/engine/config'
import type { ConnectorDeps } from '../../app/main/engine/connector'
import { connectPlugin, startStreamReceiver, streamPay } from '../support/ilsp'
import { cleanup, disconnectAll, fetchIldcp, fetchPeerBalance, withTimeout } from '../support/junction'
import { spawnHeadless } from '../support/headless'
import { type AppOptions, eventually, RawBtpClient, readIlpReply, recordingLog, sleep, startApp, type TestApp, assertFulfilled, assertReject } from '../support/raw-btp'
import { type StoredJunction, startStoredJunction } from '../support/stored-junction'

const LOCAL = 'private.junction'

interface Harness extends StoredJunction {
  folder: string
  url(name: string, token: string): string
  app(name: string, token: string, opts?: AppOptions): Promise<TestApp>
  raw(): Promise<RawBtpClient>
  restart(config?: Partial<EngineConfig>): Promise<Harness>
}

function tempFolder(t: TestContext): string {
  const folder = mkdtempSync(join(tmpdir(), 'junction-apps-'))
  t.after(() => rmSync(folder, { recursive: true, force: true }))
  return folder
}

/** Junction over SQLite in `folder`; everything it started is stopped after the test. */
async function junction(t: TestContext, folder: string, config: Partial<EngineConfig> = {}, deps: Omit<ConnectorDeps, 'balances' | 'appsStore'> = {}): Promise<Harness> {
  const stored = await startStoredJunction(folder, config, deps)
  const defer = cleanup(t)
  defer(() => stored.stop())
  const url = (name: string, token: string) => `btp+ws://${encodeURIComponent(name)}:${encodeURIComponent(token)}@127.0.0.1:${stored.j.port}`
  const h: Harness = {
    ...stored,
    folder,
    url,
    async app(name, token, opts) {
      const a = await startApp(url(name, token), opts)
      defer(() => a.stop().catch(() => {}))
      return a
    },
    async raw() {
      const r = await RawBtpClient.open(`ws://127.0.0.1:${stored.j.port}`)
      defer(() => r.terminate())
      return r
    },
    async restart(next = config) {
      await stored.stop()
      return await junction(t, folder, next, deps)
    },
  }
  return h
}

/** A raw BTP auth that Junction refuses: BTP Error `code` with `message`, then close 1008. */
async function assertRefusedAtAuth(h: Harness, username: string, token: string, code: string, message: RegExp): Promise<void> {
  const client = await h.raw()
  const answer = await client.auth(username, token, 42)
  assert.equal(answer.type, Btp.TYPE_ERROR, `expected a BTP Error for ${username}, got frame type ${answer.type}`)
  assert.equal(answer.error!.code, code, answer.error!.data)
  assert.match(answer.error!.data, message)
  assert.equal((await client.closed).code, 1008)
}

/** ilp-plugin-btp's connect() fails; its log has Junction's refusal. */
async function assertPluginRefused(h: Harness, name: string, token: string, message: RegExp): Promise<void> {
  const { lines, log } = recordingLog()
  await assert.rejects(h.app(name, token, { log, connectTimeoutMs: 3000, reconnectIntervals: [60_000] }))
  assert.ok(lines.some((l) => message.test(l)), `ilp-plugin-btp logged the refusal ${message}: ${lines.join(' | ')}`)
}

describe('new-app policy', { timeout: 120_000 }, () => {
  test('allow (default): a new app is approved on first connection, with no budget', { timeout: 30_000 }, async (t) => {
    const h = await junction(t, tempFolder(t))
    const bob = await h.app('bob', 'b')
    const alice = await h.app('alice', 'a')
    assertFulfilled(await alice.pay(`${LOCAL}.bob`, 10))
    const view = await h.api.getApp({ id: 'alice' })
    assert.equal(view.status, 'approved')
    assert.equal(view.budget, null)
    assert.equal(view.connected, true)
    assert.equal(view.named, true)
    assert.equal(view.registered, false)
    assert.equal(view.balance, '10')
    assert.deepEqual(view.spent, { day: '10', week: '10', month: '10' })
    assert.equal(bob.received, 10n)
  })

  test('ask: a pending app gets its address and balance, its payments get T00 until approved', { timeout: 30_000 }, async (t) => {
    const h = await junction(t, tempFolder(t), { newApps: 'ask' })
    await h.api.registerApp({ name: 'bob' }).then(async ({ token }) => await h.app('bob', token))
    const alice = await h.app('alice', 'a')
    assert.equal((await fetchIldcp(alice.plugin)).clientAddress, `${LOCAL}.alice`)
    assert.equal((await fetchPeerBalance(alice.plugin)).balance, 0n)
    const held = await alice.pay(`${LOCAL}.bob`, 10)
    assertReject(held, 'T00', /^app "alice" is waiting for approval in Junction/)
    assert.equal(held.type === 'reject' && held.triggeredBy, LOCAL)
    const listed = await h.api.listApps()
    assert.deepEqual(
      listed.map((a) => [a.id, a.status]).sort(),
      [
        ['alice', 'pending'],
        ['bob', 'approved'],
      ],
    )
    assert.equal((await h.api.status()).apps.pending, 1)

    // Approval takes effect on the same connection, at the next packet.
    await h.api.approveApp({ id: 'alice' })
    assertFulfilled(await alice.pay(`${LOCAL}.bob`, 10))
    assert.equal((await h.api.getApp({ id: 'alice' })).balance, '10')
  })

  test('ask: a STREAM sender keeps retrying while held (T00) and pays once approved', { timeout: 60_000 }, async (t) => {
    const defer = cleanup(t)
    const h = await junction(t, tempFolder(t))
    const receiver = await startStreamReceiver(h.url('bob', 'b'))
    defer(() => receiver.stop())
    await h.api.setNewAppPolicy({ policy: 'ask' })
    const held = await connectPlugin(h.url('alice', 'a'))
    defer(() => disconnectAll(held))
    await eventually(() => h.j.apps.get('alice')?.status === 'pending', 3000, 'alice to be pending')

    // ilp-protocol-stream treats T00 as temporary: it keeps probing the path with backoff instead of failing at the
    // first reject. (A connection whose every probe failed cannot measure the rate any more once approved, so it
    // ends with a connect error; the app's next connection goes through.)
    const rejects: string[] = []
    let inFlight = 0
    const sendData = held.sendData.bind(held)
    held.sendData = async (data: Buffer) => {
      inFlight++
      const reply: Buffer = await sendData(data).finally(() => inFlight--)
      const answer = readIlpReply(reply)
      if (answer.type === 'reject') rejects.push(`${answer.code} ${answer.message}`)
      return reply
    }
    const attempt = streamPay(held, receiver.credentials(), 50_000n, 30_000).then(
      () => 'paid',
      (err: Error) => err.message,
    )
    await sleep(1500)
    assert.ok(rejects.length >= 2, `STREAM retried: ${rejects.length} rejects`)
    for (const r of rejects) assert.match(r, /^T00 app "alice" is waiting for approval in Junction/)
    assert.equal(receiver.total, 0n, 'nothing gets through while pending')
    await h.api.approveApp({ id: 'alice' })
    assert.match(await attempt, /Unable to establish connection|paid/)

    // The app's next connection (one plugin at a time: two with the same credentials would keep replacing each other).
    await eventually(() => inFlight === 0, 5000, "the held connection's last packets to be answered")
    await disconnectAll(held)
    const alice = await connectPlugin(h.url('alice', 'a'))
    defer(() => disconnectAll(alice))
    assert.equal(await streamPay(alice, receiver.credentials(), 50_000n), 50_000n)
    await receiver.waitForTotal(50_000n, 5000)
    assert.equal(receiver.total, 50_000n)
  })

  test('deny: a new app is refused at BTP auth; registered and known apps still connect', { timeout: 30_000 }, async (t) => {
    let h = await junction(t, tempFolder(t))
    const known = await h.app('known', 'k')
    await known.stop()
    await h.api.setNewAppPolicy({ policy: 'deny' })
    h = await h.restart({ apps: [{ name: 'wallet', token: 'wallet-token' }] })
    assert.equal((await h.api.status()).newAppPolicy, 'deny', 'the policy set through the API was saved')

    await assertRefusedAtAuth(h, 'stranger', 's', 'F00', /^Junction does not accept new apps \(new-app policy: deny\); app "stranger" was not let in/)
    await assertPluginRefused(h, 'stranger', 's', /does not accept new apps/)
    // An unnamed app is a new app too.
    await assertRefusedAtAuth(h, '', 'fresh-random', 'F00', /does not accept new apps/)
    assert.equal((await h.api.listApps()).some((a) => a.id === 'stranger'), false, 'a refused app leaves no record')

    const wallet = await h.app('wallet', 'wallet-token')
    const again = await h.app('known', 'k')
    assertFulfilled(await wallet.pay(`${LOCAL}.known`, 5))
    assert.equal(again.received, 5n)
  })
})

describe('managing apps', { timeout: 120_000 }, () => {
  test('block disconnects the app and refuses it until approved; then it reconnects by itself', { timeout: 30_000 }, async (t) => {
    const h = await junction(t, tempFolder(t))
    const bob = await h.app('bob', 'b')
    const { lines, log } = recordingLog()
    const alice = await h.app('alice', 'a', { log, reconnectIntervals: [300] })
    assertFulfilled(await alice.pay(`${LOCAL}.bob`, 1))

    const blocked = await h.api.blockApp({ id: 'alice' })
    assert.equal(blocked.status, 'blocked')
    await eventually(() => !alice.plugin.isConnected(), 3000, 'ilp-plugin-btp to see the disconnect')
    assert.equal(h.j.isAppConnected('alice'), false)
    // Its reconnect attempts are refused at auth.
    await sleep(1000)
    assert.equal(h.j.isAppConnected('alice'), false)
    assert.ok(lines.some((l) => /blocked in Junction/.test(l)), `ilp-plugin-btp saw why: ${lines.join(' | ')}`)
    await assertRefusedAtAuth(h, 'alice', 'a', 'F00', /^app "alice" is blocked in Junction/)
    assert.equal((await h.api.getApp({ id: 'alice' })).connected, false)

    await h.api.approveApp({ id: 'alice' })
    await eventually(() => h.j.isAppConnected('alice') && alice.plugin.isConnected(), 5000, 'alice to reconnect')
    assertFulfilled(await alice.pay(`${LOCAL}.bob`, 1))
    assert.equal(bob.received, 2n)
  })

  test('rename changes the display name only: the address stays', { timeout: 30_000 }, async (t) => {
    const h = await junction(t, tempFolder(t))
    const alice = await h.app('alice', 'a')
    const view = await h.api.renameApp({ id: 'alice', displayName: 'My wallet' })
    assert.equal(view.displayName, 'My wallet')
    assert.equal(view.address, `${LOCAL}.alice`)
    assert.equal((await fetchIldcp(alice.plugin)).clientAddress, `${LOCAL}.alice`)
  })

  test('forget disconnects the app and deletes its record; its ledger and balance stay', { timeout: 30_000 }, async (t) => {
    const h = await junction(t, tempFolder(t))
    await h.app('bob', 'b')
    const alice = await h.app('alice', 'a', { reconnectIntervals: [60_000] })
    assertFulfilled(await alice.pay(`${LOCAL}.bob`, 123))
    await h.api.setAppBudget({ id: 'alice', budget: { amount: '1000', period: 'day' } })
    await sleep(50) // the group commit

    await h.api.forgetApp({ id: 'alice' })
    await eventually(() => !alice.plugin.isConnected(), 3000, 'alice to be disconnected')
    await assert.rejects(h.api.getApp({ id: 'alice' }), /no app "alice"/)
    assert.equal((h.db.prepare("SELECT COUNT(*) AS n FROM apps WHERE id = 'alice'").get() as { n: bigint }).n, 0n)
    const spent = h.db.prepare("SELECT SUM(amount_app) AS s FROM ledger_totals WHERE app_id = 'alice' AND direction = 'spent'").get() as { s: bigint }
    assert.equal(spent.s, 123n, 'the ledger keeps what it spent')

    // It comes back as a new app (policy allow), with its balance and this period's spending.
    const back = await h.app('alice', 'a')
    const view = await h.api.getApp({ id: 'alice' })
    assert.equal(view.budget, null, 'its old settings are gone')
    assert.equal(view.balance, '123')
    assert.equal(view.spent.day, '123')
    assert.ok(back.plugin.isConnected())
  })

  test('unnamed apps are flagged, and forgotten after 7 days idle with their ledger kept', { timeout: 30_000 }, async (t) => {
    const clock = { t: Date.now() }
    const h = await junction(t, tempFolder(t), {}, { now: () => clock.t })
    await h.app('bob', 'b')
    const token = 'ilp-plugin-random-secret'
    const id = tokenDerivedId(token)
    const unnamed = await h.app('', token)
    assertFulfilled(await unnamed.pay(`${LOCAL}.bob`, 7))
    const view = await h.api.getApp({ id })
    assert.equal(view.named, false)
    assert.equal(view.address, `${LOCAL}.${id}`)
    await unnamed.stop()
    await eventually(() => !h.j.isAppConnected(id), 3000, 'the unnamed app to disconnect')
    await sleep(50)

    clock.t += DEFAULT_UNNAMED_IDLE_MS - 60_000
    assert.deepEqual(h.j.apps.forgetIdleUnnamed(), [])
    clock.t += 120_000
    assert.deepEqual(h.j.apps.forgetIdleUnnamed(), [id])
    assert.deepEqual((await h.api.listApps()).map((a) => a.id), ['bob'])
    const spent = h.db.prepare('SELECT SUM(amount_app) AS s FROM ledger_totals WHERE app_id = ?').get(id) as { s: bigint }
    assert.equal(spent.s, 7n)
  })
})

test('a restart keeps apps, statuses, token bindings, display names, budgets and the policy', { timeout: 60_000 }, async (t) => {
  const folder = tempFolder(t)
  let h = await junction(t, folder, { apps: [{ name: 'flagged', token: 'flag-token' }] })
  const { token } = await h.api.registerApp({ name: 'wallet', displayName: 'Wallet' })
  const bob = await h.app('bob', 'b')
  const wallet = await h.app('wallet', token)
  assertFulfilled(await wallet.pay(`${LOCAL}.bob`, 300))
  await h.api.setAppBudget({ id: 'wallet', budget: { amount: '1000', period: 'day' } })
  await h.api.setAppLimits({ id: 'wallet', maxPacketAmount: '500', maxPacketsPerSecond: 100 })
  await h.api.renameApp({ id: 'bob', displayName: 'Bob' })
  await h.app('mallory', 'm')
  await h.api.blockApp({ id: 'mallory' })
  const unnamedId = tokenDerivedId('random-run-token')
  await h.app('', 'random-run-token')
  await h.api.setNewAppPolicy({ policy: 'ask' })
  await h.api.setDefaultBudget({ budget: { amount: '50', period: 'week' } })
  await Promise.all([wallet.stop(), bob.stop()])

  // No flags this time: the registration made by --app is in the database.
  h = await h.restart({})
  const apps = new Map((await h.api.listApps()).map((a) => [a.id, a]))
  assert.deepEqual([...apps.keys()].sort(), ['bob', 'flagged', 'mallory', unnamedId, 'wallet'].sort())
  const w = apps.get('wallet')!
  assert.deepEqual(
    { status: w.status, displayName: w.displayName, registered: w.registered, balance: w.balance, limits: w.limits },
    { status: 'approved', displayName: 'Wallet', registered: true, balance: '300', limits: { maxPacketAmount: '500', maxPacketsPerSecond: 100 } },
  )
  assert.deepEqual({ amount: w.budget!.amount, period: w.budget!.period, spent: w.budget!.spent }, { amount: '1000', period: 'day', spent: '300' })
  assert.equal(apps.get('bob')!.displayName, 'Bob')
  assert.equal(apps.get('mallory')!.status, 'blocked')
  assert.equal(apps.get(unnamedId)!.named, false)
  assert.equal(apps.get('flagged')!.registered, true)
  const status = await h.api.status()
  assert.equal(status.newAppPolicy, 'ask')
  assert.deepEqual(status.defaultBudget, { amount: '50', period: 'week' })

  // Token bindings: the wrong token is still refused after the restart, the right one accepted.
  await assertRefusedAtAuth(h, 'wallet', 'not-the-token', 'F00', /wrong auth_token for app "wallet"/)
  await assertPluginRefused(h, 'wallet', 'not-the-token', /wrong auth_token for app/)
  await assertRefusedAtAuth(h, 'flagged', 'guess', 'F00', /wrong auth_token for app "flagged"/)
  await assertRefusedAtAuth(h, 'mallory', 'm', 'F00', /blocked/)
  const bob2 = await h.app('bob', 'any-token-for-an-unregistered-name')
  const wallet2 = await h.app('wallet', token)
  await h.app('flagged', 'flag-token')
  // The budget (1000/day, 300 spent before the restart) and the limits hold.
  assertReject(await wallet2.pay(`${LOCAL}.bob`, 501), 'F08', /exceeds the maximum of 500/)
  assertFulfilled(await wallet2.pay(`${LOCAL}.bob`, 500))
  assertReject(await wallet2.pay(`${LOCAL}.bob`, 201), 'T04', /reached its budget of 1000 per day \(spent 800; this packet: 201\)/)
  assertFulfilled(await wallet2.pay(`${LOCAL}.bob`, 200))
  assert.equal(bob2.received, 700n)

  // The saved policy applies: a new app is pending, with the saved default budget.
  const newbie = await h.app('newbie', 'n')
  assertReject(await newbie.pay(`${LOCAL}.bob`, 1), 'T00', /waiting for approval/)
  const n = await h.api.getApp({ id: 'newbie' })
  assert.equal(n.status, 'pending')
  assert.deepEqual([n.budget?.amount, n.budget?.period], ['50', 'week'])
})

test('headless flags: --new-apps deny refuses new apps; --default-budget gives new apps a budget', { timeout: 60_000 }, async (t) => {
  const defer = cleanup(t)
  const folder = tempFolder(t)
  const denying = spawnHeadless(['--port', '0', '--data', folder, '--new-apps', 'deny', '--app', 'wallet:wallet-token'])
  defer(() => denying.stop('SIGKILL'))
  const { port } = await denying.ready()
  const url = (name: string, token: string) => `btp+ws://${name}:${token}@127.0.0.1:${port}`
  const { lines, log } = recordingLog()
  await assert.rejects(startApp(url('stranger', 's'), { log, connectTimeoutMs: 3000, reconnectIntervals: [60_000] }))
  assert.ok(lines.some((l) => /does not accept new apps/.test(l)), lines.join(' | '))
  const wallet = await startApp(url('wallet', 'wallet-token'))
  await wallet.stop()
  assert.deepEqual(await denying.stop('SIGTERM'), { code: 0, signal: null })

  const budgeted = spawnHeadless(['--port', '0', '--data', folder, '--default-budget', '100/day'])
  defer(() => budgeted.stop('SIGKILL'))
  const second = await budgeted.ready()
  const url2 = (name: string, token: string) => `btp+ws://${name}:${token}@127.0.0.1:${second.port}`
  const bob = await startApp(url2('bob', 'b'))
  const alice = await startApp(url2('alice', 'a'))
  defer(() => Promise.all([bob.stop(), alice.stop()]))
  assertFulfilled(await alice.pay(`${LOCAL}.bob`, 60))
  assertReject(await alice.pay(`${LOCAL}.bob`, 41), 'T04', /^app "alice" reached its budget of 100 per day \(spent 60; this packet: 41\)/)
  // The registered app from the first run is not new: it got no default budget.
  const walletAgain = await startApp(url2('wallet', 'wallet-token'))
  defer(() => walletAgain.stop())
  assertFulfilled(await walletAgain.pay(`${LOCAL}.bob`, 1000))
  await withTimeout(Promise.all([bob.stop(), alice.stop(), walletAgain.stop()]), 5000, 'apps to stop')
  assert.deepEqual(await budgeted.stop('SIGTERM'), { code: 0, signal: null })
})
