// ILDCP (RFC 31) for apps: a prepare to `peer.config` is answered with the app's address
// (`<Junction's address>.<its name>`) and the provider's asset. Until Junction has an address, T01: ILDCP clients
// retry, and the app gets its address as soon as the provider has answered Junction's own ILDCP request.
import * as ILDCP from 'ilp-protocol-ildcp'
import type { Account } from '../accounts/account'
import { type IlpFailure, peerUnreachable, unreachable } from '../ilp/ilp-failure'
import { PEER_PROTOCOL_FULFILLMENT, type Reply } from '../ilp/packets'
import type { OwnIdentity } from '../own-identity'

export function answerPeerConfig(from: Account, own: OwnIdentity): IlpFailure | Reply {
  if (from.relation !== 'child' || !from.segment) {
    return unreachable('peer.config is answered to apps (children) only')
  }
  if (own.address === undefined) {
    return peerUnreachable('Junction has no ILP address yet: it is waiting for its provider; retry shortly')
  }
  // ilp-protocol-ildcp builds the whole Fulfill (peer-protocol fulfillment, response as data).
  const raw = ILDCP.serializeIldcpResponse({
    clientAddress: `${own.address}.${from.segment}`,
    assetScale: own.assetScale,
    assetCode: own.assetCode,
  })
  return { raw, fulfillment: PEER_PROTOCOL_FULFILLMENT }
}
