// The static rate table between assets: pairs "1 whole `from` = `rate` whole `to`" set by the user (Settings page,
// setRates, the config's `rates`), each also read backwards as its exact inverse, minus the spread Junction keeps.
//
//   base units of `to` = floor(base units of `from` × rate × (1 − spread) × 10^(toScale − fromScale))
//
// The fraction is exact (bigints, lowest terms) and rounded down once, so a conversion never yields a negative
// amount and never more than the exact value. The same fraction feeds forwarding (routing/router.ts) and quotes
// (quotes/quote.ts), so a quote is what a packet gets. Equal codes convert one to one (scales still apply), and
// while the table is empty every pair does, as before there were rates. With a non-empty table, two different
// assets without a rate have none: the router refuses such packets (F02) rather than guess.
//
// The router asks on every packet, so each (from, to) fraction is computed once and cached until the table changes.
import type { RatesView } from '../../../shared/api-types'
import { type Fraction, parseRate, parseSpread, reduce } from './decimal'
import type { AssetRef, ExactRate, RateBackend } from './rate-backend'

/** 1 whole `from` = `rate` whole `to` (a positive decimal string), before the spread. */
export interface RatePair {
  from: string
  to: string
  rate: string
}

export interface RateTableState {
  /** Kept from every conversion, a decimal in [0, 1), e.g. "0.005". */
  spread: string
  pairs: RatePair[]
}

/** A table that cannot be used; the message names the pair or value at fault. */
export class RateTableError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'RateTableError'
  }
}

const ASSET_CODE = /^[\x21-\x7e]{1,16}$/
/** Distinct asset pairs are few (one per pair of accounts' assets); the bound only guards against surprises. */
const MAX_CACHED = 4096

export const MAX_UINT64 = 0xffffffffffffffffn

/** The largest source amount that converts to at most a UInt64 at `rate` (capped at a UInt64). */
export function largestConvertible(rate: ExactRate): bigint {
  if (rate.numerator === 0n) return MAX_UINT64
  const fits = ((MAX_UINT64 + 1n) * rate.denominator - 1n) / rate.numerator
  return fits < MAX_UINT64 ? fits : MAX_UINT64
}

/** What a packet or quote between two assets without a rate is told. */
export function missingRateMessage(from: AssetRef, to: AssetRef): string {
  return `no exchange rate between ${from.code} and ${to.code}: add a rate for ${from.code}/${to.code} under "Rates between assets" on the Settings page`
}

/** Checks a table; throws a RateTableError naming the first problem. Returns the parsed spread and rates. */
export function checkRateTable(state: RateTableState): { keep: Fraction; rates: Map<string, Fraction> } {
  let spread: Fraction
  try {
    spread = parseSpread(state.spread)
  } catch (err) {
    throw new RateTableError((err as Error).message)
  }
  if (!Array.isArray(state.pairs)) throw new RateTableError('rates: expected a list of { from, to, rate }')
  const rates = new Map<string, Fraction>()
  state.pairs.forEach((p, i) => {
    const where = `rate ${i + 1}`
    if (typeof p !== 'object' || p === null) throw new RateTableError(`${where}: expected { from, to, rate }`)
    for (const side of ['from', 'to'] as const) {
      if (typeof p[side] !== 'string' || !ASSET_CODE.test(p[side])) {
        throw new RateTableError(`${where}: invalid asset code ${JSON.stringify(p[side])} in "${side}": 1–16 printable characters without spaces, e.g. "USD"`)
      }
    }
    if (p.from === p.to) throw new RateTableError(`${where}: a rate from ${p.from} to itself is always 1`)
    let rate: Fraction
    try {
      rate = parseRate(p.rate)
    } catch (err) {
      throw new RateTableError(`${where} (${p.from}/${p.to}): ${(err as Error).message}`)
    }
    if (rates.has(key(p.from, p.to))) {
      throw new RateTableError(`${where}: ${p.from}/${p.to} is given twice (one direction is enough; the other is its inverse)`)
    }
    rates.set(key(p.from, p.to), rate)
    rates.set(key(p.to, p.from), { numerator: rate.denominator, denominator: rate.numerator })
  })
  return { keep: { numerator: spread.denominator - spread.numerator, denominator: spread.denominator }, rates }
}

