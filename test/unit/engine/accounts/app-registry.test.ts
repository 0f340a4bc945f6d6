// The app registry over its store: the new-app policy, statuses, registration, forgetting (idle unnamed apps with an
// injected clock), and a restart over a real SQLite database keeping apps, statuses, token bindings, names, budgets,
// limits and settings, with each app's spending this period read back from the ledger.
import { after, afterEach, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AppDirectory, tokenDerivedId } from '../../../../app/main/engine/accounts/app-auth'
import { AppError, AppRegistry, type AppRegistryHost, DEFAULT_UNNAMED_IDLE_MS } from '../../../../app/main/engine/accounts/app-registry'
import type { AppState } from '../../../../app/main/engine/accounts/app-state'
import type { Logger } from '../../../../app/main/engine/log'
import { type AppsStore, MemoryAppsStore, SqliteAppsStore } from '../../../../app/main/engine/store/apps-store'
import { type Db, openDatabase } from '../../../../app/main/engine/store/database'

const quiet: Logger = { error() {}, warn() {}, info() {}, debug() {} }

class FakeHost implements AppRegistryHost {
  connected = new Set<string>()
  disconnected: Array<[string, string]> = []
  updates: string[] = []
  forgottenIds: string[] = []
  isConnected(id: string) {
    return this.connected.has(id)
  }
  disconnect(id: string, reason: string) {
    this.disconnected.push([id, reason])
    this.connected.delete(id)
  }
  updated(app: AppState) {
    this.updates.push(app.id)
  }
  forgotten(id: string) {
    this.forgottenIds.push(id)
  }
}

function registry(opts: { store?: AppsStore; now?: { t: number }; newApps?: 'allow' | 'ask' | 'deny'; directory?: AppDirectory } = {}) {
  const now = opts.now ?? { t: Date.parse('2026-11-18T11:00:00Z') }
  const host = new FakeHost()
  const directory = opts.directory ?? new AppDirectory()
  const store = opts.store ?? new MemoryAppsStore()
  const r = new AppRegistry({ store, directory, host, log: quiet, now: () => now.t, newApps: opts.newApps })
  return { r, host, directory, store, now }
}

describe('new-app policy', () => {
  it('allow (the default): a new app is approved, with the default budget if one is set', () => {
    const { r } = registry()
    assert.equal(r.newAppPolicy, 'allow')
    assert.equal(r.admit('alice', true), undefined)
    assert.equal(r.get('alice')!.status, 'approved')
    assert.equal(r.get('alice')!.budget, null, 'moneyd-compatible: no budget unless a default is set')
    r.setDefaultBudget({ amount: 500n, period: 'week' })
    assert.equal(r.admit('bob', true), undefined)
    assert.deepEqual(r.get('bob')!.budget, { amount: 500n, period: 'week' })
    assert.equal(r.get('alice')!.budget, null, 'existing apps keep theirs')
  })

  it('ask: a new app is admitted but pending until approved', () => {
    const { r } = registry({ newApps: 'ask' })
    assert.equal(r.admit('alice', true), undefined)
    assert.equal(r.get('alice')!.status, 'pending')
    assert.equal(r.admit('alice', true), undefined, 'it may reconnect while pending')
    r.approve('alice')
    assert.equal(r.get('alice')!.status, 'approved')
  })

  it('deny: a new app is refused with a message saying new apps are not accepted; known apps still connect', () => {
    const { r } = registry()
    r.admit('known', true)
    r.register('wallet', { token: 'secret' })
    r.setNewAppPolicy('deny')
    assert.match(r.admit('stranger', true)!, /^Junction does not accept new apps \(new-app policy: deny\); app "stranger" was not let in/)
    assert.equal(r.get('stranger'), undefined, 'nothing is recorded for a refused app')
    assert.equal(r.admit('known', true), undefined)
    assert.equal(r.admit('wallet', true), undefined)
  })

  it('a blocked app is refused at auth until approved again', () => {
    const { r } = registry()
    r.admit('alice', true)
    r.block('alice')
    assert.match(r.admit('alice', true)!, /app "alice" is blocked in Junction/)
    r.approve('alice')
    assert.equal(r.admit('alice', true), undefined)
  })
})

