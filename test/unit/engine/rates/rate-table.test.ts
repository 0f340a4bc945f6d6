// The static rate table between assets: conversions are floor(amount × rate × (1 − spread) × 10^(toScale − fromScale))
// exactly, checked against a rational computed here independently (random pairs, scales 0–18, spreads, amounts up
// to 2^64−1), never negative, never above the exact value, monotone; the inverse direction; a missing pair; the
// cache following table changes; saving in the settings; the router's rejects; the API's getRates/setRates.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createEngineApi } from '../../../../app/main/engine/api'
import { createConnector } from '../../../../app/main/engine/connector'
import { IlpFailure } from '../../../../app/main/engine/ilp/ilp-failure'
import type { Account } from '../../../../app/main/engine/accounts/account'
import { loadRateTable, saveRates, SETTING_RATES_SPREAD, SETTING_RATES_TABLE } from '../../../../app/main/engine/rates/rate-settings'
import { RateTable, RateTableError } from '../../../../app/main/engine/rates/rate-table'
import { Router } from '../../../../app/main/engine/routing/router'
import { RoutingTable } from '../../../../app/main/engine/routing/routing-table'
import { MemoryAppsStore } from '../../../../app/main/engine/store/apps-store'
import { ApiError, type RatesView } from '../../../../app/shared/api-types'
import { engineConfig, type HeadlessArgs, parseHeadlessArgs } from '../../../../app/main/headless-args'
import { seededRandom } from '../../../support/seeded-random'
import { account, context, MemoryLink, OWN_ADDRESS } from '../../factories'

const UINT64_MAX = (1n << 64n) - 1n
const CODES = ['USD', 'EUR', 'XRP', 'BTC', 'JPY', 'ETH']

/** A decimal string as a fraction, the schoolbook way (no code shared with the engine). */
function decimal(text: string): [bigint, bigint] {
  const [whole, frac = ''] = text.split('.')
  return [BigInt(whole + frac), 10n ** BigInt(frac.length)]
}

/** A random decimal with up to `maxWhole` digits before and `maxFrac` after the point (maybe none after). */
function randomDecimal(r: ReturnType<typeof seededRandom>, maxWhole: number, maxFrac: number): string {
  const digits = (n: number) => Array.from({ length: n }, () => String(r.int(10))).join('')
  const whole = digits(1 + r.int(maxWhole)).replace(/^0+(?=\d)/, '')
  const frac = r.int(3) === 0 ? '' : digits(1 + r.int(maxFrac))
  return frac ? `${whole}.${frac}` : whole
}

function randomAmount(r: ReturnType<typeof seededRandom>): bigint {
  switch (r.int(4)) {
    case 0:
      return BigInt(r.int(1000))
    case 1:
      return UINT64_MAX - BigInt(r.int(3))
    default:
      return r.u64() >> BigInt(r.int(64))
  }
}

