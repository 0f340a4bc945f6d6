// A peer: another connector (a friend's Junction, a lab's ilp-connector) that Junction links to as a BTP client or
// sends to over ILP-over-HTTP.
// Each peer is its own account `peer:<id>` (the colon keeps it apart from app names, which are address segments),
// with its own balance and limits; packets reach it by the routes it gives by CCP (or configured routes).
import type { AccountLimits } from '../accounts/account'
import { parseLinkUrl } from '../links/link-url'
import { addressSegmentProblem } from '../../../shared/ilp-address'

export interface PeerConfig {
  /** A short name (letters, digits, '_', '~', '-'); the account is `peer:<id>`. */
  id: string
  /**
   * The peer's BTP server, btp+ws://user:secret@host:port (ilp-plugin-btp's listener takes any user), or its
   * ILP-over-HTTP endpoint, https://name:token@host/path (for its packets to Junction, give it an incoming token on
   * the Peers card).
   */
  url: string
  relation: 'peer'
  /** The asset on this link; Junction's own if not given. */
  assetCode?: string
  assetScale?: number
  /** Send our routes when the peer asks (default true). */
  sendRoutes?: boolean
  /** Ask for and take the peer's routes (default true). */
  receiveRoutes?: boolean
  limits?: AccountLimits
}

export const PEER_ACCOUNT_PREFIX = 'peer:'

export function peerAccountId(id: string): string {
  return PEER_ACCOUNT_PREFIX + id
}

/** Throws an Error naming the peer and what is wrong with its settings. */
export function checkPeerConfig(peers: readonly PeerConfig[]): void {
  const seen = new Set<string>()
  for (const p of peers) {
    const problem = addressSegmentProblem(p.id ?? '')
    if (problem) throw new Error(`invalid peer id ${JSON.stringify(p.id)}: ${problem}`)
    if (seen.has(p.id)) throw new Error(`peer ${p.id} is given twice`)
    seen.add(p.id)
    if (p.relation !== 'peer') throw new Error(`peer ${p.id}: relation must be 'peer', not ${JSON.stringify(p.relation)}`)
    try {
      parseLinkUrl(p.url)
    } catch (err) {
      throw new Error(`peer ${p.id}: ${(err as Error).message.replace('provider URL', 'peer URL')}`)
    }
    if (p.assetScale !== undefined && (!Number.isInteger(p.assetScale) || p.assetScale < 0 || p.assetScale > 255)) {
      throw new Error(`peer ${p.id}: invalid asset scale ${p.assetScale}: expected 0–255`)
    }
    if (p.assetCode !== undefined && !/^[\x21-\x7e]{1,16}$/.test(p.assetCode)) {
      throw new Error(`peer ${p.id}: invalid asset code ${JSON.stringify(p.assetCode)}: 1–16 printable characters`)
    }
  }
}

/** `ID=URL` (the --peer flag) → a peer with the defaults. */
export function parsePeerFlag(value: string): PeerConfig {
  const i = value.indexOf('=')
  if (i <= 0 || i === value.length - 1) throw new Error('expected ID=URL, e.g. lab=btp+ws://:secret@lab.example:7443')
  const peer: PeerConfig = { id: value.slice(0, i), url: value.slice(i + 1), relation: 'peer' }
  checkPeerConfig([peer])
  return peer
}
