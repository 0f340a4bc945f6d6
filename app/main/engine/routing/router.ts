// The router: after the incoming middlewares, it answers what is addressed to Junction itself (ILDCP, peer.balance,
// CCP route messages, echo) and otherwise picks the next hop by longest prefix, converts the amount (rates/rate-table.ts) and shortens the expiry.
import type { Account } from '../accounts/account'
import { answerPeerBalance } from '../control/peer-balance'
import { answerPeerConfig } from '../control/peer-config'
import { readEchoRequest } from '../control/echo'
import {
  amountTooLarge,
  type IlpFailure,
  insufficientTimeout,
  peerUnreachable,
  unreachable,
} from '../ilp/ilp-failure'
import type { Reply } from '../ilp/packets'
import type { OwnIdentity } from '../own-identity'
import type { PacketContext } from '../pipeline/packet-context'
import type { RateBackend } from '../rates/rate-backend'
import { largestConvertible, MAX_UINT64, missingRateMessage } from '../rates/rate-table'
import type { RoutingTable } from './routing-table'

/** Answers CCP (peer.route.control / peer.route.update); see ccp/route-exchange.ts. */
export interface RouteMessages {
  handle(from: Account, prepare: PacketContext['prepare']): IlpFailure | Reply
}

export interface RouterOptions {
  own: OwnIdentity
  table: RoutingTable
  accounts: ReadonlyMap<string, Account>
  rates: RateBackend
  /** Time kept back on each hop for messages to travel (ms). */
  minMessageWindowMs: number
  /** Longest time Junction lets money be on hold on the next hop (ms). */
  maxHoldTimeMs: number
  /** CCP; without it route messages are refused like any other unknown peer.* destination. */
  routeMessages?: RouteMessages
}

export class Router {
  constructor(private readonly opts: RouterOptions) {}

  /** Sets ctx.to / outAmount / outExpiresAt for a packet to forward, or returns the answer or failure. */
  route(ctx: PacketContext): IlpFailure | Reply | undefined {
    const p = ctx.prepare
    let destination = p.destination
    if (destination.startsWith('peer.')) {
      if (destination === 'peer.config') return answerPeerConfig(ctx.from, this.opts.own)
      if (destination === 'peer.balance') return answerPeerBalance(ctx.from)
      if (this.opts.routeMessages && (destination === 'peer.route.control' || destination === 'peer.route.update')) {
        return this.opts.routeMessages.handle(ctx.from, p)
      }
      return unreachable(`${destination} is not answered here, and peer.* addresses are never forwarded`)
    }
    const ownAddress = this.opts.own.address
    const isEchoResponse = destination === ownAddress
    if (isEchoResponse) {
      const echo = readEchoRequest(p.data)
      if (!('destination' in echo)) return echo
      // The echo response travels as a new prepare from the same sender, through the normal route.
      p.destination = destination = echo.destination
      p.data = echo.data
      p.patchAt = -1
    }

    const route = this.opts.table.lookup(destination)
    if (!route) return unreachable(`no route to ${destination}`)
    if (route.accountId === '') {
      const name = ownAddress ? destination.slice(ownAddress.length + 1).split('.')[0] : destination
      return unreachable(`no app named "${name}" is known to Junction`)
    }
    const to = this.opts.accounts.get(route.accountId)
    if (!to) return unreachable(`no route to ${destination}: account ${route.accountId} is gone`)
    // An echo response may go back where the request came from: that is how a ping from beyond the provider returns.
    if (to === ctx.from && to.relation !== 'child' && !isEchoResponse) {
      return unreachable(`no route to ${destination} other than back to ${to.id}, where the packet came from`)
    }
    if (!to.link?.open) {
      return peerUnreachable(
        to.relation === 'parent' ? `the provider (${to.id}) is not connected` : `${to.relation === 'child' ? 'app' : 'peer'} ${to.id} is not connected`,
      )
    }

    const now = Date.now()
    const window = this.opts.minMessageWindowMs
    if (p.expiresAt <= now) return insufficientTimeout('source transfer has already expired.')
    const outExpiresAt = Math.min(p.expiresAt - window, now + this.opts.maxHoldTimeMs)
    if (outExpiresAt - now < window) {
      return insufficientTimeout(
        `source transfer expires too soon to complete payment: ${p.expiresAt - now} ms left, Junction needs more than ${2 * window} ms`,
      )
    }
    const fromAsset = { code: ctx.from.assetCode, scale: ctx.from.assetScale }
    const toAsset = { code: to.assetCode, scale: to.assetScale }
    const outAmount = this.opts.rates.convert(p.amount, fromAsset, toAsset)
    if (outAmount === undefined) return unreachable(missingRateMessage(fromAsset, toAsset))
    // A high rate (or a scale up) can make an amount too big for the next hop's UInt64: the sender must send less.
    if (outAmount > MAX_UINT64) return amountTooLarge(p.amount, largestConvertible(this.opts.rates.exactRate(fromAsset, toAsset)!))
    ctx.to = to
    ctx.outAmount = outAmount
    ctx.outExpiresAt = outExpiresAt
    return undefined
  }
}
