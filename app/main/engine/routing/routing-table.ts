// The routing table: ILP address prefixes to the account that is the next hop, matched by longest prefix.
// A prefix may be offered by several sources at once (a configured route, a child, two peers by CCP, the provider);
// all offers are kept, so that when the best one goes (a withdrawal, an expiry, a lost link) the next best takes over.
// The best: configured > local > child > peer > parent, then the shorter CCP path, then the lower account id.

export type RouteSource = 'configured' | 'local' | 'child' | 'peer' | 'parent'

export interface Route {
  /** An address prefix without a trailing dot; '' is the default route. */
  prefix: string
  /** The next hop's account id; '' for Junction itself (its own address prefix). */
  accountId: string
  source: RouteSource
  /** CCP: the connectors on the way, nearest first (the next hop's address is the first). Absent = []. */
  path?: string[]
  /** CCP: when the route expires unless the peer confirms it again (Unix ms). Absent = never. */
  expiresAt?: number
  /** CCP: the route's auth value as received (32 bytes); forwarded as its sha256. */
  auth?: Buffer
}

const PREFERENCE: Record<RouteSource, number> = { configured: 5, local: 4, child: 3, peer: 2, parent: 1 }

/** Negative when `a` is the better route for the same prefix. */
export function compareRoutes(a: Route, b: Route): number {
  return (
    PREFERENCE[b.source] - PREFERENCE[a.source] ||
    (a.path?.length ?? 0) - (b.path?.length ?? 0) ||
    (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0)
  )
}

/** Peers offer routes per account (each peer its own offer); every other source holds one offer per prefix. */
function offerKey(route: Pick<Route, 'source' | 'accountId'>): string {
  return route.source === 'peer' ? `peer\u0000${route.accountId}` : route.source
}

interface Entry {
  best: Route
  offers: Map<string, Route>
}

export class RoutingTable {
  private readonly entries = new Map<string, Entry>()
  private readonly watchers = new Set<() => void>()
  private batchDepth = 0
  private changedInBatch = false

  /** `onChange` runs after every change (the connector turns it into the `routesChanged` event). Never per packet. */
  constructor(onChange?: () => void) {
    if (onChange) this.watchers.add(onChange)
  }

  /** Runs `fn` after every change (once per batch); returns the function that stops it. */
  watch(fn: () => void): () => void {
    this.watchers.add(fn)
    return () => this.watchers.delete(fn)
  }

  /** Applies many changes with one notification at the end (a CCP update with many routes). */
  batch<T>(fn: () => T): T {
    this.batchDepth++
    try {
      return fn()
    } finally {
      this.batchDepth--
      if (this.batchDepth === 0 && this.changedInBatch) {
        this.changedInBatch = false
        this.notify()
      }
    }
  }

  /**
   * Adds or replaces the offer of `route.source` (of `route.accountId` for peers) for its prefix.
   * Returns whether it is now the route in use for that prefix.
   */
  add(route: Route): boolean {
    let entry = this.entries.get(route.prefix)
    if (!entry) {
      entry = { best: route, offers: new Map() }
      this.entries.set(route.prefix, entry)
    }
    entry.offers.set(offerKey(route), route)
    this.settle(route.prefix, entry)
    this.changed()
    return entry.best === route
  }

  /** Removes the offers of `source` for `prefix` (only `accountId`'s, if given). */
  remove(prefix: string, source: RouteSource, accountId?: string): void {
    const entry = this.entries.get(prefix)
    if (!entry) return
    let removed = false
    for (const [key, offer] of entry.offers) {
      if (offer.source === source && (accountId === undefined || offer.accountId === accountId)) {
        entry.offers.delete(key)
        removed = true
      }
    }
    if (!removed) return
    this.settle(prefix, entry)
    this.changed()
  }

  /** Removes every offer of one source (only `accountId`'s, if given). */
  removeSource(source: RouteSource, accountId?: string): void {
    this.batch(() => {
      for (const [prefix, entry] of [...this.entries]) {
        for (const offer of entry.offers.values()) {
          if (offer.source === source && (accountId === undefined || offer.accountId === accountId)) {
            this.remove(prefix, source, accountId)
            break
          }
        }
      }
    })
  }

  /** The route in use for the longest prefix of `destination` that ends on a segment boundary. */
  lookup(destination: string): Route | undefined {
    let candidate = destination
    for (;;) {
      const entry = this.entries.get(candidate)
      if (entry) return entry.best
      if (candidate === '') return undefined
      const dot = candidate.lastIndexOf('.')
      candidate = dot === -1 ? '' : candidate.slice(0, dot)
    }
  }

  /** The route in use for exactly `prefix`. */
  get(prefix: string): Route | undefined {
    return this.entries.get(prefix)?.best
  }

  /** The routes in use, one per prefix, sorted by prefix. */
  list(): Route[] {
    return [...this.entries.values()].map((e) => e.best).sort((a, b) => (a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : 0))
  }

  /** Every offer for `prefix`, the one in use first. */
  offers(prefix: string): Route[] {
    return [...(this.entries.get(prefix)?.offers.values() ?? [])].sort(compareRoutes)
  }

  private settle(prefix: string, entry: Entry): void {
    let best: Route | undefined
    for (const offer of entry.offers.values()) if (!best || compareRoutes(offer, best) < 0) best = offer
    if (best) entry.best = best
    else this.entries.delete(prefix)
  }

  private changed(): void {
    if (this.batchDepth > 0) this.changedInBatch = true
    else this.notify()
  }

  private notify(): void {
    for (const fn of this.watchers) fn()
  }
}
