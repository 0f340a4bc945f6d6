// The exact curve points of a rounded-down straight line: t ↦ floor((n·t + c) / d) for t = 0 … r.
// A liquidity curve is read by rounding each segment down, so a curve reproduces a rate exactly only if its points
// are the corners of this staircase's upper convex hull. Those corners are few (about log d), but finding them by
// walking every t would take up to d steps; instead they are found among the staircase's closest approaches to the
// line, enumerated in runs with a Euclid-style search (firstInRange).

/** The smallest x ≥ 0 with lo ≤ (a·x) mod m ≤ hi, or undefined if there is none. Needs 0 ≤ lo ≤ hi < m. */
export function firstInRange(a: bigint, m: bigint, lo: bigint, hi: bigint): bigint | undefined {
  if (lo === 0n) return 0n
  a %= m
  if (a === 0n) return undefined
  const x = (lo + a - 1n) / a
  if (a * x <= hi) return x
  // No multiple of a lies in [lo, hi]. a·x - m·y lands in it for the smallest y with (m·y) mod a in the range below
  // (both ends are in 1 … a-1 because lo and hi lie strictly between the same two multiples of a).
  const y = firstInRange(m % a, a, a - (hi % a), a - (lo % a))
  if (y === undefined) return undefined
  return (lo + m * y + a - 1n) / a
}

/**
 * The t (from 0 up to r) where (n·t + c) mod d reaches a new minimum, scanning from t = 0: only their runs' ends,
 * since the records of one run lie on a straight line.
 */
function recordEnds(n: bigint, d: bigint, c: bigint, r: bigint): bigint[] {
  const out = [0n]
  let t = 0n
  let gap = c % d
  const step = n % d
  for (let guard = 0; gap > 0n; guard++) {
    if (guard > 10_000) throw new Error('staircase: too many record runs (a bug)')
    // The next smaller gap wraps past d: (step·s) mod d ≥ d - gap.
    const s = firstInRange(step, d, d - gap, d - 1n)
    if (s === undefined || t + s > r) break
    const fall = d - ((step * s) % d)
    // The same step keeps lowering the gap by `fall` as long as the gap stays non-negative.
    const k = min(gap / fall, (r - t) / s)
    t += k * s
    gap -= k * fall
    out.push(t)
  }
  return out
}

/**
 * The corners [t, floor((n·t + c) / d)] of the staircase for t in 0 … r, from t = 0 to t = r: a curve through them,
 * read with rounding down, gives exactly floor((n·t + c) / d) at every whole t. Needs n ≥ 0, d > 0, 0 ≤ c < d, r ≥ 0.
 */
export function staircasePoints(n: bigint, d: bigint, c: bigint, r: bigint): [bigint, bigint][] {
  if (d <= 0n || n < 0n || c < 0n || c >= d || r < 0n) throw new Error('staircase: needs n ≥ 0, d > 0, 0 ≤ c < d, r ≥ 0')
  const f = (t: bigint) => (n * t + c) / d
  if (r === 0n) return [[0n, f(0n)]]
  // Every corner is where the staircase comes closest to the line so far, scanning from the left (left of the
  // closest point overall) or from the right (right of it). Scanning from the right is the same problem mirrored.
  const ts = new Set<bigint>([0n, r])
  for (const t of recordEnds(n, d, c, r)) ts.add(t)
  const mirrored = (n % d === 0n ? 0n : d - (n % d))
  for (const u of recordEnds(mirrored, d, (n * r + c) % d, r)) ts.add(r - u)
  const sorted = [...ts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  const hull: [bigint, bigint][] = []
  for (const t of sorted) {
    const p: [bigint, bigint] = [t, f(t)]
    while (hull.length >= 2) {
      const [ox, oy] = hull[hull.length - 2]
      const [ax, ay] = hull[hull.length - 1]
      // Keep only right turns: the upper hull, without collinear middles.
      if ((ax - ox) * (p[1] - oy) - (ay - oy) * (p[0] - ox) >= 0n) hull.pop()
      else break
    }
    hull.push(p)
  }
  return hull
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b
}
