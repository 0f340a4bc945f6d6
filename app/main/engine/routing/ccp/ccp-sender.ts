// Junction's route updates to one peer (peer.route.update), as ilp-connector's sender does: nothing until the peer
// asks for routes with a route control in sync mode; then the log from the epoch the peer has, at most 50 epochs
// per update, at once when there is news (but never within 150 ms of the last update), else a heartbeat every
// broadcast interval, which also renews the hold-down time of everything the peer has from us.
// A route is never advertised to the account it leads to (the peer gets it as withdrawn), and a parent gets only
// Junction's own routes (local and apps), never what peers or another provider gave us.
import { type CcpRouteControlRequest, type CcpRouteUpdateRequest, Mode } from 'ilp-protocol-ccp'
import type { Relation } from '../../accounts/account'
import type { ForwardingTable } from './forwarding-table'

export const MIN_UPDATE_INTERVAL_MS = 150
export const MAX_EPOCHS_PER_UPDATE = 50

export interface CcpSenderOptions {
  accountId: string
  relation: Relation
  forwarding: ForwardingTable
  ownAddress: () => string | undefined
  /** Sends one update; resolves when the peer fulfilled it, rejects otherwise. */
  send: (update: CcpRouteUpdateRequest) => Promise<void>
  broadcastIntervalMs: number
  /** Sent as holdDownTime: how long the peer may keep our routes without hearing from us. */
  routeExpiryMs: number
  onError?: (err: Error) => void
}

export class CcpSender {
  mode: Mode = Mode.MODE_IDLE
  /** The epoch the peer has from us (the next update starts there). */
  lastKnownEpoch = 0
  private lastUpdateAt = 0
  private timer: ReturnType<typeof setTimeout> | undefined
  private sending = false
  private retryAt = 0
  private stopped = false

  constructor(private readonly opts: CcpSenderOptions) {}

  handleControl(control: CcpRouteControlRequest): void {
    this.mode = control.mode
    const { forwarding } = this.opts
    this.lastKnownEpoch =
      control.lastKnownRoutingTableId === forwarding.routingTableId ? Math.min(control.lastKnownEpoch, forwarding.currentEpoch) : 0
    if (this.mode === Mode.MODE_SYNC) this.schedule()
    else this.clearTimer()
  }

  /** The forwarding table changed, or the peer asked: plans the next update. */
  schedule(): void {
    this.clearTimer()
    // Without an address (waiting for the provider's ILDCP answer) there is no speaker; the address's arrival changes
    // the routing table, which schedules again.
    if (this.stopped || this.mode !== Mode.MODE_SYNC || this.sending || this.opts.ownAddress() === undefined) return
    const news = this.lastKnownEpoch < this.opts.forwarding.currentEpoch
    const now = Date.now()
    const delay = Math.max(
      MIN_UPDATE_INTERVAL_MS - (now - this.lastUpdateAt),
      news ? 0 : this.opts.broadcastIntervalMs - (now - this.lastUpdateAt),
      // After a failed update the peer is not asked again at once (it may be down or refuse our routes).
      this.retryAt - now,
      0,
    )
    this.timer = setTimeout(() => {
      this.timer = undefined
      this.sendOne()
        .catch((err: Error) => this.opts.onError?.(err))
        .finally(() => this.schedule())
    }, delay)
    this.timer.unref?.()
  }

  stop(): void {
    this.stopped = true
    this.clearTimer()
  }

  /** The update the peer gets next (exported for tests). */
  nextUpdate(): CcpRouteUpdateRequest | undefined {
    const own = this.opts.ownAddress()
    if (own === undefined) return undefined
    const { forwarding, accountId, relation } = this.opts
    const from = this.lastKnownEpoch
    const entries = forwarding.log.slice(from, from + MAX_EPOCHS_PER_UPDATE)
    const newRoutes: CcpRouteUpdateRequest['newRoutes'] = []
    const withdrawnRoutes: string[] = []
    for (const entry of entries) {
      if (!entry) continue
      const r = entry.route
      const usable = r !== undefined && r.nextHop !== accountId && (relation !== 'parent' || r.source === 'local' || r.source === 'child')
      if (usable) newRoutes.push({ prefix: r.prefix, path: r.path, auth: r.auth, props: [] })
      else withdrawnRoutes.push(entry.prefix)
    }
    return {
      routingTableId: forwarding.routingTableId,
      currentEpochIndex: forwarding.currentEpoch,
      fromEpochIndex: from,
      toEpochIndex: from + entries.length,
      holdDownTime: this.opts.routeExpiryMs,
      speaker: own,
      newRoutes,
      withdrawnRoutes,
    }
  }

  private async sendOne(): Promise<void> {
    const update = this.nextUpdate()
    this.lastUpdateAt = Date.now()
    if (!update) return
    this.sending = true
    const previous = this.lastKnownEpoch
    this.lastKnownEpoch = update.toEpochIndex
    try {
      await this.opts.send(update)
      this.retryAt = 0
    } catch (err) {
      this.retryAt = Date.now() + this.opts.broadcastIntervalMs
      // Not taken: the same epochs go again with the next attempt.
      this.lastKnownEpoch = previous
      throw err
    } finally {
      this.sending = false
    }
  }

  private clearTimer(): void {
    clearTimeout(this.timer)
    this.timer = undefined
  }
}
