// The one-to-one rate backend: every asset is worth the same, converted between asset scales, minus a spread.
// Bigint arithmetic throughout; the outgoing amount is rounded down, so the connector never pays out more than in.

export interface RateBackend {
  /** Outgoing amount for `amount` received in scale `fromScale`, to be sent in scale `toScale`. */
  convert(amount: bigint, fromScale: number, toScale: number): bigint
}

/** Parses a spread such as "0", "0.005" or "1e-3" into an exact fraction in [0, 1). */
export function parseSpread(spread: string): { numerator: bigint; denominator: bigint } {
  const s = spread.trim()
  const m = /^(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(s)
  if (!m) throw new Error(`invalid spread ${JSON.stringify(spread)}: expected a decimal number such as 0.005`)
  const [, whole, frac = '', exp = '0'] = m
  let numerator = BigInt(whole + frac)
  let denominator = 10n ** BigInt(frac.length)
  const e = Number(exp)
  if (Math.abs(e) > 30) throw new Error(`invalid spread ${JSON.stringify(spread)}: exponent out of range`)
  if (e > 0) numerator *= 10n ** BigInt(e)
  else denominator *= 10n ** BigInt(-e)
  if (numerator >= denominator) throw new Error(`invalid spread ${JSON.stringify(spread)}: it must be at least 0 and below 1`)
  return { numerator, denominator }
}

export function createOneToOneRates(spread = '0'): RateBackend {
  const { numerator, denominator } = parseSpread(spread)
  const keep = denominator - numerator
  const noSpread = numerator === 0n
  return {
    convert(amount, fromScale, toScale) {
      if (noSpread && fromScale === toScale) return amount
      let n = amount * keep
      let d = denominator
      if (toScale > fromScale) n *= 10n ** BigInt(toScale - fromScale)
      else if (fromScale > toScale) d *= 10n ** BigInt(fromScale - toScale)
      return n / d
    },
  }
}
