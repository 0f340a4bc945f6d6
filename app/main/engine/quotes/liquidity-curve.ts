// Liquidity curves (ILQP, seed 002): how much arrives at the destination for each amount sent at the source.
// A curve is a list of [x, y] points (source amount → destination amount, base units, bigint), x strictly increasing,
// y never decreasing, joined by straight lines. Reading it rounds the way a connector does: the destination amount is
// rounded down, and the source amount needed for a destination amount is the smallest one that delivers at least it.
// Past the last point the curve cannot deliver: no amount is promised there. Below the first point nothing arrives.
import { staircasePoints } from './staircase'

export type CurvePoint = readonly [x: bigint, y: bigint]

export interface LiquidityCurve {
  readonly points: readonly CurvePoint[]
}

export const MAX_UINT64 = 2n ** 64n - 1n

export class CurveError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'CurveError'
  }
}

/** A checked curve; throws CurveError naming the first bad point. */
export function liquidityCurve(points: readonly CurvePoint[]): LiquidityCurve {
  if (points.length === 0) throw new CurveError('a liquidity curve needs at least one point')
  points.forEach(([x, y], i) => {
    if (x < 0n || y < 0n || x > MAX_UINT64 || y > MAX_UINT64) {
      throw new CurveError(`point ${i} [${x}, ${y}] is outside 0 … 2^64-1 (amounts are UInt64)`)
    }
    if (i > 0) {
      const [px, py] = points[i - 1]
      if (x <= px) throw new CurveError(`point ${i} [${x}, ${y}]: x must be greater than the previous point's ${px}`)
      if (y < py) throw new CurveError(`point ${i} [${x}, ${y}]: y must not be less than the previous point's ${py} (a curve never decreases)`)
    }
  })
  return { points: points.map(([x, y]) => [x, y] as const) }
}

/** The largest source amount the curve covers. */
export function maxSource(curve: LiquidityCurve): bigint {
  return curve.points[curve.points.length - 1][0]
}

/** The largest destination amount the curve delivers. */
export function maxDestination(curve: LiquidityCurve): bigint {
  return curve.points[curve.points.length - 1][1]
}

/** The destination amount for `source`, rounded down; undefined past the curve's last point (cannot deliver). */
export function destinationFor(curve: LiquidityCurve, source: bigint): bigint | undefined {
  const pts = curve.points
  if (source < 0n || source > maxSource(curve)) return undefined
  if (source < pts[0][0]) return 0n
  // Binary search for the segment [i, i + 1] holding `source`; curves from quotes have few points, but decoded ones may not.
  let lo = 0
  let hi = pts.length - 1
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1
    if (pts[mid][0] <= source) lo = mid
    else hi = mid
  }
  const [x0, y0] = pts[lo]
  if (source === x0 || lo === pts.length - 1) return y0
  const [x1, y1] = pts[hi]
  return y0 + ((source - x0) * (y1 - y0)) / (x1 - x0)
}

/**
 * The smallest source amount whose destination amount is at least `destination`; undefined when the curve never
 * delivers that much (cannot deliver).
 */
export function sourceFor(curve: LiquidityCurve, destination: bigint): bigint | undefined {
  const pts = curve.points
  if (destination <= 0n) return 0n
  if (destination > maxDestination(curve)) return undefined
  if (destination <= pts[0][1]) return pts[0][0]
  // The first segment that reaches `destination`: its start is below it (points before it all are).
  let lo = 0
  let hi = pts.length - 1
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1
    if (pts[mid][1] < destination) lo = mid
    else hi = mid
  }
  const [x0, y0] = pts[lo]
  const [x1, y1] = pts[hi]
  // y0 + floor((x - x0)·dy/dx) ≥ d  ⇔  x - x0 ≥ ceil((d - y0)·dx/dy)
  return x0 + ceilDiv((destination - y0) * (x1 - x0), y1 - y0)
}

/**
 * A source-side fixed fee: `fee` more must be sent for the same destination amount (the curve moves right;
 * nothing arrives for the first `fee` units). Exact.
 */
