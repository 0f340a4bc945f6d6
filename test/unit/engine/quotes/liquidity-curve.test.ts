// Liquidity curves: seed 002's binary vector checked byte by byte, reading both ways (rounding down / the smallest
// source), the fee shifts, and property tests (seeded, reproducible) against brute force on random curves.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  curveFromBase64,
  curveToBase64,
  CurveError,
  decodeCurve,
  destinationFor,
  encodeCurve,
  type CurvePoint,
  liquidityCurve,
  MAX_UINT64,
  shiftDestination,
  shiftSource,
  sourceFor,
} from '../../../../app/main/engine/quotes/liquidity-curve'
import { seededRandom } from '../../../support/seeded-random'

const rng = seededRandom

function randomCurve(r: ReturnType<typeof rng>, small: boolean): CurvePoint[] {
  const n = 1 + r.int(8)
  const points: CurvePoint[] = []
  let x = small ? BigInt(r.int(3)) : r.int(4) === 0 ? 0n : r.u64() >> BigInt(8 + r.int(40))
  let y = small ? BigInt(r.int(3)) : 0n
  for (let i = 0; i < n; i++) {
    points.push([x, y])
    if (small) {
      x += BigInt(1 + r.int(12))
      y += BigInt(r.int(15))
    } else {
      const dx = 1n + (r.u64() >> BigInt(20 + r.int(44)))
      const dy = r.int(5) === 0 ? 0n : r.u64() >> BigInt(20 + r.int(44))
      if (x + dx > MAX_UINT64 || y + dy > MAX_UINT64) break
      x += dx
      y += dy
    }
  }
  return points
}

/** The destination amount by the definition: a straight line between points, rounded down. */
function naiveDestination(points: readonly CurvePoint[], source: bigint): bigint | undefined {
  if (source > points[points.length - 1][0]) return undefined
  if (source < points[0][0]) return 0n
  for (let i = 0; i + 1 < points.length; i++) {
    const [x0, y0] = points[i]
    const [x1, y1] = points[i + 1]
    if (source >= x0 && source <= x1) return y0 + ((source - x0) * (y1 - y0)) / (x1 - x0)
  }
  return points[points.length - 1][1]
}

describe('the binary form (seed 002)', () => {
  const VECTOR = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAKAAAAAAAAAAkBAAA='

  it('[[0,0],[10,265]] is the seed vector, word by word', () => {
    const bytes = Buffer.from(VECTOR, 'base64')
    // 2 points × (x, y) × (high word, low word), no count prefix.
    assert.equal(bytes.length, 32)
    const words = Array.from({ length: 8 }, (_, i) => bytes.readUInt32LE(i * 4))
    // [0,0]: four zero words; 10 = high 0, low 10; 265 = high 0, low 0x109 (bytes 09 01 00 00).
    assert.deepEqual(words, [0, 0, 0, 0, 0, 10, 0, 265])
    assert.deepEqual(bytes.subarray(28), Buffer.from([0x09, 0x01, 0x00, 0x00]))
    const curve = decodeCurve(bytes)
    assert.deepEqual(curve.points, [
      [0n, 0n],
      [10n, 265n],
    ])
    assert.equal(curveToBase64(curve), VECTOR)
    assert.deepEqual(curveFromBase64(VECTOR).points, curve.points)
  })

  it('is not plain OER: a big-endian UInt64 would put 10 in the last byte of its 8', () => {
    const b = encodeCurve(liquidityCurve([[10n, 0n]]))
    assert.deepEqual([...b.subarray(0, 8)], [0, 0, 0, 0, 10, 0, 0, 0])
  })

  it('puts the high word first: 2^32 + 2 is 01 00 00 00 02 00 00 00', () => {
    const b = encodeCurve(liquidityCurve([[2n ** 32n + 2n, MAX_UINT64]]))
    assert.deepEqual([...b.subarray(0, 8)], [1, 0, 0, 0, 2, 0, 0, 0])
    assert.deepEqual([...b.subarray(8)], [255, 255, 255, 255, 255, 255, 255, 255])
  })

  it('refuses what is not a curve', () => {
    assert.throws(() => decodeCurve(Buffer.alloc(0)), CurveError)
    assert.throws(() => decodeCurve(Buffer.alloc(24)), /whole number of 16-byte points/)
    // x not increasing: [5,0],[5,1]
    const twice = Buffer.concat([encodeCurve(liquidityCurve([[5n, 0n]])), encodeCurve(liquidityCurve([[5n, 1n]]))])
    assert.throws(() => decodeCurve(twice), /x must be greater/)
    // y decreasing: [0,5],[1,4]
    const down = Buffer.concat([encodeCurve(liquidityCurve([[0n, 5n]])), encodeCurve(liquidityCurve([[1n, 4n]]))])
    assert.throws(() => decodeCurve(down), /never decreases/)
    assert.throws(() => curveFromBase64('not base64!'), /not base64/)
    assert.throws(() => liquidityCurve([[0n, MAX_UINT64 + 1n]]), /UInt64/)
  })

  it('round-trips random curves exactly (property, 3000 curves)', () => {
    const seed = 0xc0ffee
    const r = rng(seed)
    for (let i = 0; i < 3000; i++) {
      const points = randomCurve(r, i % 2 === 0)
      const curve = liquidityCurve(points)
      const bytes = encodeCurve(curve)
      assert.equal(bytes.length, points.length * 16)
      assert.deepEqual(decodeCurve(bytes).points, points, `seed ${seed}, curve ${i}`)
      assert.deepEqual(curveFromBase64(curveToBase64(curve)).points, points, `seed ${seed}, curve ${i}`)
    }
  })
})

