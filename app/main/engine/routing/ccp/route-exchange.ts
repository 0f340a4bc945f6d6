// CCP route exchange with the accounts that take part: peers (and a provider that asks for it). It answers the
// peer.route.control / peer.route.update prepares the router hands over, keeps one receiver and one sender per
// account while its link is up, and logs every change of the routing table into the forwarding table that the
// senders advertise. Apps (children) never send nor receive routes.
import * as IlpPacket from 'ilp-packet'
import * as Ccp from 'ilp-protocol-ccp'
import type { Account } from '../../accounts/account'
import { badRequest, type IlpFailure } from '../../ilp/ilp-failure'
import { fulfillReply, PEER_PROTOCOL_CONDITION, PEER_PROTOCOL_FULFILLMENT, type Prepare, readReply, type Reply, writePrepare } from '../../ilp/packets'
import type { Logger } from '../../log'
import type { RoutingTable } from '../routing-table'
import { CcpReceiver } from './ccp-receiver'
import { CcpSender } from './ccp-sender'
import { ForwardingTable } from './forwarding-table'

export const CCP_CONTROL = 'peer.route.control'
export const CCP_UPDATE = 'peer.route.update'

/** ilp-connector's defaults: a heartbeat every 30 s, routes held for 45 s without one. */
export const DEFAULT_BROADCAST_INTERVAL_MS = 30_000
export const DEFAULT_ROUTE_EXPIRY_MS = 45_000
/** A route control the peer did not take is sent again after this long (as ilp-connector does). */
const CONTROL_RETRY_MS = 30_000
/** Peer-protocol prepares live 60 s, as in the JS libraries. */
const PEER_PROTOCOL_EXPIRY_MS = 60_000

export interface RouteExchangeOptions {
  table: RoutingTable
  ownAddress: () => string | undefined
  log: Logger
  broadcastIntervalMs?: number
  routeExpiryMs?: number
}

export interface ExchangeRole {
  /** We send our routes to this account (when it asks). */
  send: boolean
  /** We ask this account for its routes and take them. */
  receive: boolean
}

interface Participant {
  account: Account
  sender?: CcpSender
  receiver?: CcpReceiver
  controlTimer?: ReturnType<typeof setTimeout>
}

export class RouteExchange {
  readonly forwarding = new ForwardingTable()
  private readonly participants = new Map<string, Participant>()
  private readonly unwatch: () => void
  private recomputeQueued = false
  private stopped = false

  constructor(private readonly opts: RouteExchangeOptions) {
    this.unwatch = opts.table.watch(() => this.queueRecompute())
    this.recompute()
  }

  /** The account's link is up: start exchanging routes with it. */
  attach(account: Account, role: ExchangeRole): void {
    if (account.relation === 'child' || this.stopped) return
    this.detach(account.id)
    const p: Participant = { account }
    const log = this.opts.log
    if (role.send) {
      p.sender = new CcpSender({
        accountId: account.id,
        relation: account.relation,
        forwarding: this.forwarding,
        ownAddress: this.opts.ownAddress,
        broadcastIntervalMs: this.opts.broadcastIntervalMs ?? DEFAULT_BROADCAST_INTERVAL_MS,
        routeExpiryMs: this.opts.routeExpiryMs ?? DEFAULT_ROUTE_EXPIRY_MS,
        send: (update) => this.sendPeerProtocol(account, CCP_UPDATE, Ccp.serializeCcpRouteUpdateRequestPayload(update)),
        onError: (err) => log.debug(`route update to ${account.id} failed: ${err.message}`),
      })
    }
    if (role.receive) {
      p.receiver = new CcpReceiver({
        accountId: account.id,
        table: this.opts.table,
        ownAddress: this.opts.ownAddress,
        onExpired: (count) => log.info(`${count} route(s) from ${account.id} expired (no update within their hold-down time)`),
      })
    }
    this.participants.set(account.id, p)
    if (p.receiver) this.sendControl(p)
  }

  /** The account's link is down: its routes go, and nothing more is sent to it. */
  detach(accountId: string): void {
    const p = this.participants.get(accountId)
    if (!p) return
    this.participants.delete(accountId)
    clearTimeout(p.controlTimer)
    p.sender?.stop()
    p.receiver?.reset()
  }

  receiver(accountId: string): CcpReceiver | undefined {
    return this.participants.get(accountId)?.receiver
  }

  sender(accountId: string): CcpSender | undefined {
    return this.participants.get(accountId)?.sender
  }

