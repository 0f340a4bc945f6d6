// A hop's curve from its rate: the staircase corners reproduce floor((n·t + c)/d) at every t (brute force on small
// numbers), and a rate curve reads exactly what the router's rate backend converts, at any size, spread and scales.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { destinationFor, liquidityCurve, MAX_UINT64, maxSource, sourceFor } from '../../../../app/main/engine/quotes/liquidity-curve'
import { oneToOneRate, rateCurve, rateDecimal } from '../../../../app/main/engine/quotes/rate-curve'
import { firstInRange, staircasePoints } from '../../../../app/main/engine/quotes/staircase'
import { createOneToOneRates } from '../../../../app/main/engine/rates/one-to-one'
import { RateTable } from '../../../../app/main/engine/rates/rate-table'
import { seededRandom } from '../../../support/seeded-random'

const rng = seededRandom

describe('staircase corners', () => {
  it('firstInRange finds the smallest x with (a·x) mod m in [lo, hi] (brute force)', () => {
    const r = rng(11)
    for (let i = 0; i < 20000; i++) {
      const m = BigInt(1 + r.int(60))
      const a = BigInt(r.int(Number(m)))
      const lo = BigInt(r.int(Number(m)))
      const hi = lo + BigInt(r.int(Number(m - lo)))
      let naive: bigint | undefined
      for (let x = 0n; x < m; x++) {
        const v = (a * x) % m
        if (v >= lo && v <= hi) {
          naive = x
          break
        }
      }
      assert.equal(firstInRange(a, m, lo, hi), naive, `a ${a} m ${m} [${lo}, ${hi}]`)
    }
  })

  it('a curve through the corners reads floor((n·t + c)/d) at every t (brute force, 20000 cases)', () => {
    const seed = 0x57a1
    const r = rng(seed)
    for (let i = 0; i < 20000; i++) {
      const d = BigInt(1 + r.int(80))
      const n = BigInt(r.int(200))
      const c = BigInt(r.int(Number(d)))
      const top = BigInt(r.int(300))
      const points = staircasePoints(n, d, c, top)
      assert.equal(points[0][0], 0n)
      assert.equal(points[points.length - 1][0], top)
      const curve = liquidityCurve(points)
      for (let t = 0n; t <= top; t++) {
        assert.equal(destinationFor(curve, t), (n * t + c) / d, `seed ${seed} case ${i}: n ${n} d ${d} c ${c} r ${top} t ${t}`)
      }
    }
  })

  it('stays small for huge ranges and awkward fractions', () => {
    const points = staircasePoints(199n, 200_000_000_007n, 0n, 10n ** 18n)
    assert.ok(points.length < 200, `${points.length} corners`)
    const curve = liquidityCurve(points)
    const r = rng(5)
    for (let i = 0; i < 2000; i++) {
      const t = r.u64() % (10n ** 18n + 1n)
      assert.equal(destinationFor(curve, t), (199n * t) / 200_000_000_007n)
    }
  })
})

describe('rate curves', () => {
  it('read exactly what the rate backend converts (random spreads, rates, scales and amounts)', () => {
    const seed = 0x4a7e
    const r = rng(seed)
    const spreads = ['0', '0.005', '0.5', '0.001', '0.0000001', '0.3', '1e-3', '0.123456789', '0.999']
    const rates = ['1', '1.0842', '0.000001', '2500', '3', '0.333333333333333333', '999999999999999999.999999999999999999']
    for (let i = 0; i < 300; i++) {
      const spread = spreads[r.int(spreads.length)]
      const fromScale = r.int(10)
      const toScale = r.int(10)
      const max = r.int(3) === 0 ? BigInt(r.int(5000)) : r.u64() >> BigInt(r.int(60))
      // Half the cases one to one (no table), half between two assets with a random rate, either way round.
      const rate = rates[r.int(rates.length)]
      const backend = r.int(2) === 0 ? createOneToOneRates(spread) : new RateTable({ spread, pairs: [{ from: 'EUR', to: 'USD', rate }] })
      const [fromCode, toCode] = r.int(2) === 0 ? ['EUR', 'USD'] : ['USD', 'EUR']
      const from = { code: fromCode, scale: fromScale }
      const to = { code: toCode, scale: toScale }
      const curve = rateCurve(backend.exactRate(from, to)!, max)
      const covered = maxSource(curve)
      assert.ok(covered <= max)
      const where = `seed ${seed} case ${i}: spread ${spread} rate ${rate} ${fromCode}:${fromScale}→${toCode}:${toScale} max ${max}`
      const xs = [0n, 1n, covered, covered - 1n, covered / 2n]
      for (let k = 0; k < 60; k++) xs.push(covered === 0n ? 0n : r.u64() % (covered + 1n))
      for (const x of xs) {
        if (x < 0n || x > covered) continue
        const y = backend.convert(x, from, to)!
        assert.equal(destinationFor(curve, x), y, `${where} x ${x}`)
        // The smallest source that delivers y is at most x, and one less delivers less.
        const s = sourceFor(curve, y)!
        assert.ok(s <= x && backend.convert(s, from, to)! >= y, `${where} y ${y}`)
        if (s > 0n) assert.ok(backend.convert(s - 1n, from, to)! < y, `${where} y ${y}: ${s - 1n} already delivers it`)
      }
      assert.equal(destinationFor(curve, covered + 1n), undefined)
    }
  })

  it('stop where the destination amount would leave UInt64', () => {
    const curve = rateCurve(oneToOneRate('0', 0, 3))
    assert.equal(maxSource(curve), MAX_UINT64 / 1000n)
    assert.ok(destinationFor(curve, maxSource(curve))! <= MAX_UINT64)
  })

  it('spread 0.005 between equal scales is 199/200, read as 0.995', () => {
    const rate = oneToOneRate('0.005', 9, 9)
    assert.deepEqual(rate, { numerator: 199n, denominator: 200n })
    assert.equal(rateDecimal(rate), '0.995')
    assert.equal(rateDecimal(oneToOneRate('0', 9, 6)), '0.001')
    assert.equal(rateDecimal(oneToOneRate('0', 2, 9)), '10000000')
    assert.equal(rateDecimal({ numerator: 2n, denominator: 3n }), '0.666666666666')
  })
})
