// Exact decimal strings → fractions, for the spread and the rates of the rate table. No floating point anywhere:
// "0.1" is 1/10 exactly.

export interface Fraction {
  numerator: bigint
  denominator: bigint
}

const DECIMAL = /^(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/

/** "12.5", "0.005" or "1e-3" → an exact fraction (not reduced); undefined if it is not such a number. */
export function parseDecimal(text: string): Fraction | undefined {
  const m = DECIMAL.exec(text.trim())
  if (!m) return undefined
  const [, whole, frac = '', exp = '0'] = m
  const e = Number(exp)
  if (Math.abs(e) > 30) return undefined
  let numerator = BigInt(whole + frac)
  let denominator = 10n ** BigInt(frac.length)
  if (e > 0) numerator *= 10n ** BigInt(e)
  else denominator *= 10n ** BigInt(-e)
  return { numerator, denominator }
}

/** Parses a spread such as "0", "0.005" or "1e-3" into an exact fraction in [0, 1). */
export function parseSpread(spread: string): Fraction {
  const f = parseDecimal(spread)
  if (!f) throw new Error(`invalid spread ${JSON.stringify(spread)}: expected a decimal number such as 0.005`)
  if (f.numerator >= f.denominator) throw new Error(`invalid spread ${JSON.stringify(spread)}: it must be at least 0 and below 1`)
  return f
}

/** A rate such as "2500" or "0.0001": a positive decimal, at most 18 digits each side of the point. */
export function parseRate(rate: string): Fraction {
  if (typeof rate !== 'string' || !/^\d{1,18}(\.\d{1,18})?$/.test(rate)) {
    throw new Error(`invalid rate ${JSON.stringify(rate)}: expected a decimal string such as "0.5" (up to 18 digits each side of the point)`)
  }
  const f = parseDecimal(rate)!
  if (f.numerator === 0n) throw new Error(`invalid rate ${JSON.stringify(rate)}: a rate must be above 0`)
  return f
}

export function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b]
  return a === 0n ? 1n : a
}

/** n/d in lowest terms. */
export function reduce(numerator: bigint, denominator: bigint): Fraction {
  const g = gcd(numerator, denominator)
  return { numerator: numerator / g, denominator: denominator / g }
}