export function shiftSource(curve: LiquidityCurve, fee: bigint): LiquidityCurve {
  if (fee < 0n) throw new CurveError('a source fee cannot be negative')
  if (fee === 0n) return curve
  const moved = curve.points.map(([x, y]) => [x + fee, y] as const)
  return liquidityCurve(moved[0][1] === 0n ? [[0n, 0n], ...moved] : moved)
}

/**
 * A destination-side fixed fee: `fee` less arrives, never below zero. Exact: where the fee cuts a segment, the
 * segment's rounding staircase from the cut on is rebuilt point for point (staircase.ts), because restarting a
 * straight line at a rounded-down point would round differently.
 */
export function shiftDestination(curve: LiquidityCurve, fee: bigint): LiquidityCurve {
  if (fee < 0n) throw new CurveError('a destination fee cannot be negative')
  if (fee === 0n) return curve
  const pts = curve.points
  if (pts[0][1] >= fee) return liquidityCurve(pts.map(([x, y]) => [x, y - fee] as const))
  if (maxDestination(curve) < fee) {
    // Nothing ever arrives, up to the same maximum.
    const top = maxSource(curve)
    return liquidityCurve(top > 0n ? [[0n, 0n], [top, 0n]] : [[0n, 0n]])
  }
  const cut = sourceFor(curve, fee)! // the first source amount that delivers at least the fee
  const out: CurvePoint[] = [[0n, 0n]]
  if (cut - 1n > 0n) out.push([cut - 1n, 0n])
  let i = pts.findIndex((p) => p[0] > cut)
  if (i === -1) {
    out.push([cut, destinationFor(curve, cut)! - fee])
    return liquidityCurve(out)
  }
  const [x0, y0] = pts[i - 1]
  const [x1, y1] = pts[i]
  // On [cut, x1] the segment reads y0 + floor(((cut - x0) + t)·dy/dx); split the constant part off.
  const dx = x1 - x0
  const dy = y1 - y0
  const lead = (cut - x0) * dy
  const base = y0 + lead / dx - fee
  for (const [t, v] of staircasePoints(dy, dx, lead % dx, x1 - cut)) out.push([cut + t, base + v])
  for (; i + 1 < pts.length; i++) out.push([pts[i + 1][0], pts[i + 1][1] - fee])
  return liquidityCurve(out)
}

function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b
}

// ---- the binary form (seed 002): SEQUENCE OF SEQUENCE { x UInt64, y UInt64 } as ILP nodes really wrote it ----
// No count prefix: the curve is the whole buffer, 16 bytes a point. Each UInt64 is written as its high 32-bit word,
// then its low word, and each word little-endian (ilp-routing's layout), so [[0,0],[10,265]] is
// AAAAAAAAAAAAAAAAAAAAAAAAAAAKAAAAAAAAAAkBAAA= — not the big-endian bytes plain OER would give.

export function encodeCurve(curve: LiquidityCurve): Buffer {
  const buf = Buffer.alloc(curve.points.length * 16)
  curve.points.forEach(([x, y], i) => {
    writeUInt64(buf, x, i * 16)
    writeUInt64(buf, y, i * 16 + 8)
  })
  return buf
}

export function decodeCurve(data: Buffer): LiquidityCurve {
  if (data.length === 0 || data.length % 16 !== 0) {
    throw new CurveError(`a binary liquidity curve is a whole number of 16-byte points (got ${data.length} bytes)`)
  }
  const points: CurvePoint[] = []
  for (let at = 0; at < data.length; at += 16) points.push([readUInt64(data, at), readUInt64(data, at + 8)])
  return liquidityCurve(points)
}

export function curveToBase64(curve: LiquidityCurve): string {
  return encodeCurve(curve).toString('base64')
}

export function curveFromBase64(text: string): LiquidityCurve {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) throw new CurveError('not base64 text')
  return decodeCurve(Buffer.from(text, 'base64'))
}

function writeUInt64(buf: Buffer, value: bigint, at: number): void {
  buf.writeUInt32LE(Number(value >> 32n), at)
  buf.writeUInt32LE(Number(value & 0xffffffffn), at + 4)
}

function readUInt64(buf: Buffer, at: number): bigint {
  return (BigInt(buf.readUInt32LE(at)) << 32n) | BigInt(buf.readUInt32LE(at + 4))
}