describe('managing apps', () => {
  it('block disconnects a connected app with the reason', () => {
    const { r, host } = registry()
    r.admit('alice', true)
    host.connected.add('alice')
    r.block('alice')
    assert.deepEqual(host.disconnected, [['alice', 'app "alice" is blocked in Junction; the user can unblock it on the Apps page']])
  })

  it('rename changes the display name only; null goes back to none', () => {
    const { r } = registry()
    r.admit('alice', true)
    assert.equal(r.rename('alice', 'My Wallet').displayName, 'My Wallet')
    assert.equal(r.get('alice')!.id, 'alice')
    assert.equal(r.rename('alice', null).displayName, null)
  })

  it('set limits: undefined leaves a limit, null removes it; the host applies them', () => {
    const { r, host } = registry()
    r.admit('alice', true)
    r.setLimits('alice', { maxPacketAmount: 1000n, maxPacketsPerSecond: 5 })
    r.setLimits('alice', { maxPacketsPerSecond: null })
    const app = r.get('alice')!
    assert.equal(app.maxPacketAmount, 1000n)
    assert.equal(app.maxPacketsPerSecond, null)
    assert.deepEqual(host.updates, ['alice', 'alice', 'alice'], 'created, then two changes')
  })

  it('forget disconnects, deletes the record and the registration; the app can come back as new', () => {
    const { r, host, directory } = registry()
    const { token } = r.register('wallet')
    host.connected.add('wallet')
    r.setBudget('wallet', { amount: 1n, period: 'day' })
    r.forget('wallet')
    assert.equal(r.get('wallet'), undefined)
    assert.deepEqual(host.forgottenIds, ['wallet'])
    assert.equal(host.disconnected[0][0], 'wallet')
    assert.equal(directory.isRegistered('wallet'), false)
    assert.ok(directory.identify('wallet', 'any other token').ok, 'the name is free again')
    assert.ok(token)
    assert.equal(r.admit('wallet', true), undefined)
    assert.equal(r.get('wallet')!.budget, null)
  })

  it('unknown ids are a not-found AppError', () => {
    const { r } = registry()
    for (const op of [() => r.approve('x'), () => r.block('x'), () => r.rename('x', 'y'), () => r.forget('x'), () => r.setBudget('x', null)]) {
      assert.throws(op, (err: unknown) => err instanceof AppError && err.kind === 'not-found' && /no app "x"/.test(err.message))
    }
  })
})

describe('registering apps', () => {
  it('generates a token once, binds the name to its hash, and refuses other tokens', () => {
    const { r, directory } = registry()
    const { app, token } = r.register('wallet', { displayName: 'Wallet' })
    assert.match(token, /^[A-Za-z0-9_-]{43}$/)
    assert.equal(app.status, 'approved')
    assert.equal(app.displayName, 'Wallet')
    assert.ok(app.tokenHash)
    assert.ok(directory.identify('wallet', token).ok)
    const wrong = directory.identify('wallet', 'guess')
    assert.equal(wrong.ok, false)
  })

  it('refuses to register a registered name again unless replacing its token', () => {
    const { r, directory, host } = registry()
    const first = r.register('wallet').token
    assert.throws(() => r.register('wallet'), (e: unknown) => e instanceof AppError && e.kind === 'conflict')
    host.connected.add('wallet')
    const second = r.register('wallet', { replaceToken: true }).token
    assert.notEqual(first, second)
    assert.equal(directory.identify('wallet', first).ok, false)
    assert.ok(directory.identify('wallet', second).ok)
    assert.match(host.disconnected[0][1], /registered with a new token/)
  })

  it('registering an app known by name keeps its record and approves it if pending', () => {
    const { r } = registry({ newApps: 'ask' })
    r.admit('alice', true)
    r.setBudget('alice', { amount: 5n, period: 'month' })
    const { app } = r.register('alice')
    assert.equal(app.status, 'approved')
    assert.deepEqual(app.budget, { amount: 5n, period: 'month' })
  })

  it('refuses names that are not address segments or look token-derived', () => {
    const { r } = registry()
    assert.throws(() => r.register('a.b'), (e: unknown) => e instanceof AppError && e.kind === 'invalid' && /"\."/.test(e.message))
    assert.throws(() => r.register(tokenDerivedId('x')), /reserved/)
    assert.throws(() => r.register('ok', { token: '' }), /token is empty/)
  })
})

