// kill -9 under load. Real apps (ilp-plugin-btp, several, 20 packets in flight each) pay through Junction (headless,
// a child process) to a fulfiller on a real ILSP (ilp-connector 23 in this process, with its balance middleware on
// Junction's account and its admin API to read it). Junction is killed with SIGKILL at random moments and started
// again on the same data folder; the apps' plugins reconnect by themselves. After every restart:
//  - each app's peer.balance B: F ≤ B ≤ F + U, where F is what the app saw fulfilled and U what it had in flight
//    (sent, neither fulfilled nor rejected) at the kills: nothing seen fulfilled is lost, nothing counted twice;
//  - the apps' balances sum to what Junction owes its provider (one commit writes both sides);
//  - the ILSP's books bracket Junction's the same way: −parent ≤ fulfiller's total ≤ −parent + ΣU, and the same for
//    ilp-connector's balance of Junction's account;
//  - each app's ledger (spent) equals its balance: the ledger row is part of the same commit.
import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import Database from 'better-sqlite3'
import { DATABASE_FILE } from '../../app/main/engine/store/database'
import { type HeadlessProcess, spawnHeadless } from '../support/headless'
import { startFulfiller, type Fulfiller } from '../support/ilsp'
import { cleanup, fetchPeerBalance, waitUntil, withTimeout } from '../support/junction'
import { freePort, miniAccountsChild, startRealConnector } from '../support/real-connector'

const require = createRequire(import.meta.url)
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any
const BtpPlugin = require('ilp-plugin-btp')
const IlpPacket = require('ilp-packet')

const KILLS = 10
const APPS = 4
const CONCURRENCY = 20
/** Prepares expire after this; the apps' plugins give up on an answer a little later. */
const EXPIRY_MS = 4000
const RESPONSE_TIMEOUT_MS = 6000

interface CrashIlsp {
  /** BTP URL on the account that only Junction uses (ilp-connector keeps a balance for it). */
  junctionUrl: string
  /** BTP URL for other clients (the fulfiller). */
  clientUrl(user: string): string
  /** ilp-connector's balance of Junction's account (positive: Junction owes the ILSP). */
  junctionBalance(): Promise<bigint>
  stop(): Promise<void>
}

/** ilp-connector with Junction alone on one account (so that its balance is Junction's) and clients on another. */
async function startCrashIlsp(): Promise<CrashIlsp> {
  const [jnPort, clientPort] = [await freePort(), await freePort()]
  const ilsp = await startRealConnector({
    address: 'test.ilsp',
    accounts: {
      jn: { ...miniAccountsChild(jnPort), balance: { minimum: '-Infinity', maximum: '1000000000000000000' } },
      clients: miniAccountsChild(clientPort),
    },
  })
  await ilsp.listening
  return {
    junctionUrl: `btp+ws://junction:secret@127.0.0.1:${jnPort}`,
    clientUrl: (user) => `btp+ws://${user}:secret@127.0.0.1:${clientPort}`,
    junctionBalance: () => ilsp.balance('jn'),
    stop: ilsp.stop,
  }
}

/** One app: a BTP plugin on Junction keeping CONCURRENCY prepares in flight to the fulfiller while it runs. */
class PayingApp {
  readonly plugin: Any
  /** Sum of the amounts of the fulfills it received (F). */
  fulfilled = 0n
  fulfilledCount = 0
  /** Sum of the amounts that were in flight and never answered at the kills (U). */
  unresolved = 0n
  unresolvedCount = 0
  readonly rejects = new Map<string, number>()
  errors = 0
  /** Answers that arrived for a packet already counted as unresolved: must never be a fulfill. */
  late = { fulfills: 0, others: 0 }
  private readonly inFlight = new Map<number, bigint>()
  private readonly abandoned = new Set<number>()
  private running = false
  private seq = 0

  constructor(
    readonly name: string,
    url: string,
    private readonly fulfiller: Fulfiller,
  ) {
    // Reconnect every 50 ms while Junction is down; answers awaited a little longer than prepares live.
    this.plugin = new BtpPlugin({ server: url, reconnectIntervals: [50], responseTimeout: RESPONSE_TIMEOUT_MS })
    this.plugin.on('connect', () => this.pump())
  }

