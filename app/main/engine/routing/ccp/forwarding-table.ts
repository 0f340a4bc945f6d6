// What Junction advertises by CCP, and the log of its changes by epoch. Built from the routing table's routes in use:
// each change of an advertised route (new, other next hop or path, gone) is one epoch in the log; a peer that has
// epoch N is sent the log from N. The routing-table id is fresh on every start, so a peer that knew an older table
// starts again from epoch 0. Shape after ilp-connector's forwarding routing table.
import { createHmac, randomBytes, randomUUID } from 'node:crypto'
import { sha256 } from '../../ilp/packets'
import type { Route, RouteSource } from '../routing-table'
import { globalPrefixOf } from './route-filter'

export interface AdvertisedRoute {
  prefix: string
  /** The account packets for the prefix go to ('' = Junction itself); never advertised back to it. */
  nextHop: string
  source: RouteSource
  /** Starts with Junction's own address. */
  path: string[]
  auth: Buffer
}

export interface LogEntry {
  epoch: number
  prefix: string
  /** Undefined: the prefix is withdrawn. */
  route: AdvertisedRoute | undefined
}

export class ForwardingTable {
  readonly routingTableId = randomUUID()
  private readonly secret = randomBytes(32)
  /** Entry i is epoch i's change; null once a later change of the same prefix superseded it. */
  readonly log: Array<LogEntry | null> = []
  private readonly current = new Map<string, LogEntry>()

  get currentEpoch(): number {
    return this.log.length
  }

  /** Brings the advertisements in line with `routes` (the routes in use); returns whether anything was logged. */
  update(routes: readonly Route[], ownAddress: string | undefined): boolean {
    const wanted = new Map<string, AdvertisedRoute>()
    if (ownAddress !== undefined) {
      for (const r of routes) {
        const advertised = this.advertise(r, ownAddress)
        if (advertised) wanted.set(r.prefix, advertised)
      }
    }
    let changed = false
    for (const [prefix, route] of wanted) {
      const now = this.current.get(prefix)?.route
      if (now && now.nextHop === route.nextHop && now.path.join(' ') === route.path.join(' ')) continue
      this.append(prefix, route)
      changed = true
    }
    for (const [prefix, entry] of this.current) {
      if (entry.route && !wanted.has(prefix)) {
        this.append(prefix, undefined)
        changed = true
      }
    }
    return changed
  }

  /** The advertised routes now (what a peer that has every epoch knows). */
  routes(): AdvertisedRoute[] {
    return [...this.current.values()].flatMap((e) => (e.route ? [e.route] : []))
  }

  private append(prefix: string, route: AdvertisedRoute | undefined): void {
    const previous = this.current.get(prefix)
    if (previous) this.log[previous.epoch] = null
    const entry: LogEntry = { epoch: this.log.length, prefix, route }
    this.log.push(entry)
    this.current.set(prefix, entry)
  }

  /** How `route` is advertised, or undefined for a route that is not (as ilp-connector decides). */
  private advertise(route: Route, own: string): AdvertisedRoute | undefined {
    const global = globalPrefixOf(own)
    // The default route and anything outside the network are not routes a peer can use.
    if (!route.prefix.startsWith(global + '.')) return undefined
    // Apps are reached through Junction's own address, which is advertised: no need for one route per app (nor for
    // the apps' routes under an address kept for a provider switch's grace period).
    if (route.source === 'child' || route.prefix.startsWith(own + '.')) return undefined
    const path = [own, ...(route.path ?? [])]
    const auth = route.auth ? sha256(route.auth) : createHmac('sha256', this.secret).update(route.prefix).digest()
    return { prefix: route.prefix, nextHop: route.accountId, source: route.source, path, auth }
  }
}
