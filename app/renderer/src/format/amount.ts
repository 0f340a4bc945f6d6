// Amounts as people read them: base units (a decimal string, from the engine) shifted by the asset's scale, exact.
// Never through floating point: 0.1 + 0.2 must not show up in a finance tool.

/** "123456789", scale 9 → "0.123456789"; trailing zeros of the fraction dropped, at least `minFraction` kept. */
export function formatUnits(units: string | bigint, scale: number, minFraction = 0): string {
  let v = typeof units === 'bigint' ? units : BigInt(units)
  const negative = v < 0n
  if (negative) v = -v
  const digits = v.toString().padStart(scale + 1, '0')
  const whole = digits.slice(0, digits.length - scale)
  let fraction = scale > 0 ? digits.slice(digits.length - scale) : ''
  fraction = fraction.replace(/0+$/, '')
  if (fraction.length < minFraction) fraction = fraction.padEnd(Math.min(minFraction, scale), '0')
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return `${negative ? '−' : ''}${grouped}${fraction ? '.' + fraction : ''}`
}

/** With the asset code: "0.123456789 XRP". */
export function formatAmount(units: string | bigint, asset: { assetCode: string; assetScale: number }): string {
  return `${formatUnits(units, asset.assetScale)} ${asset.assetCode}`
}

/**
 * A user's decimal entry ("1.5") → base units ("1500000000" at scale 9); a message if it is not an exact amount.
 * Refuses more decimals than the asset has rather than rounding someone's money.
 */
export function parseAmount(text: string, scale: number): { units: string } | { error: string } {
  const t = text.trim().replace(/,/g, '')
  if (t === '') return { error: 'enter an amount' }
  const m = /^(\d+)(?:\.(\d*))?$/.exec(t)
  if (!m) return { error: 'enter a positive number, e.g. 1.5' }
  const fraction = m[2] ?? ''
  if (fraction.length > scale) return { error: `at most ${scale} decimal places for this asset` }
  const units = BigInt(m[1] + fraction.padEnd(scale, '0'))
  return { units: units.toString() }
}