export class RateTable implements RateBackend {
  private state!: RateTableState
  /** 1 − spread. */
  private keep!: Fraction
  /** Whole-unit rates by "FROM\0TO", both directions. */
  private rates!: Map<string, Fraction>
  /** Exact base-unit fractions by "FROM\0fromScale\0TO\0toScale"; null: no rate. */
  private readonly cache = new Map<string, ExactRate | null>()
  private last: { fromCode: string; fromScale: number; toCode: string; toScale: number; rate: ExactRate | null } | undefined

  constructor(state: Partial<RateTableState> = {}) {
    this.set({ spread: state.spread ?? '0', pairs: state.pairs ?? [] })
  }

  get spread(): string {
    return this.state.spread
  }

  get pairs(): readonly RatePair[] {
    return this.state.pairs
  }

  /** Replaces the spread and/or the pairs (each given part as a whole); all or nothing: throws RateTableError. */
  set(change: Partial<RateTableState>): void {
    const next: RateTableState = {
      spread: change.spread ?? this.state?.spread ?? '0',
      pairs: (change.pairs ?? this.state?.pairs ?? []).map((p) => ({ from: p.from, to: p.to, rate: p.rate })),
    }
    const { keep, rates } = checkRateTable(next)
    this.state = next
    this.keep = keep
    this.rates = rates
    this.cache.clear()
    this.last = undefined
  }

  view(): RatesView {
    return { spread: this.state.spread, pairs: this.state.pairs.map((p) => ({ ...p })) }
  }

  exactRate(from: AssetRef, to: AssetRef): ExactRate | undefined {
    // Packets come in runs on the same pair of accounts: the last answer is checked first, without building a key.
    const last = this.last
    if (last !== undefined && last.fromCode === from.code && last.toCode === to.code && last.fromScale === from.scale && last.toScale === to.scale) {
      return last.rate ?? undefined
    }
    const k = `${from.code}\0${from.scale}\0${to.code}\0${to.scale}`
    let rate = this.cache.get(k)
    if (rate === undefined) {
      rate = this.compute(from, to)
      if (this.cache.size >= MAX_CACHED) this.cache.clear()
      this.cache.set(k, rate)
    }
    this.last = { fromCode: from.code, fromScale: from.scale, toCode: to.code, toScale: to.scale, rate }
    return rate ?? undefined
  }

  convert(amount: bigint, from: AssetRef, to: AssetRef): bigint | undefined {
    const rate = this.exactRate(from, to)
    if (rate === undefined) return undefined
    // Amounts are UInt64s; a negative one is a caller's bug, and must not turn into a negative payout.
    if (amount <= 0n) return 0n
    if (rate.denominator === 1n) return rate.numerator === 1n ? amount : amount * rate.numerator
    return (amount * rate.numerator) / rate.denominator
  }

  private compute(from: AssetRef, to: AssetRef): ExactRate | null {
    let whole: Fraction | undefined
    if (from.code === to.code || this.state.pairs.length === 0) whole = { numerator: 1n, denominator: 1n }
    else whole = this.rates.get(key(from.code, to.code))
    if (!whole) return null
    let n = whole.numerator * this.keep.numerator
    let d = whole.denominator * this.keep.denominator
    if (to.scale > from.scale) n *= 10n ** BigInt(to.scale - from.scale)
    else if (from.scale > to.scale) d *= 10n ** BigInt(from.scale - to.scale)
    return reduce(n, d)
  }
}

function key(from: string, to: string): string {
  return `${from}\0${to}`
}
