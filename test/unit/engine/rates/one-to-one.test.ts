import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createOneToOneRates, parseSpread } from '../../../../app/main/engine/rates/one-to-one'

const UINT64_MAX = (1n << 64n) - 1n
/** One asset at a scale: without a rate table, only the scales matter. */
const xrp = (scale: number) => ({ code: 'XRP', scale })

/** True when the fraction n/d equals p/q. */
const sameFraction = (f: { numerator: bigint; denominator: bigint }, p: bigint, q: bigint) => f.numerator * q === p * f.denominator

describe('parseSpread', () => {
  it('reads decimals and exponents exactly', () => {
    assert.ok(sameFraction(parseSpread('0'), 0n, 1n))
    assert.ok(sameFraction(parseSpread('0.005'), 5n, 1000n))
    assert.ok(sameFraction(parseSpread('1e-3'), 1n, 1000n))
    assert.ok(sameFraction(parseSpread('2.5E-2'), 25n, 1000n))
    assert.ok(sameFraction(parseSpread('0.99'), 99n, 100n))
    assert.ok(sameFraction(parseSpread('0.000000000000000000001'), 1n, 10n ** 21n))
  })

  it('keeps the fraction positive and below one', () => {
    for (const s of ['0', '0.005', '1e-3', '0.999999']) {
      const f = parseSpread(s)
      assert.ok(f.denominator > 0n && f.numerator >= 0n && f.numerator < f.denominator, s)
    }
  })

  it('refuses negative, one or more, non-numbers and absurd exponents', () => {
    for (const s of ['-0.1', '1', '1.0', '2', '0.5e1', 'abc', '', '1e99', '0x1', '5%', 'NaN', 'Infinity']) {
      assert.throws(() => parseSpread(s), /invalid spread/, JSON.stringify(s))
    }
  })
})

describe('one-to-one rates', () => {
  it('passes amounts through unchanged without spread at the same scale', () => {
    const rates = createOneToOneRates()
    for (const a of [0n, 1n, 123456789n, UINT64_MAX]) assert.equal(rates.convert(a, xrp(9), xrp(9))!, a)
  })

  it('scales up by powers of ten', () => {
    const rates = createOneToOneRates('0')
    assert.equal(rates.convert(5n, xrp(2), xrp(4))!, 500n)
    assert.equal(rates.convert(1n, xrp(0), xrp(9))!, 1_000_000_000n)
  })

  it('scales down and rounds down', () => {
    const rates = createOneToOneRates('0')
    assert.equal(rates.convert(12345n, xrp(4), xrp(2))!, 123n)
    assert.equal(rates.convert(12399n, xrp(4), xrp(2))!, 123n) // 123.99 → 123, never 124
    assert.equal(rates.convert(999_999_999n, xrp(9), xrp(0))!, 0n)
    assert.equal(rates.convert(1_000_000_000n, xrp(9), xrp(0))!, 1n)
  })

  it('takes the spread and rounds the rest down', () => {
    const rates = createOneToOneRates('0.01')
    assert.equal(rates.convert(1000n, xrp(9), xrp(9))!, 990n)
    assert.equal(rates.convert(999n, xrp(9), xrp(9))!, 989n) // 989.01
    assert.equal(rates.convert(1n, xrp(9), xrp(9))!, 0n) // 0.99
    assert.equal(rates.convert(0n, xrp(9), xrp(9))!, 0n)
  })

  it('combines spread and scale change', () => {
    const rates = createOneToOneRates('0.005')
    assert.equal(rates.convert(1n, xrp(0), xrp(9))!, 995_000_000n)
    assert.equal(rates.convert(1_000_000_000n, xrp(9), xrp(2))!, 99n) // 99.5 → 99
    assert.equal(rates.convert(3n, xrp(2), xrp(3))!, 29n) // 29.85 → 29
  })

  it('is exact for amounts far beyond double precision', () => {
    assert.equal(createOneToOneRates('0.5').convert(UINT64_MAX, xrp(9), xrp(9))!, UINT64_MAX / 2n)
    // 10^18 + 1 is not a double; 0.999 of it is 999 × 10^15 + 0.999, rounded down.
    assert.equal(createOneToOneRates('1e-3').convert(10n ** 18n + 1n, xrp(9), xrp(9))!, 999n * 10n ** 15n)
    assert.equal(createOneToOneRates('0').convert(UINT64_MAX, xrp(0), xrp(9))!, UINT64_MAX * 10n ** 9n)
    assert.equal(createOneToOneRates('0').convert(UINT64_MAX, xrp(9), xrp(0))!, 18446744073n)
  })

  it('never pays out more than the exact value', () => {
    const cases: Array<[string, bigint, number, number]> = []
    for (const spread of ['0', '0.003', '0.25', '1e-9'])
      for (const amount of [1n, 7n, 99n, 1001n, 123456789123n, UINT64_MAX])
        for (const [from, to] of [
          [9, 9],
          [9, 6],
          [6, 9],
          [2, 0],
        ])
          cases.push([spread, amount, from, to])
    for (const [spread, amount, from, to] of cases) {
      const { numerator, denominator } = parseSpread(spread)
      const out = createOneToOneRates(spread).convert(amount, xrp(from), xrp(to))!
      // exact = amount × (1 − spread) × 10^(to − from); check out ≤ exact < out + 1, cross-multiplied.
      const exactNum = amount * (denominator - numerator) * 10n ** BigInt(Math.max(0, to - from))
      const exactDen = denominator * 10n ** BigInt(Math.max(0, from - to))
      assert.ok(out * exactDen <= exactNum, `${spread} ${amount} ${from}→${to}`)
      assert.ok(exactNum < (out + 1n) * exactDen, `${spread} ${amount} ${from}→${to}`)
    }
  })

  it('refuses an invalid spread when created', () => {
    assert.throws(() => createOneToOneRates('1'), /invalid spread/)
  })
})