describe('rate table: conversions', () => {
  it('convert is floor of the exact value, never negative, never above it, monotone; the inverse pair too', () => {
    const seed = 0x5a7e5
    const r = seededRandom(seed)
    for (let i = 0; i < 400; i++) {
      const a = CODES[r.int(CODES.length)]
      let b = CODES[r.int(CODES.length)]
      if (b === a) b = `${a}X`
      let rate = randomDecimal(r, 18, 18)
      if (!/[1-9]/.test(rate)) rate = '1'
      const spread = r.int(4) === 0 ? '0' : `0.${randomDecimal(r, 18, 1).replace('.', '').padStart(1 + r.int(18), '0').slice(0, 18)}`
      const table = new RateTable({ spread, pairs: [{ from: a, to: b, rate }] })
      const [rn, rd] = decimal(rate)
      const [sn, sd] = decimal(spread)
      for (const inverse of [false, true]) {
        const fromScale = r.int(19)
        const toScale = r.int(19)
        const from = { code: inverse ? b : a, scale: fromScale }
        const to = { code: inverse ? a : b, scale: toScale }
        // Whole units: 1 from = rate to (or 1/rate the other way); base units: × 10^toScale / 10^fromScale.
        const num = (inverse ? rd : rn) * (sd - sn) * 10n ** BigInt(toScale)
        const den = (inverse ? rn : rd) * sd * 10n ** BigInt(fromScale)
        const where = `seed ${seed} case ${i}: 1 ${a} = ${rate} ${b}, spread ${spread}, ${from.code}:${fromScale} → ${to.code}:${toScale}`
        const exact = table.exactRate(from, to)!
        assert.equal(exact.numerator * den, num * exact.denominator, `${where}: the fraction`)
        let previous = -1n
        const amounts = [0n, 1n, UINT64_MAX, ...Array.from({ length: 12 }, () => randomAmount(r))].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0))
        for (const amount of amounts) {
          const out = table.convert(amount, from, to)!
          assert.equal(out, (amount * num) / den, `${where}: floor at ${amount}`)
          assert.ok(out >= 0n, `${where}: negative at ${amount}`)
          assert.ok(out * den <= amount * num, `${where}: above the exact value at ${amount}`)
          assert.ok(out >= previous, `${where}: not monotone at ${amount}`)
          previous = out
        }
      }
    }
  })

  it('the inverse of a pair is exactly 1/rate: there and back never gains', () => {
    const table = new RateTable({ pairs: [{ from: 'USD', to: 'EUR', rate: '0.3' }] })
    const usd = { code: 'USD', scale: 2 }
    const eur = { code: 'EUR', scale: 2 }
    assert.deepEqual(table.exactRate(usd, eur), { numerator: 3n, denominator: 10n })
    assert.deepEqual(table.exactRate(eur, usd), { numerator: 10n, denominator: 3n })
    assert.equal(table.convert(100n, eur, usd), 333n) // 333.33… rounded down
    assert.equal(table.convert(333n, usd, eur), 99n) // 99.9 rounded down: never more than went in
  })

  it('worked examples: rate, spread and scales together', () => {
    const table = new RateTable({ spread: '0.01', pairs: [{ from: 'BTC', to: 'USD', rate: '50000' }] })
    // 1 satoshi (BTC scale 8) → USD cents (scale 2): 50000 × 0.99 × 10^(2−8) = 0.0495 → 0.
    assert.equal(table.convert(1n, { code: 'BTC', scale: 8 }, { code: 'USD', scale: 2 }), 0n)
    // 1 BTC in satoshis → 4,950,000 cents.
    assert.equal(table.convert(100_000_000n, { code: 'BTC', scale: 8 }, { code: 'USD', scale: 2 }), 4_950_000n)
    // $1 → 1/50000 BTC × 0.99 = 1980 satoshis.
    assert.equal(table.convert(100n, { code: 'USD', scale: 2 }, { code: 'BTC', scale: 8 }), 1980n)
  })

  it('equal codes and an empty table convert one to one (scales and spread apply)', () => {
    const empty = new RateTable({ spread: '0.5' })
    assert.equal(empty.convert(1000n, { code: 'USD', scale: 2 }, { code: 'XRP', scale: 3 }), 5000n)
    const table = new RateTable({ pairs: [{ from: 'USD', to: 'EUR', rate: '0.9' }] })
    assert.equal(table.convert(UINT64_MAX, { code: 'XRP', scale: 9 }, { code: 'XRP', scale: 9 }), UINT64_MAX)
    assert.equal(table.convert(12399n, { code: 'XRP', scale: 4 }, { code: 'XRP', scale: 2 }), 123n)
  })

  it('a pair that is not in a non-empty table has no rate', () => {
    const table = new RateTable({ pairs: [{ from: 'USD', to: 'EUR', rate: '0.9' }] })
    const xrp = { code: 'XRP', scale: 9 }
    const usd = { code: 'USD', scale: 2 }
    assert.equal(table.exactRate(xrp, usd), undefined)
    assert.equal(table.convert(1000n, xrp, usd), undefined)
    assert.equal(table.convert(1000n, usd, xrp), undefined)
  })

  it('a change applies at once: cached fractions are dropped', () => {
    const table = new RateTable({ pairs: [{ from: 'USD', to: 'EUR', rate: '2' }] })
    const usd = { code: 'USD', scale: 0 }
    const eur = { code: 'EUR', scale: 0 }
    const xrp = { code: 'XRP', scale: 0 }
    assert.equal(table.convert(10n, usd, eur), 20n)
    assert.equal(table.convert(10n, usd, xrp), undefined)
    table.set({ pairs: [{ from: 'EUR', to: 'USD', rate: '4' }, { from: 'XRP', to: 'USD', rate: '0.5' }] })
    assert.equal(table.convert(10n, usd, eur), 2n)
    assert.equal(table.convert(10n, usd, xrp), 20n)
    table.set({ spread: '0.5' })
    assert.equal(table.convert(10n, usd, xrp), 10n)
    assert.equal(table.pairs.length, 2, 'setting the spread keeps the pairs')
  })

  it('refuses a bad table as a whole, naming the problem, and keeps the old one', () => {
    const table = new RateTable({ pairs: [{ from: 'USD', to: 'EUR', rate: '2' }] })
    const bad: Array<[Parameters<RateTable['set']>[0], RegExp]> = [
      [{ pairs: [{ from: 'USD', to: 'EUR', rate: '2' }, { from: 'EUR', to: 'USD', rate: '0.5' }] }, /EUR\/USD is given twice/],
      [{ pairs: [{ from: 'USD', to: 'USD', rate: '1' }] }, /from USD to itself/],
      [{ pairs: [{ from: 'USD', to: 'EUR', rate: '0.000' }] }, /above 0/],
      [{ pairs: [{ from: 'USD', to: 'EUR', rate: '-1' }] }, /invalid rate "-1"/],
      [{ pairs: [{ from: 'USD', to: 'EUR', rate: '1e3' }] }, /invalid rate/],
      [{ pairs: [{ from: 'U SD', to: 'EUR', rate: '1' }] }, /invalid asset code "U SD"/],
      [{ spread: '1' }, /invalid spread "1"/],
    ]
    for (const [change, message] of bad) {
      assert.throws(() => table.set(change), (err: Error) => err instanceof RateTableError && message.test(err.message), JSON.stringify(change))
    }
    assert.deepEqual(table.view(), { spread: '0', pairs: [{ from: 'USD', to: 'EUR', rate: '2' }] })
    assert.equal(table.convert(1n, { code: 'USD', scale: 0 }, { code: 'EUR', scale: 0 }), 2n)
  })
})