  /** Answers a peer.route.* prepare (the router calls this). */
  handle(from: Account, prepare: Prepare): IlpFailure | Reply {
    if (from.relation === 'child') {
      return badRequest('Junction exchanges routes with peers only; apps (children) never send or receive routes')
    }
    if (!prepare.executionCondition.equals(PEER_PROTOCOL_CONDITION)) {
      return badRequest('a CCP message must carry the peer-protocol condition (sha256 of 32 zero bytes)')
    }
    const p = this.participants.get(from.id)
    if (prepare.destination === CCP_CONTROL) {
      if (!p?.sender) return badRequest(`Junction does not send routes to ${from.id}`)
      let control: Ccp.CcpRouteControlRequest
      try {
        control = Ccp.deserializeCcpRouteControlRequestPayload(prepare.data)
      } catch (err) {
        return badRequest(`malformed route control: ${(err as Error).message}`)
      }
      if (control.mode !== Ccp.Mode.MODE_IDLE && control.mode !== Ccp.Mode.MODE_SYNC) {
        return badRequest(`unknown route control mode ${control.mode}`)
      }
      p.sender.handleControl(control)
      return fulfillReply(PEER_PROTOCOL_FULFILLMENT, Buffer.alloc(0))
    }
    if (prepare.destination === CCP_UPDATE) {
      if (!p?.receiver) return badRequest(`Junction does not take routes from ${from.id}`)
      let update: Ccp.CcpRouteUpdateRequest
      try {
        update = Ccp.deserializeCcpRouteUpdateRequestPayload(prepare.data)
      } catch (err) {
        return badRequest(`malformed route update: ${(err as Error).message}`)
      }
      const outcome = p.receiver.handleUpdate(update)
      if (!outcome.applied && outcome.gap) {
        this.opts.log.debug(`route update from ${from.id} starts at epoch ${update.fromEpochIndex}, we have ${outcome.epoch}: asking again`)
        this.sendControl(p)
      } else if (outcome.applied && outcome.refused.length > 0) {
        this.opts.log.debug(`refused ${outcome.refused.length} route(s) from ${from.id}, e.g. ${outcome.refused[0].prefix}: ${outcome.refused[0].why}`)
      }
      // Fulfilled even when not applied, as ilp-connector does: the peer learns the epoch we have from our control.
      return fulfillReply(PEER_PROTOCOL_FULFILLMENT, Buffer.alloc(0))
    }
    return badRequest(`unknown CCP destination ${prepare.destination}`)
  }

  /** Junction's address changed: routes that now pass through it or claim its address space are dropped. */
  ownAddressChanged(): void {
    const own = this.opts.ownAddress()
    if (own === undefined) return
    for (const p of this.participants.values()) {
      const dropped = p.receiver?.recheck(own) ?? []
      if (dropped.length > 0) {
        this.opts.log.info(`dropped ${dropped.length} route(s) from ${p.account.id} under the new address ${own}, e.g. ${dropped[0].prefix}: ${dropped[0].why}`)
      }
    }
  }

  stop(): void {
    this.stopped = true
    this.unwatch()
    for (const id of [...this.participants.keys()]) this.detach(id)
  }

  /** Route control in sync mode: "send me your routes from this epoch of this table". Retried until taken. */
  private sendControl(p: Participant): void {
    clearTimeout(p.controlTimer)
    p.controlTimer = undefined
    const receiver = p.receiver
    if (!receiver || this.participants.get(p.account.id) !== p) return
    const control: Ccp.CcpRouteControlRequest = {
      mode: Ccp.Mode.MODE_SYNC,
      lastKnownRoutingTableId: receiver.routingTableId,
      lastKnownEpoch: receiver.epoch,
      features: [],
    }
    this.sendPeerProtocol(p.account, CCP_CONTROL, Ccp.serializeCcpRouteControlRequestPayload(control)).catch((err: Error) => {
      if (this.participants.get(p.account.id) !== p) return
      this.opts.log.debug(`route control to ${p.account.id} failed (${err.message}); retrying in ${CONTROL_RETRY_MS / 1000} s`)
      p.controlTimer = setTimeout(() => this.sendControl(p), CONTROL_RETRY_MS)
      p.controlTimer.unref?.()
    })
  }

  private sendPeerProtocol(account: Account, destination: string, data: Buffer): Promise<void> {
    return new Promise((resolve, reject) => {
      const link = account.link
      if (!link?.open) return reject(new Error(`${account.id} is not connected`))
      const raw = writePrepare({
        amount: 0n,
        destination,
        executionCondition: PEER_PROTOCOL_CONDITION,
        expiresAt: Date.now() + PEER_PROTOCOL_EXPIRY_MS,
        data,
      })
      link.sendPrepare(raw, (err, replyRaw) => {
        if (err) return reject(err)
        try {
          const reply = readReply(replyRaw!)
          if (reply.fulfillment) return resolve()
          reject(new Error(`rejected with ${reply.code}: ${rejectMessage(replyRaw!)}`))
        } catch (e) {
          reject(e as Error)
        }
      })
    })
  }

  private queueRecompute(): void {
    if (this.recomputeQueued) return
    this.recomputeQueued = true
    // Many table changes in one tick (a CCP update, a new address) make one log pass.
    queueMicrotask(() => {
      this.recomputeQueued = false
      this.recompute()
    })
  }

  private recompute(): void {
    if (this.stopped) return
    if (!this.forwarding.update(this.opts.table.list(), this.opts.ownAddress())) return
    for (const p of this.participants.values()) p.sender?.schedule()
  }
}

function rejectMessage(raw: Buffer): string {
  try {
    return IlpPacket.deserializeIlpReject(raw).message
  } catch {
    return '(unreadable reject)'
  }
}