describe('unnamed apps', () => {
  it(`are forgotten after ${DEFAULT_UNNAMED_IDLE_MS / 86400_000} days without a connection; named, connected and blocked ones stay`, () => {
    const now = { t: Date.parse('2026-11-01T00:00:00Z') }
    const { r, host } = registry({ now })
    const idle = tokenDerivedId('run-1')
    const connected = tokenDerivedId('run-2')
    const blocked = tokenDerivedId('run-3')
    const recent = tokenDerivedId('run-4')
    for (const id of [idle, connected, blocked]) r.admit(id, false)
    r.admit('named', true)
    r.block(blocked)
    host.connected.add(connected)
    assert.equal(r.get(idle)!.named, false)

    now.t += DEFAULT_UNNAMED_IDLE_MS - 1000
    r.admit(recent, false)
    assert.deepEqual(r.forgetIdleUnnamed(), [], 'not yet 7 days')
    now.t += 2000
    assert.deepEqual(r.forgetIdleUnnamed(), [idle])
    assert.deepEqual(
      r.list().map((a) => a.id).sort(),
      [connected, blocked, recent, 'named'].sort(),
    )
    // Last seen counts, not creation: an app seen yesterday stays.
    r.seen(connected)
    host.connected.delete(connected)
    now.t += DEFAULT_UNNAMED_IDLE_MS - 1000
    assert.deepEqual(r.forgetIdleUnnamed(), [recent])
    now.t += 2000
    assert.deepEqual(r.forgetIdleUnnamed(), [connected])
  })
})