describe('rate table: the router', () => {
  function setup(rates: RateTable) {
    const app = account('alice', { assetCode: 'XRP', assetScale: 9 })
    const peer = account('peer:lab', { relation: 'peer', assetCode: 'USD', assetScale: 2 })
    const accounts = new Map<string, Account>([app, peer].map((a) => [a.id, a]))
    for (const a of accounts.values()) a.link = new MemoryLink()
    const table = new RoutingTable()
    table.add({ prefix: 'test.lab', accountId: 'peer:lab', source: 'configured' })
    const own = { address: OWN_ADDRESS, assetCode: 'XRP', assetScale: 9 }
    const router = new Router({ own, table, accounts, rates, minMessageWindowMs: 1000, maxHoldTimeMs: 30_000 })
    return { app, router }
  }

  it('converts with the table', () => {
    const { app, router } = setup(new RateTable({ pairs: [{ from: 'XRP', to: 'USD', rate: '0.52' }] }))
    const ctx = context(app, { destination: 'test.lab.bob', amount: 1_000_000_000n })
    assert.equal(router.route(ctx), undefined)
    assert.equal(ctx.outAmount, 52n)
  })

  it('refuses a packet between assets without a rate with F02, naming both and where to add one', () => {
    const rates = new RateTable({ pairs: [{ from: 'EUR', to: 'USD', rate: '1.1' }] })
    const { app, router } = setup(rates)
    const result = router.route(context(app, { destination: 'test.lab.bob', amount: 1000n }))
    assert.ok(result instanceof IlpFailure)
    assert.equal(result.code, 'F02')
    assert.match(result.message, /no exchange rate between XRP and USD/)
    assert.match(result.message, /Settings page/)
    rates.set({ pairs: [...rates.pairs, { from: 'USD', to: 'XRP', rate: '2' }] })
    const ctx = context(app, { destination: 'test.lab.bob', amount: 1_000_000_000n })
    assert.equal(router.route(ctx), undefined)
    assert.equal(ctx.outAmount, 50n)
  })

  it('refuses an amount that would not fit a UInt64 on the next hop with F08 and the largest that does', () => {
    const { app, router } = setup(new RateTable({ pairs: [{ from: 'XRP', to: 'USD', rate: '100000000000000000' }] }))
    const result = router.route(context(app, { destination: 'test.lab.bob', amount: 10n ** 18n }))
    assert.ok(result instanceof IlpFailure)
    assert.equal(result.code, 'F08')
    const maximum = result.data.readBigUInt64BE(8)
    // XRP:9 → USD:2 at 10^17: × 10^10. The largest fitting source is floor((2^64 − 1) / 10^10).
    assert.equal(maximum, UINT64_MAX / 10n ** 10n)
    const ctx = context(app, { destination: 'test.lab.bob', amount: maximum })
    assert.equal(router.route(ctx), undefined)
    assert.ok(ctx.outAmount <= UINT64_MAX)
  })
})