describe('reading a curve', () => {
  const curve = liquidityCurve([
    [0n, 0n],
    [10n, 265n],
  ])

  it('rounds the destination amount down', () => {
    assert.equal(destinationFor(curve, 0n), 0n)
    assert.equal(destinationFor(curve, 1n), 26n) // 26.5
    assert.equal(destinationFor(curve, 3n), 79n) // 79.5
    assert.equal(destinationFor(curve, 10n), 265n)
  })

  it('gives the smallest source amount that delivers at least the destination amount (rounded up)', () => {
    assert.equal(sourceFor(curve, 0n), 0n)
    assert.equal(sourceFor(curve, 1n), 1n)
    assert.equal(sourceFor(curve, 26n), 1n)
    assert.equal(sourceFor(curve, 27n), 2n) // 1 delivers 26 only
    assert.equal(sourceFor(curve, 265n), 10n)
  })

  it('cannot deliver past the last point', () => {
    assert.equal(destinationFor(curve, 11n), undefined)
    assert.equal(sourceFor(curve, 266n), undefined)
  })

  it('delivers nothing below the first point and holds flat stretches', () => {
    const c = liquidityCurve([
      [5n, 0n],
      [10n, 10n],
      [20n, 10n],
      [30n, 40n],
    ])
    assert.equal(destinationFor(c, 4n), 0n)
    assert.equal(destinationFor(c, 15n), 10n)
    assert.equal(sourceFor(c, 10n), 10n) // the flat stretch's start, not its end
    assert.equal(sourceFor(c, 11n), 21n)
  })

  it('agrees with the definition on random curves, both ways (property, 2000 curves)', () => {
    const seed = 0x5eed02
    const r = rng(seed)
    for (let i = 0; i < 2000; i++) {
      const points = randomCurve(r, true)
      const curve = liquidityCurve(points)
      const top = points[points.length - 1]
      for (let x = 0n; x <= top[0] + 1n; x++) assert.equal(destinationFor(curve, x), naiveDestination(points, x), `seed ${seed} curve ${i} x ${x}`)
      for (let y = 0n; y <= top[1] + 1n; y++) {
        let naive: bigint | undefined
        for (let x = 0n; x <= top[0]; x++) {
          if (naiveDestination(points, x)! >= y) {
            naive = x
            break
          }
        }
        assert.equal(sourceFor(curve, y), naive, `seed ${seed} curve ${i} y ${y}`)
      }
    }
  })
})

describe('fees', () => {
  it('a source fee moves the curve right', () => {
    const c = shiftSource(liquidityCurve([[0n, 0n], [10n, 265n]]), 3n)
    assert.deepEqual(c.points, [[0n, 0n], [3n, 0n], [13n, 265n]])
    assert.equal(destinationFor(c, 4n), 26n)
  })

  it('a destination fee is exact where it cuts a segment, and never below zero (property)', () => {
    const seed = 0xfee
    const r = rng(seed)
    for (let i = 0; i < 1500; i++) {
      const points = randomCurve(r, true)
      const fee = BigInt(r.int(40))
      const shifted = shiftDestination(liquidityCurve(points), fee)
      const top = points[points.length - 1][0]
      for (let x = 0n; x <= top + 1n; x++) {
        const before = naiveDestination(points, x)
        const want = before === undefined ? undefined : before > fee ? before - fee : 0n
        assert.equal(destinationFor(shifted, x), want, `seed ${seed} curve ${i} fee ${fee} x ${x}: ${JSON.stringify(points.map(String))}`)
      }
    }
  })
})