  get connected(): boolean {
    return this.plugin.isConnected()
  }

  get pending(): number {
    return this.inFlight.size
  }

  start(): void {
    this.running = true
    this.pump()
  }

  pause(): void {
    this.running = false
  }

  /** The packets in flight right now (id → amount). */
  snapshot(): Map<number, bigint> {
    return new Map(this.inFlight)
  }

  /** After the kill: the packets of `snapshot` still unanswered will never be answered; count them as unresolved. */
  abandon(snapshot: Map<number, bigint>): { count: number; amount: bigint } {
    let count = 0
    let amount = 0n
    for (const [id, a] of snapshot) {
      if (!this.inFlight.has(id)) continue
      this.inFlight.delete(id)
      this.abandoned.add(id)
      count++
      amount += a
    }
    this.unresolved += amount
    this.unresolvedCount += count
    return { count, amount }
  }

  private pump(): void {
    while (this.running && this.connected && this.inFlight.size < CONCURRENCY) this.sendOne()
  }

  private sendOne(): void {
    const id = this.seq++
    const amount = BigInt(1 + Math.floor(Math.random() * 1000))
    this.inFlight.set(id, amount)
    const prepare = IlpPacket.serializeIlpPrepare({
      destination: this.fulfiller.address,
      amount: amount.toString(),
      executionCondition: this.fulfiller.condition,
      expiresAt: new Date(Date.now() + EXPIRY_MS),
      // Unique data: neither Junction nor ilp-connector may answer it as a duplicate of another.
      data: Buffer.from(`${this.name}:${id}:${randomBytes(4).toString('hex')}`),
    })
    ;(this.plugin.sendData(prepare) as Promise<Buffer>).then(
      (reply) => this.settle(id, amount, reply, undefined),
      (err: Error) => this.settle(id, amount, undefined, err),
    )
  }

  private settle(id: number, amount: bigint, reply: Buffer | undefined, err: Error | undefined): void {
    let outcome: 'fulfill' | 'reject' | 'error' = 'error'
    let code = ''
    if (reply) {
      const packet = IlpPacket.deserializeIlpPacket(reply)
      if (packet.type === IlpPacket.Type.TYPE_ILP_FULFILL) {
        assert.ok(createHash('sha256').update(packet.data.fulfillment).digest().equals(this.fulfiller.condition), 'a fulfill with the right fulfillment')
        outcome = 'fulfill'
      } else {
        outcome = 'reject'
        code = packet.data.code
      }
    }
    if (this.abandoned.delete(id)) {
      if (outcome === 'fulfill') this.late.fulfills++
      else this.late.others++
      return
    }
    if (!this.inFlight.delete(id)) return
    if (outcome === 'fulfill') {
      this.fulfilled += amount
      this.fulfilledCount++
    } else if (outcome === 'reject') {
      this.rejects.set(code, (this.rejects.get(code) ?? 0) + 1)
    } else {
      this.errors++
      void err
    }
    this.pump()
  }
}

interface Books {
  /** Junction's balance with its provider, from its database (negative: Junction owes). */
  parent: bigint
  /** Each app's balance and ledger total (spent, app units), from the database. */
  apps: Map<string, { balance: bigint; spent: bigint }>
}

function readBooks(file: string): Books {
  const db = new Database(file, { readonly: true, fileMustExist: true })
  db.defaultSafeIntegers(true)
  try {
    const parent = (db.prepare(`SELECT balance FROM accounts WHERE id = 'parent'`).pluck().get() as bigint | undefined) ?? 0n
    const apps = new Map<string, { balance: bigint; spent: bigint }>()
    for (const row of db.prepare(`SELECT id, balance FROM accounts WHERE relation = 'child'`).all() as Array<{ id: string; balance: bigint }>) {
      apps.set(row.id, { balance: row.balance, spent: 0n })
    }
    for (const row of db.prepare(`SELECT app_id, sum(amount_app) AS spent FROM ledger WHERE direction = 'spent' GROUP BY app_id`).all() as Array<{ app_id: string; spent: bigint }>) {
      const a = apps.get(row.app_id) ?? { balance: 0n, spent: 0n }
      a.spent = row.spent
      apps.set(row.app_id, a)
    }
    return { parent, apps }
  } finally {
    db.close()
  }
}