describe('rate table: saved in the settings', () => {
  it('the config is the default; what is saved wins; what cannot be used is ignored', () => {
    const store = new MemoryAppsStore()
    const defaults = { spread: '0.01', pairs: [{ from: 'USD', to: 'EUR', rate: '0.9' }] }
    assert.deepEqual(loadRateTable(store, defaults).view(), defaults)
    const table = loadRateTable(store, defaults)
    saveRates(store, table, { pairs: [{ from: 'XRP', to: 'USD', rate: '0.5' }] })
    assert.deepEqual(loadRateTable(store, defaults).view(), { spread: '0.01', pairs: [{ from: 'XRP', to: 'USD', rate: '0.5' }] })
    saveRates(store, table, { spread: '0.002' })
    assert.deepEqual(loadRateTable(store, defaults).view(), { spread: '0.002', pairs: [{ from: 'XRP', to: 'USD', rate: '0.5' }] })
    saveRates(store, table, { pairs: [] })
    assert.deepEqual(loadRateTable(store, defaults).view().pairs, [], 'an emptied table stays empty')

    store.setSetting(SETTING_RATES_TABLE, '{not json')
    store.setSetting(SETTING_RATES_SPREAD, '2')
    const warnings: string[] = []
    const log = { warn: (m: string) => warnings.push(m) } as unknown as Parameters<typeof loadRateTable>[2]
    assert.deepEqual(loadRateTable(store, defaults, log).view(), defaults)
    assert.equal(warnings.length, 2)
  })

  it('a refused change saves nothing and changes nothing', () => {
    const store = new MemoryAppsStore()
    const table = loadRateTable(store, { spread: '0', pairs: [] })
    assert.throws(() => saveRates(store, table, { pairs: [{ from: 'A', to: 'A', rate: '1' }] }), RateTableError)
    assert.equal(store.getSetting(SETTING_RATES_TABLE), undefined)
    assert.deepEqual(table.view(), { spread: '0', pairs: [] })
  })
})

