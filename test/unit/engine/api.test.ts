// The engine API object on an engine in memory (not listening): input validation with readable errors naming the
// field, error codes for unknown apps and conflicts, and answers as plain JSON with amounts as decimal strings.
import { describe, it, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { createEngineApi } from '../../../app/main/engine/api'
import { createConnector } from '../../../app/main/engine/connector'
import { SqliteAppsStore } from '../../../app/main/engine/store/apps-store'
import { openDatabase } from '../../../app/main/engine/store/database'
import { ApiError, type ApiErrorCode, type JunctionApi } from '../../../app/shared/api-types'

function setup() {
  const connector = createConnector({ port: 0 })
  return { connector, api: createEngineApi(connector) }
}

async function rejectsWith(promise: Promise<unknown>, code: ApiErrorCode, message: RegExp, path?: string): Promise<ApiError> {
  try {
    await promise
  } catch (err) {
    assert.ok(err instanceof ApiError, `expected an ApiError, got ${String(err)}`)
    assert.equal(err.code, code, err.message)
    assert.match(err.message, message)
    if (path !== undefined) assert.ok(err.issues.some((i) => i.path === path), `an issue at ${path}: ${JSON.stringify(err.issues)}`)
    return err
  }
  assert.fail(`expected ${code} ${message}`)
}

// Calls with inputs the types forbid, as a misbehaving or outdated caller over IPC would.
const untyped = (api: JunctionApi) => api as unknown as Record<string, (input?: unknown) => Promise<unknown>>

describe('engine API: input validation', () => {
  it('amounts must be decimal strings of base units within 64-bit signed range', async () => {
    const { api } = setup()
    await api.registerApp({ name: 'alice' })
    const call = (amount: unknown) => untyped(api).setAppBudget({ id: 'alice', budget: { amount, period: 'day' } })
    for (const bad of ['1.5', '-1', '', ' 1', '1e6', '0x10', 1000, 1000n, null]) {
      await rejectsWith(call(bad), 'invalid-input', /^setAppBudget: budget\.amount: expected a whole number of base units as a decimal string/, 'budget.amount')
    }
    await rejectsWith(call('9223372036854775808'), 'invalid-input', /budget\.amount: must be at most 9223372036854775807 base units$/)
    // Too many digits is "too large", not "not a number"; a huge string is refused without parsing it.
    await rejectsWith(call('99999999999000000000'), 'invalid-input', /budget\.amount: must be at most 9223372036854775807 base units$/)
    await rejectsWith(call('9'.repeat(10_000)), 'invalid-input', /must be at most/)
    const ok = await api.setAppBudget({ id: 'alice', budget: { amount: '9223372036854775807', period: 'day' } })
    assert.equal(ok.budget!.amount, '9223372036854775807')
  })

  it('periods, policies and unknown fields are named in the error', async () => {
    const { api } = setup()
    await api.registerApp({ name: 'alice' })
    await rejectsWith(
      untyped(api).setAppBudget({ id: 'alice', budget: { amount: '5', period: 'year' } }),
      'invalid-input',
      /budget\.period: expected "day", "week" or "month"/,
      'budget.period',
    )
    await rejectsWith(untyped(api).setNewAppPolicy({ policy: 'maybe' }), 'invalid-input', /^setNewAppPolicy: policy: expected "allow", "ask" or "deny"$/)
    await rejectsWith(untyped(api).approveApp({ id: 'alice', force: true }), 'invalid-input', /^approveApp: unknown field "force" \(expected id\)$/)
    await rejectsWith(untyped(api).setAppBudget({ id: 'alice' }), 'invalid-input', /budget/, 'budget')
  })

  it('a missing or malformed input object, and bad ids', async () => {
    const { api } = setup()
    await rejectsWith(untyped(api).getApp(), 'invalid-input', /^getApp: expected an object with id$/)
    await rejectsWith(untyped(api).getApp('alice'), 'invalid-input', /expected an object with id/)
    await rejectsWith(untyped(api).getApp({}), 'invalid-input', /^getApp: id: expected an app id/, 'id')
    await rejectsWith(untyped(api).blockApp({ id: '' }), 'invalid-input', /id: expected an app id, got an empty string/)
    await rejectsWith(untyped(api).forgetApp({ id: 'a.b' }), 'invalid-input', /id: an app id has only letters/)
  })

  it('limits: positive whole amounts and packets per second', async () => {
    const { api } = setup()
    await api.registerApp({ name: 'alice' })
    await rejectsWith(api.setAppLimits({ id: 'alice', maxPacketAmount: '0' }), 'invalid-input', /maxPacketAmount: must be at least 1/)
    await rejectsWith(api.setAppLimits({ id: 'alice', maxPacketsPerSecond: 0 }), 'invalid-input', /maxPacketsPerSecond: must be at least 1/)
    await rejectsWith(api.setAppLimits({ id: 'alice', maxPacketsPerSecond: 1.5 }), 'invalid-input', /whole number of packets per second/)
    await rejectsWith(untyped(api).setAppLimits({ id: 'alice', maxPacketsPerSecond: '10' }), 'invalid-input', /expected a number/)
  })

  it('display names and app names', async () => {
    const { api } = setup()
    await api.registerApp({ name: 'alice' })
    await rejectsWith(api.renameApp({ id: 'alice', displayName: '   ' }), 'invalid-input', /displayName: a display name cannot be empty; use null/)
    await rejectsWith(api.renameApp({ id: 'alice', displayName: 'a\nb' }), 'invalid-input', /control characters/)
    await rejectsWith(api.renameApp({ id: 'alice', displayName: 'x'.repeat(65) }), 'invalid-input', /at most 64/)
    await rejectsWith(api.registerApp({ name: 'my app' }), 'invalid-input', /^registerApp: name: an app name becomes an ILP address segment, and it contains " "/)
    await rejectsWith(api.registerApp({ name: 'A'.repeat(43) }), 'invalid-input', /reserved for unnamed/)
    assert.equal((await api.renameApp({ id: 'alice', displayName: '  Wallet  ' })).displayName, 'Wallet')
  })

  it('a default budget of 0 is allowed (an app that may only receive); a negative one is not', async () => {
    const { api } = setup()
    assert.deepEqual(await api.setDefaultBudget({ budget: { amount: '0', period: 'week' } }), { amount: '0', period: 'week' })
    await rejectsWith(api.setDefaultBudget({ budget: { amount: '-5', period: 'week' } }), 'invalid-input', /budget\.amount/)
    assert.equal(await api.setDefaultBudget({ budget: null }), null)
  })
})

describe('engine API: outcomes', () => {
  it('unknown apps are not-found, a second registration is a conflict', async () => {
    const { api } = setup()
    await rejectsWith(api.approveApp({ id: 'nobody' }), 'not-found', /no app "nobody" in Junction/)
    await rejectsWith(api.getApp({ id: 'nobody' }), 'not-found', /nobody/)
    await api.registerApp({ name: 'wallet' })
    await rejectsWith(api.registerApp({ name: 'wallet' }), 'conflict', /already registered/)
    const again = await api.registerApp({ name: 'wallet', replaceToken: true })
    assert.match(again.token, /^[A-Za-z0-9_-]{43}$/)
  })

  it('registerApp returns the token once, with the URL; views are plain JSON', async () => {
    const { api, connector } = setup()
    const reg = await api.registerApp({ name: 'wallet', displayName: 'Wallet' })
    assert.equal(reg.url, `btp+ws://wallet:${reg.token}@localhost:${connector.port}`)
    assert.equal(reg.app.registered, true)
    assert.equal(reg.app.status, 'approved')
    assert.equal(reg.app.address, 'private.junction.wallet')
    const view = await api.setAppBudget({ id: 'wallet', budget: { amount: '1000', period: 'week' } })
    assert.deepEqual(
      { ...view.budget, periodStart: typeof view.budget!.periodStart, periodEnd: typeof view.budget!.periodEnd },
      { amount: '1000', period: 'week', spent: '0', inFlight: '0', remaining: '1000', periodStart: 'number', periodEnd: 'number' },
    )
    assert.deepEqual(view.spent, { day: '0', week: '0', month: '0' })
    assert.equal(view.balance, '0')
    assert.equal(view.connected, false)
    // JSON round trip: nothing is lost (no bigint, no Buffer).
    assert.deepEqual(JSON.parse(JSON.stringify(await api.listApps())), await api.listApps())
    assert.equal(JSON.stringify(await api.listApps()).includes('tokenHash'), false, 'no token hash leaves the engine')
  })

  it('limits go onto the account at once', async () => {
    const { api, connector } = setup()
    await api.registerApp({ name: 'alice' })
    const view = await api.setAppLimits({ id: 'alice', maxPacketAmount: '500', maxPacketsPerSecond: 20 })
    assert.deepEqual(view.limits, { maxPacketAmount: '500', maxPacketsPerSecond: 20 })
    const limits = connector.accounts.get('alice')!.limits
    assert.equal(limits.maxPacketAmount, 500n)
    assert.deepEqual(limits.rateLimit, { capacity: 20, refillPerSecond: 20 })
    await api.setAppLimits({ id: 'alice', maxPacketAmount: null })
    assert.equal(connector.accounts.get('alice')!.limits.maxPacketAmount, undefined)
    assert.equal(connector.accounts.get('alice')!.limits.rateLimit?.capacity, 20, 'an absent field is left as it was')
  })

  it('status, policy and default budget', async () => {
    const { api } = setup()
    await api.registerApp({ name: 'a' })
    assert.equal(await api.setNewAppPolicy({ policy: 'ask' }), 'ask')
    assert.equal(await api.getNewAppPolicy(), 'ask')
    await api.setDefaultBudget({ budget: { amount: '42', period: 'day' } })
    const status = await api.status()
    assert.deepEqual(status, {
      address: 'private.junction',
      assetCode: 'XRP',
      assetScale: 9,
      appPort: 0,
      provider: { configured: false, name: null, url: null, state: null, balance: null, minBalance: null, maxBalance: null, latencyMs: null },
      newAppPolicy: 'ask',
      defaultBudget: { amount: '42', period: 'day' },
      apps: { total: 1, connected: 0, pending: 0 },
      paused: false,
    })
    assert.deepEqual(await api.getDefaultBudget(), { amount: '42', period: 'day' })
  })

  it('forgetApp removes the app and its account from the engine', async () => {
    const { api, connector } = setup()
    await api.registerApp({ name: 'alice' })
    assert.ok(connector.accounts.has('alice'))
    await api.forgetApp({ id: 'alice' })
    assert.equal(connector.accounts.has('alice'), false)
    assert.deepEqual(await api.listApps(), [])
  })
})

describe('engine API: the per-app ledger', () => {
  function withDb(t: TestContext) {
    const folder = mkdtempSync(join(tmpdir(), 'junction-api-'))
    const db = openDatabase(folder)
    t.after(() => {
      db.close()
      rmSync(folder, { recursive: true, force: true })
    })
    const connector = createConnector({ port: 0 }, { appsStore: new SqliteAppsStore(db) })
    const s = (iso: string) => Math.floor(Date.parse(iso) / 1000)
    const totals = db.prepare('INSERT INTO ledger_totals (app_id, resolution, bucket, direction, packets, amount_app, amount_provider) VALUES (?, 60, ?, ?, ?, ?, ?)')
    const ledger = db.prepare('INSERT INTO ledger (app_id, resolution, bucket, direction, prefix, packets, amount_app, amount_provider) VALUES (?, 60, ?, ?, ?, ?, ?, ?)')
    totals.run('alice', s('2026-11-18T10:00:00Z'), 'spent', 2, 9_000_000_000_000_000_000n, 1)
    ledger.run('alice', s('2026-11-18T10:00:00Z'), 'spent', 'g.shop', 2, 9_000_000_000_000_000_000n, 1)
    totals.run('alice', s('2026-11-18T10:01:00Z'), 'earned', 1, 5, 5)
    db.prepare("INSERT INTO rejects (app_id, resolution, bucket, code, packets) VALUES ('alice', 60, ?, 'T04', 3)").run(s('2026-11-18T10:00:00Z'))
    return { db, folder, api: createEngineApi(connector, { db }) }
  }
  const day = { from: Date.parse('2026-11-18T00:00:00Z'), to: Date.parse('2026-11-19T00:00:00Z') }

  it('totals, series, destinations and rejects as strings, exact beyond 2^53', async (t) => {
    const { api } = withDb(t)
    assert.deepEqual(await api.ledgerTotals(day), [
      {
        app: 'alice',
        spent: { packets: '2', amountApp: '9000000000000000000', amountProvider: '1' },
        earned: { packets: '1', amountApp: '5', amountProvider: '5' },
      },
    ])
    assert.equal((await api.ledgerAppTotals({ id: 'bob', ...day })).spent.packets, '0')
    const series = await api.ledgerSeries({ id: 'alice', ...day, resolution: 'minute' })
    assert.deepEqual(
      series.map((p) => [new Date(p.start).toISOString(), p.resolution, p.spent.amountApp, p.earned.amountApp]),
      [
        ['2026-11-18T10:00:00.000Z', 'minute', '9000000000000000000', '0'],
        ['2026-11-18T10:01:00.000Z', 'minute', '0', '5'],
      ],
    )
    assert.deepEqual(await api.ledgerTopDestinations({ id: 'alice', ...day, limit: 5 }), [
      { prefix: 'g.shop', packets: '2', amountApp: '9000000000000000000', amountProvider: '1' },
    ])
    assert.deepEqual(await api.ledgerRejects(day), [{ app: 'alice', code: 'T04', packets: '3' }])
    assert.deepEqual(await api.ledgerSpendSeries({ ...day, resolution: 'hour' }), [
      { start: Date.parse('2026-11-18T10:00:00Z'), resolution: 'hour', spent: { alice: '9000000000000000000' } },
    ])
    assert.deepEqual(await api.ledgerDestinations({ ...day }), [{ prefix: 'g.shop', packets: '2', amountApp: '9000000000000000000', amountProvider: '1' }])
    assert.deepEqual(await api.ledgerDestinations({ ...day, id: 'bob' }), [])
    const csv = await api.exportLedgerCsv({ ...day, id: 'alice' })
    assert.match(csv, /^app,app_name,bucket_start/)
    assert.match(csv, /alice,.*g\.shop,2,9000000000000000000,1/)
  })

  it('validates ranges and resolutions', async (t) => {
    const { api } = withDb(t)
    await rejectsWith(api.ledgerTotals({ from: 10, to: 5 }), 'invalid-input', /^ledgerTotals: to: from must not be after to$/)
    await rejectsWith(api.ledgerTotals({ from: 1.5, to: 5 }), 'invalid-input', /from: expected a whole number of Unix milliseconds/)
    await rejectsWith(untyped(api).ledgerSeries({ id: 'alice', ...day, resolution: 'second' }), 'invalid-input', /resolution: expected "minute", "hour" or "day"/)
    await rejectsWith(api.ledgerTopDestinations({ id: 'alice', ...day, limit: 0 }), 'invalid-input', /limit: must be at least 1/)
  })

  it('backs up into the data folder, never to a path from the caller', async (t) => {
    const { api, folder } = withDb(t)
    const backup = await api.backupDatabase()
    assert.equal(dirname(backup.file), join(folder, 'backups'))
    assert.match(backup.file, /junction-\d{8}-\d{6}-\d{3}\.db$/)
    assert.ok(existsSync(backup.file))
    assert.ok(backup.bytes > 0)
    assert.equal(typeof backup.schemaVersion, 'number')
  })

  it("without a database the ledger methods answer 'unavailable'", async () => {
    const { api } = setup()
    await rejectsWith(api.ledgerTotals(day), 'unavailable', /keeps no ledger/)
    await rejectsWith(api.backupDatabase(), 'unavailable', /keeps no ledger/)
  })
})

describe('engine API: node state, pause and settings', () => {
  function withStore(t: TestContext) {
    const folder = mkdtempSync(join(tmpdir(), 'junction-api-'))
    let db = openDatabase(folder)
    t.after(() => {
      if (db.open) db.close()
      rmSync(folder, { recursive: true, force: true })
    })
    const start = () => {
      if (!db.open) db = openDatabase(folder)
      const connector = createConnector({ port: 0, allowOrigins: ['https://flag.example'] }, { appsStore: new SqliteAppsStore(db) })
      return { connector, api: createEngineApi(connector, { db }) }
    }
    return { folder, start, restart: () => (db.close(), start()) }
  }

  it('pause and resume: status, event, kept in the settings table across a restart', async (t) => {
    const s = withStore(t)
    let { connector, api } = s.start()
    const events: boolean[] = []
    connector.on('paused', (p) => events.push(p))
    assert.equal((await api.status()).paused, false)
    assert.deepEqual(await api.pause(), { paused: true })
    assert.deepEqual(await api.pause(), { paused: true })
    assert.deepEqual(events, [true], 'pausing twice is one change')
    ;({ connector, api } = s.restart())
    assert.equal((await api.status()).paused, true, 'still paused after a restart')
    assert.deepEqual(await api.resume(), { paused: false })
    ;({ connector, api } = s.restart())
    assert.equal(connector.paused, false)
  })

  it('settings: the view, changes kept across a restart, one settingsChanged event per change', async (t) => {
    const s = withStore(t)
    let { connector, api } = s.start()
    const before = await api.getSettings()
    assert.deepEqual(before, {
      dataFolder: s.folder,
      appPort: 0,
      uiPort: null,
      newAppPolicy: 'allow',
      defaultBudget: null,
      allowedOrigins: ['https://flag.example'],
      logLevel: before.logLevel,
      logFile: null,
      startAtLogin: null,
      closeToTray: null,
      shell: 'headless',
    })
    const seen: unknown[] = []
    connector.on('settingsChanged', (v) => seen.push(v))
    const after = await api.setSettings({
      newAppPolicy: 'ask',
      defaultBudget: { amount: '5000', period: 'week' },
      allowedOrigins: ['https://app.example', 'https://flag.example'],
    })
    assert.equal(after.newAppPolicy, 'ask')
    assert.deepEqual(after.defaultBudget, { amount: '5000', period: 'week' })
    assert.deepEqual(after.allowedOrigins, ['https://flag.example', 'https://app.example'])
    assert.deepEqual(seen, [after])
    ;({ connector, api } = s.restart())
    const again = await api.getSettings()
    assert.equal(again.newAppPolicy, 'ask')
    assert.deepEqual(again.defaultBudget, { amount: '5000', period: 'week' })
    assert.deepEqual(again.allowedOrigins, ['https://flag.example', 'https://app.example'])
    // Clearing the user's list keeps the --allow-origin ones.
    assert.deepEqual((await api.setSettings({ allowedOrigins: [] })).allowedOrigins, ['https://flag.example'])
  })

  it('settings: invalid ones are refused naming the field, and nothing changes', async (t) => {
    const { api } = withStore(t).start()
    await rejectsWith(untyped(api).setSettings({ allowedOrigins: ['https://a.example/path'] }), 'invalid-input', /allowedOrigins\.0: expected an origin/, 'allowedOrigins.0')
    await rejectsWith(untyped(api).setSettings({ logLevel: 'loud' }), 'invalid-input', /logLevel: expected "error", "warn", "info" or "debug"/, 'logLevel')
    await rejectsWith(untyped(api).setSettings({ appPort: 1 }), 'invalid-input', /unknown field "appPort"/)
    await rejectsWith(
      api.setSettings({ newAppPolicy: 'deny', startAtLogin: true }),
      'invalid-input',
      /startAtLogin: startAtLogin is a desktop app setting; headless mode has none/,
      'startAtLogin',
    )
    assert.equal((await api.getSettings()).newAppPolicy, 'allow', 'a refused change changes nothing')
  })

  it('accounts and routes of a local-mode engine', async () => {
    const { api } = setup()
    await api.registerApp({ name: 'alice', displayName: 'Alice' })
    await api.setAppLimits({ id: 'alice', maxPacketAmount: '10' })
    assert.deepEqual(await api.listAccounts(), [
      { id: 'alice', relation: 'child', label: 'Alice', link: 'disconnected', balance: '0', minBalance: null, maxBalance: null, packets: { fulfilled: 0, rejected: 0 } },
    ])
    assert.deepEqual(await api.listRoutes(), [
      { prefix: 'private.junction', nextHop: '', source: 'local', path: [], expiresAt: null },
      { prefix: 'private.junction.alice', nextHop: 'alice', source: 'child', path: [], expiresAt: null },
    ])
  })

  it('recentPackets validates its limit; empty before any packet', async () => {
    const { api } = setup()
    assert.deepEqual(await api.recentPackets({}), [])
    assert.deepEqual(await api.recentPackets(undefined), [])
    await rejectsWith(api.recentPackets({ limit: 1001 }), 'invalid-input', /limit: must be at most 1000/, 'limit')
  })

  it('diagnostics: text with the version, the settings and the paused state', async () => {
    const { api } = setup()
    await api.pause()
    const text = await api.diagnostics()
    assert.match(text, /^Junction diagnostics, /)
    assert.match(text, /Junction \d+\.\d+\.\d+ \(headless\)/)
    assert.match(text, /paused: yes/)
    assert.match(text, /provider \(none\): no provider \(local mode\)/)
  })
})
