// What the router and quotes ask of a rate source: the exact fraction between two assets, and an amount converted
// with it (rounded down). Implemented by the static rate table (rate-table.ts); one-to-one.ts is its empty case.

/** An asset as accounts carry it: a code (e.g. "USD") and a scale (base units per whole unit: 10^scale). */
export interface AssetRef {
  code: string
  scale: number
}

/** destination = floor(source × numerator / denominator); the fraction in lowest terms, numerator ≥ 0, denominator > 0. */
export interface ExactRate {
  numerator: bigint
  denominator: bigint
}

export interface RateBackend {
  /** The fraction base units of `from` are multiplied by to give base units of `to` (spread included); undefined: no rate. */
  exactRate(from: AssetRef, to: AssetRef): ExactRate | undefined
  /** floor(amount × rate): never negative, never above the exact value; undefined when there is no rate. */
  convert(amount: bigint, from: AssetRef, to: AssetRef): bigint | undefined
}