describe('rate table: the API', () => {
  it('getRates / setRates: replaces the given parts, emits ratesChanged, the connector converts with it', async () => {
    const connector = createConnector({ port: 0, spread: '0.001', rates: [{ from: 'USD', to: 'EUR', rate: '0.9' }] })
    const api = createEngineApi(connector)
    assert.deepEqual(await api.getRates(), { spread: '0.001', pairs: [{ from: 'USD', to: 'EUR', rate: '0.9' }] })
    const events: RatesView[] = []
    connector.on('ratesChanged', (v) => events.push(v))
    const view = await api.setRates({ pairs: [{ from: 'XRP', to: 'USD', rate: '2' }] })
    assert.deepEqual(view, { spread: '0.001', pairs: [{ from: 'XRP', to: 'USD', rate: '2' }] })
    assert.deepEqual(events, [view])
    assert.equal(connector.settingsStore.getSetting(SETTING_RATES_TABLE), JSON.stringify([{ from: 'XRP', to: 'USD', rate: '2' }]))
    assert.equal(connector.rates.convert(1000n, { code: 'XRP', scale: 0 }, { code: 'USD', scale: 0 }), 1998n)
    assert.deepEqual(await api.setRates({ spread: '0' }), { spread: '0', pairs: [{ from: 'XRP', to: 'USD', rate: '2' }] })
    assert.equal(connector.rates.convert(1000n, { code: 'XRP', scale: 0 }, { code: 'USD', scale: 0 }), 2000n)
  })

  it('setRates refuses bad input naming the field, and keeps the table', async () => {
    const connector = createConnector({ port: 0 })
    const api = createEngineApi(connector)
    const cases: Array<[unknown, string, RegExp]> = [
      [{ spread: '1' }, 'spread', /spread from 0 up to/],
      [{ pairs: [{ from: 'USD', to: 'EUR', rate: '0' }] }, 'pairs.0.rate', /above 0/],
      [{ pairs: [{ from: 'USD', to: 'USD', rate: '1' }] }, 'pairs.0.to', /itself/],
      [{ pairs: [{ from: 'USD', to: 'EUR', rate: '1' }, { from: 'EUR', to: 'USD', rate: '1' }] }, 'pairs.1', /given twice/],
      [{ pairs: [{ from: 'USD', to: 'EUR', rate: 'abc' }] }, 'pairs.0.rate', /decimal string/],
    ]
    for (const [input, path, message] of cases) {
      await assert.rejects(api.setRates(input as never), (err: unknown) => {
        assert.ok(err instanceof ApiError, String(err))
        assert.equal(err.code, 'invalid-input')
        assert.ok(err.issues.some((i) => i.path === path && message.test(i.message)), `${JSON.stringify(input)}: ${JSON.stringify(err.issues)}`)
        return true
      })
    }
    assert.deepEqual(await api.getRates(), { spread: '0', pairs: [] })
  })

  it('the config refuses a bad rate at start, saying what is wrong', () => {
    assert.throws(() => createConnector({ port: 0, rates: [{ from: 'USD', to: 'EUR', rate: '0' }] }), /invalid rates: rate 1 \(USD\/EUR\).*above 0/)
  })
})

describe('rate table: headless flags and config file', () => {
  it('--rate FROM/TO=R (repeatable, or "rate" in the config file) becomes the config\'s rates', () => {
    const args = parseHeadlessArgs(['--rate', 'XRP/USD=0.52', '--rate', 'EUR/USD=1.08', '--spread', '0.001'], { env: {} }) as HeadlessArgs
    assert.deepEqual(args.rates, [
      { from: 'XRP', to: 'USD', rate: '0.52' },
      { from: 'EUR', to: 'USD', rate: '1.08' },
    ])
    assert.deepEqual(engineConfig(args).rates, args.rates)
    const fromFile = parseHeadlessArgs(['--config', '/etc/junction.json'], { env: {}, readFile: () => JSON.stringify({ rate: ['BTC/USD=50000'] }) }) as HeadlessArgs
    assert.deepEqual(fromFile.rates, [{ from: 'BTC', to: 'USD', rate: '50000' }])
    assert.equal(engineConfig(parseHeadlessArgs([], { env: {} }) as HeadlessArgs).rates, undefined, 'no flag: the config default (none)')
  })

  it('refuses a malformed or unusable --rate, naming it', () => {
    assert.throws(() => parseHeadlessArgs(['--rate', 'XRP:USD=1'], { env: {} }), /--rate XRP:USD=1: expected FROM\/TO=RATE/)
    assert.throws(() => parseHeadlessArgs(['--rate', 'XRP/USD=0'], { env: {} }), /--rate XRP\/USD=0: .*above 0/)
    assert.throws(() => parseHeadlessArgs(['--rate', 'XRP/USD=2', '--rate', 'USD/XRP=0.5'], { env: {} }), /given twice/)
  })
})
