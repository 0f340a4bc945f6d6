// peer.balance: an app asks for its balance. No RFC defines it; Junction answers a prepare to `peer.balance` with a
// fulfill (the peer-protocol fulfillment) whose data is, in OER: balance Int64 (big-endian two's complement,
// Junction's view of the app's committed balance, in-flight packets excluded, in the app's units),
// assetScale UInt8, assetCode VarOctetString (UTF-8).
import type { Account } from '../accounts/account'
import { fulfillReply, PEER_PROTOCOL_FULFILLMENT, type Reply } from '../ilp/packets'

const INT64_MAX = (1n << 63n) - 1n
const INT64_MIN = -(1n << 63n)

export function encodePeerBalance(balance: bigint, assetScale: number, assetCode: string): Buffer {
  const code = Buffer.from(assetCode, 'utf8')
  if (code.length > 127) throw new Error('asset code too long for peer.balance')
  const out = Buffer.alloc(8 + 1 + 1 + code.length)
  const clamped = balance > INT64_MAX ? INT64_MAX : balance < INT64_MIN ? INT64_MIN : balance
  out.writeBigInt64BE(clamped, 0)
  out.writeUInt8(assetScale, 8)
  out.writeUInt8(code.length, 9)
  code.copy(out, 10)
  return out
}

export function decodePeerBalance(data: Buffer): { balance: bigint; assetScale: number; assetCode: string } {
  if (data.length < 10) throw new Error('peer.balance response too short')
  const length = data.readUInt8(9)
  if (length > 127 || data.length !== 10 + length) throw new Error('peer.balance response has a bad asset code length')
  return { balance: data.readBigInt64BE(0), assetScale: data.readUInt8(8), assetCode: data.subarray(10).toString('utf8') }
}

export function answerPeerBalance(from: Account): Reply {
  return fulfillReply(PEER_PROTOCOL_FULFILLMENT, encodePeerBalance(from.balance, from.assetScale, from.assetCode))
}
