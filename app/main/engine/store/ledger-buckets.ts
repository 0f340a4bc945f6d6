// How the per-app ledger groups packets: time buckets (resolution in seconds) and destination prefixes.

export const MINUTE = 60
export const HOUR = 3600
export const DAY = 86400

/** How many leading segments of a destination address identify "to whom" (e.g. `g.ilsp.merchant`). */
export const PREFIX_SEGMENTS = 3

/** The first PREFIX_SEGMENTS segments of an ILP address (all of it if shorter). */
export function destinationPrefix(destination: string, segments = PREFIX_SEGMENTS): string {
  let at = -1
  for (let i = 0; i < segments; i++) {
    at = destination.indexOf('.', at + 1)
    if (at === -1) return destination
  }
  return destination.slice(0, at)
}
