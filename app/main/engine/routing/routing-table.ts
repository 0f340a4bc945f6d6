// The routing table: ILP address prefixes to the account that is the next hop, matched by longest prefix.
// When two sources offer the same prefix, the preferred one wins: configured > local > child > peer > parent.

export type RouteSource = 'configured' | 'local' | 'child' | 'peer' | 'parent'

export interface Route {
  /** An address prefix without a trailing dot; '' is the default route. */
  prefix: string
  /** The next hop's account id; '' for Junction itself (its own address prefix). */
  accountId: string
  source: RouteSource
}

const PREFERENCE: Record<RouteSource, number> = { configured: 5, local: 4, child: 3, peer: 2, parent: 1 }

export class RoutingTable {
  private readonly routes = new Map<string, Route>()

  /** Called after every change (the connector turns it into the `routesChanged` event). Never per packet. */
  constructor(private readonly onChange?: () => void) {}

  /** Adds a route unless a more preferred source already holds the prefix. Returns whether it took effect. */
  add(route: Route): boolean {
    const current = this.routes.get(route.prefix)
    if (current && PREFERENCE[current.source] > PREFERENCE[route.source]) return false
    this.routes.set(route.prefix, route)
    this.onChange?.()
    return true
  }

  /** Removes the route for `prefix` if it is the one from `source`. */
  remove(prefix: string, source: RouteSource): void {
    if (this.routes.get(prefix)?.source === source) {
      this.routes.delete(prefix)
      this.onChange?.()
    }
  }

  /** Removes every route from `source`. */
  removeSource(source: RouteSource): void {
    let changed = false
    for (const [prefix, route] of this.routes) {
      if (route.source === source) {
        this.routes.delete(prefix)
        changed = true
      }
    }
    if (changed) this.onChange?.()
  }

  /** The route with the longest prefix of `destination` that ends on a segment boundary. */
  lookup(destination: string): Route | undefined {
    let candidate = destination
    for (;;) {
      const route = this.routes.get(candidate)
      if (route) return route
      if (candidate === '') return undefined
      const dot = candidate.lastIndexOf('.')
      candidate = dot === -1 ? '' : candidate.slice(0, dot)
    }
  }

  list(): Route[] {
    return [...this.routes.values()].sort((a, b) => a.prefix.localeCompare(b.prefix))
  }
}
