// Which routes a peer may give Junction. A route must lie inside the network Junction is on (the first segment of
// its address: `g` for the live network, `test`, `private`, …, and be longer than that), must not pass through Junction
// already (its path holds our address: a loop), and must not claim Junction's own address space (that is ours alone:
// a peer offering `<our address>.x` would take packets meant for an app that is not connected).
import { isValidIlpAddress } from '../../../../shared/ilp-address'

/** The network's global prefix for an address: its first segment (`g.alice` → `g`). */
export function globalPrefixOf(address: string): string {
  const dot = address.indexOf('.')
  return dot === -1 ? address : address.slice(0, dot)
}

/** Why Junction (at `ownAddress`) refuses a route for `prefix` via `path`, or undefined when it takes it. */
export function routeProblem(prefix: string, path: readonly string[], ownAddress: string): string | undefined {
  const global = globalPrefixOf(ownAddress)
  if (!prefix.startsWith(global + '.') || !isValidIlpAddress(prefix)) return `outside the global prefix ${global}`
  if (path.includes(ownAddress)) return 'its path already passes through Junction (a loop)'
  if (prefix === ownAddress || prefix.startsWith(ownAddress + '.')) return "inside Junction's own address space"
  return undefined
}
