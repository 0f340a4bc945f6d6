// The routes one peer gives Junction by CCP (peer.route.update), kept in the routing table as that peer's offers.
// Epochs follow ilp-connector's receiver: a new routing-table id starts again at epoch 0; an update that starts past
// the epoch we have (a gap) or ends before it (old) is not applied. Unlike ilp-connector, Junction then says so
// (the caller sends a route control with the epoch it has, and the peer resends from there), drops the old table's
// routes when the peer's table id changes, and purges the peer's routes when their hold-down time passes without
// an update (ilp-connector keeps expired routes forever).
import type { CcpRouteUpdateRequest } from 'ilp-protocol-ccp'
import type { RoutingTable } from '../routing-table'
import { routeProblem } from './route-filter'

export const ZERO_ROUTING_TABLE_ID = '00000000-0000-0000-0000-000000000000'

export type UpdateOutcome =
  | { applied: true; added: number; withdrawn: number; refused: Array<{ prefix: string; why: string }> }
  /** Not applied: the update starts after the epoch we have; ask the peer for `epoch` onwards. */
  | { applied: false; gap: true; epoch: number }
  /** Not applied: an update we have already seen. */
  | { applied: false; gap: false }

export interface CcpReceiverOptions {
  accountId: string
  table: RoutingTable
  /** Junction's address now (routes through it are loops). */
  ownAddress: () => string | undefined
  now?: () => number
  /** Called whenever the peer's routes expire (tests and logs). */
  onExpired?: (count: number) => void
}

export class CcpReceiver {
  routingTableId = ZERO_ROUTING_TABLE_ID
  epoch = 0
  /** When this peer's routes expire unless it sends another update (Unix ms); 0 = no routes held. */
  expiresAt = 0
  private readonly prefixes = new Set<string>()
  private timer: ReturnType<typeof setTimeout> | undefined
  private readonly now: () => number

  constructor(private readonly opts: CcpReceiverOptions) {
    this.now = opts.now ?? Date.now
  }

  get routeCount(): number {
    return this.prefixes.size
  }

  handleUpdate(update: CcpRouteUpdateRequest): UpdateOutcome {
    if (update.routingTableId !== this.routingTableId) {
      // The peer restarted (or rebuilt its table): what we knew from the old table means nothing now.
      this.withdrawAll()
      this.routingTableId = update.routingTableId
      this.epoch = 0
    }
    if (update.fromEpochIndex > this.epoch) return { applied: false, gap: true, epoch: this.epoch }
    if (update.toEpochIndex < this.epoch) return { applied: false, gap: false }

    const own = this.opts.ownAddress()
    // Without an address no route can be checked for loops: not applied, so the peer's next update is a gap and
    // brings these routes again.
    if (own === undefined) return { applied: false, gap: false }
    const { table, accountId } = this.opts
    const expiresAt = this.now() + update.holdDownTime
    const refused: Array<{ prefix: string; why: string }> = []
    let added = 0
    let withdrawn = 0
    table.batch(() => {
      for (const prefix of update.withdrawnRoutes) {
        if (this.prefixes.delete(prefix)) {
          table.remove(prefix, 'peer', accountId)
          withdrawn++
        }
      }
      for (const route of update.newRoutes) {
        const why = routeProblem(route.prefix, route.path, own)
        if (why) {
          refused.push({ prefix: route.prefix, why })
          // A route the peer had given us before, now with a path we cannot use: gone too.
          if (this.prefixes.delete(route.prefix)) table.remove(route.prefix, 'peer', accountId)
          continue
        }
        this.prefixes.add(route.prefix)
        table.add({ prefix: route.prefix, accountId, source: 'peer', path: [...route.path], auth: route.auth, expiresAt })
        added++
      }
      // Every update, a heartbeat included, confirms all the peer's routes for another hold-down time.
      this.expiresAt = this.prefixes.size > 0 ? expiresAt : 0
      for (const prefix of this.prefixes) {
        const offer = table.offers(prefix).find((r) => r.source === 'peer' && r.accountId === accountId)
        if (offer && offer.expiresAt !== expiresAt) table.add({ ...offer, expiresAt })
      }
    })
    this.epoch = update.toEpochIndex
    this.schedulePurge()
    return { applied: true, added, withdrawn, refused }
  }

  /**
   * Junction's address changed (a provider switch): a route taken under the old address may now loop through us or
   * claim our new address space. Those go; the rest stay. Returns what went and why.
   */
  recheck(ownAddress: string): Array<{ prefix: string; why: string }> {
    const { table, accountId } = this.opts
    const dropped: Array<{ prefix: string; why: string }> = []
    table.batch(() => {
      for (const prefix of [...this.prefixes]) {
        const offer = table.offers(prefix).find((r) => r.source === 'peer' && r.accountId === accountId)
        const why = routeProblem(prefix, offer?.path ?? [], ownAddress)
        if (!why) continue
        this.prefixes.delete(prefix)
        table.remove(prefix, 'peer', accountId)
        dropped.push({ prefix, why })
      }
    })
    if (this.prefixes.size === 0) {
      this.expiresAt = 0
      this.stop()
    }
    return dropped
  }

  /** Removes the routes if their hold-down time has passed; returns how many went. */
  purgeIfExpired(): number {
    if (this.prefixes.size === 0 || this.now() < this.expiresAt) return 0
    const count = this.prefixes.size
    this.withdrawAll()
    // Epoch 0: the peer's next update (from a later epoch) is then a gap, and the resync brings every route again.
    this.epoch = 0
    this.opts.onExpired?.(count)
    return count
  }

  /** The link is gone: forget everything from this peer. */
  reset(): void {
    this.withdrawAll()
    this.routingTableId = ZERO_ROUTING_TABLE_ID
    this.epoch = 0
  }

  stop(): void {
    clearTimeout(this.timer)
    this.timer = undefined
  }

  private withdrawAll(): void {
    if (this.prefixes.size > 0) this.opts.table.removeSource('peer', this.opts.accountId)
    this.prefixes.clear()
    this.expiresAt = 0
    this.stop()
  }

  private schedulePurge(): void {
    clearTimeout(this.timer)
    this.timer = undefined
    if (this.prefixes.size === 0) return
    // setTimeout holds at most 2^31-1 ms; a longer hold-down is checked again then.
    const delay = Math.min(Math.max(0, this.expiresAt - this.now()) + 1, 0x7fffffff)
    this.timer = setTimeout(() => {
      this.timer = undefined
      if (this.purgeIfExpired() === 0) this.schedulePurge()
    }, delay)
    this.timer.unref?.()
  }
}
