// Reproducible randomness for property tests (xorshift32): a failing case names its seed, and the same seed
// replays it exactly.
export interface SeededRandom {
  /** 0 ≤ result < n. */
  int(n: number): number
  bytes(n: number): Buffer
  /** Any unsigned 64-bit value. */
  u64(): bigint
}

export function seededRandom(seed: number): SeededRandom {
  let x = seed >>> 0 || 1
  const next = () => {
    x ^= x << 13
    x >>>= 0
    x ^= x >>> 17
    x ^= x << 5
    x >>>= 0
    return x
  }
  return {
    int: (n) => next() % n,
    bytes: (n) => {
      const b = Buffer.alloc(n)
      for (let i = 0; i < n; i++) b[i] = next() & 0xff
      return b
    },
    u64: () => (BigInt(next()) << 32n) | BigInt(next()),
  }
}