describe('over SQLite: a restart keeps everything', () => {
  let dir: string
  let dbs: Db[] = []
  const open = () => {
    const db = openDatabase(dir)
    dbs.push(db)
    return db
  }
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'junction-apps-'))
  })
  afterEach(() => {
    for (const db of dbs) if (db.open) db.close()
    dbs = []
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('apps, statuses, token bindings, names, budgets, limits and settings', () => {
    const now = { t: Date.parse('2026-11-18T11:00:00Z') }
    const first = registry({ store: new SqliteAppsStore(open()), now, newApps: 'ask' })
    first.r.setNewAppPolicy('ask')
    first.r.setDefaultBudget({ amount: 777n, period: 'month' })
    const { token } = first.r.register('wallet', { displayName: 'Wallet' })
    first.r.admit('pending-one', true)
    first.r.admit('blocked-one', true)
    first.r.block('blocked-one')
    const unnamed = tokenDerivedId('ilp-plugin-random')
    first.r.admit(unnamed, false)
    first.r.approve(unnamed)
    first.r.rename(unnamed, 'Script')
    first.r.setBudget('wallet', { amount: 1000n, period: 'day' })
    first.r.setLimits('wallet', { maxPacketAmount: 2n ** 63n - 1n, maxPacketsPerSecond: 50 })
    now.t += 60_000
    first.r.seen('wallet')
    dbs[0].close()

    const directory = new AppDirectory()
    const second = registry({ store: new SqliteAppsStore(open()), now, directory })
    const byId = new Map(second.r.list().map((a) => [a.id, a]))
    assert.deepEqual([...byId.keys()].sort(), ['blocked-one', 'pending-one', unnamed, 'wallet'].sort())
    const wallet = byId.get('wallet')!
    assert.equal(wallet.status, 'approved')
    assert.equal(wallet.displayName, 'Wallet')
    assert.deepEqual(wallet.budget, { amount: 1000n, period: 'day' })
    assert.equal(wallet.maxPacketAmount, 2n ** 63n - 1n)
    assert.equal(wallet.maxPacketsPerSecond, 50)
    assert.equal(wallet.lastSeenAt, now.t)
    assert.equal(wallet.named, true)
    assert.equal(byId.get('pending-one')!.status, 'pending')
    assert.deepEqual(byId.get('pending-one')!.budget, { amount: 777n, period: 'month' })
    assert.equal(byId.get('blocked-one')!.status, 'blocked')
    assert.equal(byId.get(unnamed)!.named, false)
    assert.equal(byId.get(unnamed)!.displayName, 'Script')
    assert.equal(byId.get(unnamed)!.tokenHash, null, 'an unregistered app keeps no token hash')
    // Settings saved through the registry (not passed as flags) are back.
    assert.equal(second.r.newAppPolicy, 'ask')
    assert.deepEqual(second.r.newAppBudget, { amount: 777n, period: 'month' })
    // The token binding survived: the right token only.
    assert.ok(directory.identify('wallet', token).ok)
    const wrong = directory.identify('wallet', 'wrong')
    assert.equal(wrong.ok === false && wrong.code, 'F00')
    assert.match(second.r.admit('blocked-one', true)!, /blocked/)
  })

  it('a flag overrides the saved policy and default budget for the run without saving them', () => {
    const a = registry({ store: new SqliteAppsStore(open()) })
    a.r.setNewAppPolicy('deny')
    a.r.setDefaultBudget({ amount: 5n, period: 'day' })
    const b = new AppRegistry({ store: new SqliteAppsStore(open()), directory: new AppDirectory(), host: new FakeHost(), log: quiet, newApps: 'allow', defaultBudget: null })
    assert.equal(b.newAppPolicy, 'allow')
    assert.equal(b.newAppBudget, null)
    const c = registry({ store: new SqliteAppsStore(open()) })
    assert.equal(c.r.newAppPolicy, 'deny')
    assert.deepEqual(c.r.newAppBudget, { amount: 5n, period: 'day' })
    c.r.setDefaultBudget(null)
    assert.equal(registry({ store: new SqliteAppsStore(open()) }).r.newAppBudget, null)
  })

  it("spending this day, week and month comes from ledger_totals at start (every resolution, 'spent' only)", () => {
    const saved = process.env.TZ
    process.env.TZ = 'Europe/Berlin'
    try {
      const db = open()
      const now = Date.parse('2026-11-18T11:00:00Z') // Wed 18 Nov 12:00 CET
      const s = (iso: string) => Math.floor(Date.parse(iso) / 1000)
      const insert = db.prepare(
        `INSERT INTO ledger_totals (app_id, resolution, bucket, direction, packets, amount_app, amount_provider) VALUES (?, ?, ?, ?, 1, ?, ?)`,
      )
      insert.run('spender', 60, s('2026-11-18T10:59:00Z'), 'spent', 5, 999) // today
      insert.run('spender', 60, s('2026-11-17T23:00:00Z'), 'spent', 7, 999) // today 00:00, the first minute
      insert.run('spender', 60, s('2026-11-17T22:59:00Z'), 'spent', 11, 999) // yesterday 23:59
      insert.run('spender', 3600, s('2026-11-16T05:00:00Z'), 'spent', 13, 999) // Monday (an hour bucket)
      insert.run('spender', 3600, s('2026-11-15T22:00:00Z'), 'spent', 17, 999) // Sunday 23:00: last week
      insert.run('spender', 86400, s('2026-11-01T00:00:00Z'), 'spent', 19, 999) // this month (a day bucket)
      insert.run('spender', 86400, s('2026-10-31T00:00:00Z'), 'spent', 23, 999) // last month
      insert.run('spender', 60, s('2026-11-18T10:00:00Z'), 'earned', 1000, 999) // earnings do not count
      insert.run('other', 60, s('2026-11-18T10:00:00Z'), 'spent', 1000, 999)
      const store = new SqliteAppsStore(db)
      const { r } = registry({ store, now: { t: now }, newApps: 'allow' })
      r.admit('spender', true)
      const spend = r.get('spender')!.spend
      assert.equal(spend.day.spent, 5n + 7n)
      assert.equal(spend.week.spent, 5n + 7n + 11n + 13n)
      assert.equal(spend.month.spent, 5n + 7n + 11n + 13n + 17n + 19n)
    } finally {
      if (saved === undefined) delete process.env.TZ
      else process.env.TZ = saved
    }
  })
})
