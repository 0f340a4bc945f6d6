// A hop's liquidity curve from its rate: the exact fraction the router multiplies by (the rate table's, with the
// spread, across asset scales: rates/rate-table.ts), rounded down once, up to the most one packet may carry.
import type { ExactRate } from '../rates/rate-backend'
import { RateTable } from '../rates/rate-table'
import { type LiquidityCurve, liquidityCurve, MAX_UINT64 } from './liquidity-curve'
import { staircasePoints } from './staircase'

export type { ExactRate } from '../rates/rate-backend'

/** The fraction between two scales of one asset, minus the spread (what an empty rate table converts with). */
export function oneToOneRate(spread: string, fromScale: number, toScale: number): ExactRate {
  return new RateTable({ spread }).exactRate({ code: 'X', scale: fromScale }, { code: 'X', scale: toScale })!
}

/**
 * The curve of one rounded-down conversion for source amounts 0 … `maxSource` (inclusive), capped so that neither
 * side exceeds a UInt64. Read with destinationFor, it gives exactly floor(x × rate) for every x it covers.
 */
export function rateCurve(rate: ExactRate, maxSource: bigint = MAX_UINT64): LiquidityCurve {
  let max = maxSource < MAX_UINT64 ? maxSource : MAX_UINT64
  // The largest x with floor(x·n/d) ≤ 2^64-1.
  if (rate.numerator > 0n) {
    const fits = ((MAX_UINT64 + 1n) * rate.denominator - 1n) / rate.numerator
    if (fits < max) max = fits
  }
  return liquidityCurve(staircasePoints(rate.numerator, rate.denominator, 0n, max))
}

/** The rate as a decimal string with up to `digits` significant digits after the point (rounded down). */
export function rateDecimal(rate: ExactRate, digits = 12): string {
  const whole = rate.numerator / rate.denominator
  let rest = rate.numerator % rate.denominator
  if (rest === 0n) return whole.toString()
  let frac = ''
  let significant = whole > 0n ? whole.toString().length : 0
  while (rest !== 0n && frac.length < 40 && (significant === 0 || significant < digits)) {
    rest *= 10n
    const digit = rest / rate.denominator
    rest %= rate.denominator
    frac += digit.toString()
    if (significant > 0 || digit > 0n) significant++
  }
  return `${whole}.${frac.replace(/0+$/, '') || '0'}`
}