test(`kill -9 under load, ${KILLS} times: every app keeps what it saw fulfilled, nothing is counted twice, the ILSP brackets Junction`, { timeout: 120_000 }, async (t) => {
  const started = Date.now()
  const defer = cleanup(t)
  const data = mkdtempSync(join(tmpdir(), 'junction-crash-'))
  defer(() => rmSync(data, { recursive: true, force: true }))
  chmodSync(data, 0o755)
  const file = join(data, DATABASE_FILE)

  const ilsp = await startCrashIlsp()
  defer(() => ilsp.stop())
  const fulfiller = await startFulfiller(ilsp.clientUrl('fulfiller'))
  defer(() => fulfiller.stop())

  const port = await freePort()
  const args = ['--parent', ilsp.junctionUrl, '--data', data, '--port', String(port)]
  let junction: HeadlessProcess = spawnHeadless(args)
  defer(() => junction.stop('SIGKILL'))
  const { address } = await junction.ready()
  assert.equal(address, 'test.ilsp.jn.junction')

  const apps = Array.from({ length: APPS }, (_, i) => new PayingApp(`app${i}`, `btp+ws://app${i}:token-${i}@127.0.0.1:${port}`, fulfiller))
  defer(async () => {
    for (const app of apps) app.pause()
    await Promise.all(apps.map((a) => withTimeout(Promise.resolve(a.plugin.disconnect()), 5000, 'disconnect').catch(() => {})))
  })
  await Promise.all(apps.map((a) => withTimeout(a.plugin.connect(), 10_000, `${a.name} to connect`)))

  /** Every invariant, with Junction running and the apps connected (their load paused). */
  const check = async (when: string) => {
    const totalU = apps.reduce((s, a) => s + a.unresolved, 0n)
    let sumB = 0n
    for (const app of apps) {
      const b = (await fetchPeerBalance(app.plugin)).balance
      sumB += b
      assert.ok(b >= app.fulfilled, `${when}: ${app.name}'s balance ${b} is less than the ${app.fulfilled} it saw fulfilled — a fulfill was lost`)
      assert.ok(
        b <= app.fulfilled + app.unresolved,
        `${when}: ${app.name}'s balance ${b} exceeds fulfilled ${app.fulfilled} + unresolved ${app.unresolved} — counted twice`,
      )
      assert.equal(app.late.fulfills, 0, `${when}: ${app.name} got a fulfill after the kill for a packet counted as unresolved`)
    }
    const books = readBooks(file)
    assert.equal(sumB, -books.parent, `${when}: the apps' balances sum to what Junction owes its provider`)
    for (const app of apps) {
      const row = books.apps.get(app.name) ?? { balance: 0n, spent: 0n }
      assert.equal(row.spent, row.balance, `${when}: ${app.name}'s ledger (spent) equals its balance`)
    }
    const owed = -books.parent
    const received = fulfiller.received.amount
    assert.ok(owed <= received && received <= owed + totalU, `${when}: fulfiller received ${received}, Junction owes ${owed}, unresolved ${totalU}`)
    const ilspView = await ilsp.junctionBalance()
    assert.ok(owed <= ilspView && ilspView <= owed + totalU, `${when}: ilp-connector's balance of Junction ${ilspView}, Junction owes ${owed}, unresolved ${totalU}`)
    return { owed, received, ilspView, totalU }
  }

  const kills: Array<{ inFlight: number; unresolved: number; unresolvedAmount: bigint; forwardedUnseen: bigint; restartMs: number; fulfilledBefore: number }> = []
  for (const app of apps) app.start()
  for (let k = 1; k <= KILLS; k++) {
    // Run for a random while, with packets in flight.
    const fulfilledAtStart = apps.reduce((s, a) => s + a.fulfilledCount, 0)
    await new Promise((r) => setTimeout(r, 300 + Math.random() * 900))
    await waitUntil(() => apps.reduce((s, a) => s + a.fulfilledCount, 0) > fulfilledAtStart + 50, 10_000, 'payments to flow')

    // Kill: stop issuing, note what is in flight, SIGKILL — all in the same turn, so nothing is answered in between.
    for (const app of apps) app.pause()
    const snapshots = apps.map((a) => a.snapshot())
    junction.child.kill('SIGKILL')
    const exit = await junction.exited
    assert.equal(exit.signal, 'SIGKILL')
    // Once each app has seen its connection close, every answer Junction wrote before dying has been read.
    await waitUntil(() => apps.every((a) => !a.connected), 5000, 'the apps to see the connection drop')
    let unresolved = 0
    let unresolvedAmount = 0n
    apps.forEach((app, i) => {
      const u = app.abandon(snapshots[i])
      unresolved += u.count
      unresolvedAmount += u.amount
    })
    const inFlight = snapshots.reduce((s, m) => s + m.size, 0)
    assert.ok(inFlight > 0, `kill ${k}: packets were in flight`)

    // Start again on the same folder; the plugins reconnect by themselves.
    const restartAt = Date.now()
    junction = spawnHeadless(args)
    assert.equal((await junction.ready()).address, address)
    await waitUntil(() => apps.every((a) => a.connected), 10_000, 'the apps to reconnect')
    const restartMs = Date.now() - restartAt
    const c = await check(`after kill ${k}`)
    kills.push({ inFlight, unresolved, unresolvedAmount, forwardedUnseen: c.received - c.owed, restartMs, fulfilledBefore: apps.reduce((s, a) => s + a.fulfilledCount, 0) })
    for (const app of apps) app.start()
  }

  // A last stretch, then a clean stop: the books on disk still hold.
  await new Promise((r) => setTimeout(r, 300))
  for (const app of apps) app.pause()
  await waitUntil(() => apps.every((a) => a.pending === 0), 10_000, 'the last packets to be answered')
  const final = await check('at the end')
  assert.deepEqual(await junction.stop('SIGTERM'), { code: 0, signal: null })
  const books = readBooks(file)
  assert.equal(-books.parent, final.owed, 'a clean stop changes nothing')

  const fulfilled = apps.reduce((s, a) => s + a.fulfilledCount, 0)
  const rejects = new Map<string, number>()
  for (const a of apps) for (const [code, n] of a.rejects) rejects.set(code, (rejects.get(code) ?? 0) + n)
  const inFlight = kills.map((k) => k.inFlight)
  const lines = [
    `crash test: ${KILLS} kills in ${((Date.now() - started) / 1000).toFixed(1)} s, ${APPS} apps × ${CONCURRENCY} in flight`,
    `  fulfilled ${fulfilled} packets (${apps.reduce((s, a) => s + a.fulfilled, 0n)} units); rejects ${[...rejects].map(([c, n]) => `${c}×${n}`).join(' ') || 'none'}; errors ${apps.reduce((s, a) => s + a.errors, 0)}`,
    `  in flight at the kills (app side): ${inFlight.join(', ')} (total ${inFlight.reduce((a, b) => a + b, 0)}, min ${Math.min(...inFlight)}, max ${Math.max(...inFlight)})`,
    `  unresolved after each kill: ${kills.map((k) => k.unresolved).join(', ')} packets; total ${apps.reduce((s, a) => s + a.unresolved, 0n)} units`,
    `  fulfilled at the ILSP but never seen by the apps: ${final.received - final.owed} units not in Junction's books, ` +
      `${final.owed - apps.reduce((s, a) => s + a.fulfilled, 0n)} units in them (committed, the fulfill lost with the link)`,
    `  ILSP: fulfiller received ${final.received}, ilp-connector's balance of Junction ${final.ilspView}; Junction owes ${final.owed}`,
    `  restart to all apps reconnected: ${kills.map((k) => k.restartMs).join(', ')} ms`,
  ]
  for (const line of lines) t.diagnostic(line)
  assert.ok(Date.now() - started < 90_000, 'bounded time')
})
