// The ILP packets as the engine sees them. Decoding and encoding use ilp-packet; only the two fields that change
// hop to hop (amount, expiry) are rewritten when a prepare is forwarded.
import { hash } from 'node:crypto'
import * as IlpPacket from 'ilp-packet'
import type { IlpFailure } from './ilp-failure'
import { patchPrepare, readPrepareFast } from './prepare-fast-path'

export const TYPE_PREPARE = 12
export const TYPE_FULFILL = 13
export const TYPE_REJECT = 14

export interface Prepare {
  amount: bigint
  /** Milliseconds since the epoch. */
  expiresAt: number
  executionCondition: Buffer
  destination: string
  data: Buffer
  /**
   * Where the amount sits in the raw incoming packet when it is canonical, so the forwarded copy can be patched
   * (see prepare-fast-path.ts); -1 when the packet must be re-encoded (e.g. echo changed its destination).
   */
  patchAt: number
}

/** A fulfill or reject travelling back. `raw` is what goes on the wire; the rest is read from it once. */
export interface Reply {
  raw: Buffer
  /** Present on a fulfill. */
  fulfillment?: Buffer
  /** Present on a reject. */
  code?: string
}

/** Decodes a prepare; throws on anything that is not a well-formed ILPv4 Prepare. */
export function readPrepare(raw: Buffer): Prepare {
  const fast = readPrepareFast(raw)
  if (fast) return fast
  const p = IlpPacket.deserializeIlpPrepare(raw)
  return {
    amount: BigInt(p.amount),
    expiresAt: p.expiresAt.getTime(),
    executionCondition: p.executionCondition,
    destination: p.destination,
    data: p.data,
    patchAt: -1,
  }
}

/** The prepare to forward: `p` with a new amount and expiry, patched from `raw` when possible. */
export function writeForwardedPrepare(raw: Buffer, p: Prepare, amount: bigint, expiresAt: number): Buffer {
  if (p.patchAt >= 0) {
    const patched = patchPrepare(raw, p.patchAt, amount, expiresAt)
    if (patched) return patched
  }
  return writePrepare({ ...p, amount, expiresAt })
}

export function writePrepare(p: Omit<Prepare, 'patchAt'>): Buffer {
  return IlpPacket.serializeIlpPrepare({
    amount: p.amount.toString(),
    expiresAt: new Date(p.expiresAt),
    executionCondition: p.executionCondition,
    destination: p.destination,
    data: p.data,
  })
}

/** Decodes a reply from a next hop; throws if it is neither a Fulfill nor a Reject. */
export function readReply(raw: Buffer): Reply {
  const type = raw[0]
  if (type === TYPE_FULFILL) {
    return { raw, fulfillment: IlpPacket.deserializeIlpFulfill(raw).fulfillment }
  }
  if (type === TYPE_REJECT) {
    return { raw, code: IlpPacket.deserializeIlpReject(raw).code }
  }
  throw new Error(`expected an ILP Fulfill or Reject, got packet type ${type}`)
}

export function fulfillReply(fulfillment: Buffer, data: Buffer): Reply {
  return { raw: IlpPacket.serializeIlpFulfill({ fulfillment, data }), fulfillment }
}

/** A reject this node originates (triggeredBy = its own address). */
export function rejectReply(failure: IlpFailure, triggeredBy: string): Reply {
  const raw = IlpPacket.serializeIlpReject({
    code: failure.code,
    triggeredBy,
    message: limitUtf8(failure.message, 8191),
    data: failure.data,
  })
  return { raw, code: failure.code }
}

/** `text` cut to at most `maxBytes` of UTF-8 (RFC 27 limits the reject message in bytes), on a character boundary. */
function limitUtf8(text: string, maxBytes: number): string {
  // A UTF-16 code unit is at most 3 bytes of UTF-8, so short messages need no encoding.
  if (text.length * 3 <= maxBytes) return text
  const bytes = Buffer.from(text, 'utf8')
  if (bytes.length <= maxBytes) return text
  let end = maxBytes
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end-- // do not split a multi-byte character
  return bytes.toString('utf8', 0, end)
}

/** One-shot SHA-256 (crypto.hash: about a third of createHash's cost for 32 bytes). */
export function sha256(data: Buffer): Buffer {
  return hash('sha256', data, 'buffer')
}

/** Peer protocols (ILDCP, peer.balance, CCP) fulfill with 32 zero bytes; the condition is its hash. */
export const PEER_PROTOCOL_FULFILLMENT = Buffer.alloc(32)
export const PEER_PROTOCOL_CONDITION = sha256(PEER_PROTOCOL_FULFILLMENT)
