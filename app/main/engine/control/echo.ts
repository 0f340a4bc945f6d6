// Echo (ilp-connector's ping protocol): a prepare to Junction's own address whose data is
// "ECHOECHOECHOECHO" + UInt8 0 + VarOctetString(source address) is sent back to the source address with data
// "ECHOECHOECHOECHO" + UInt8 1, same amount and condition; the source fulfills it, which proves the round trip.
import { isValidIlpAddress } from '../../../shared/ilp-address'
import { type IlpFailure, invalidPacket } from '../ilp/ilp-failure'

const PREFIX = Buffer.from('ECHOECHOECHOECHO', 'ascii')
const RESPONSE_DATA = Buffer.concat([PREFIX, Buffer.from([1])])

/** The echo response's destination and data, or a failure for a malformed echo request. */
export function readEchoRequest(data: Buffer): { destination: string; data: Buffer } | IlpFailure {
  if (data.length < PREFIX.length + 1) {
    return invalidPacket(`packet data too short for echo request. length=${data.length}`)
  }
  if (!data.subarray(0, PREFIX.length).equals(PREFIX)) return invalidPacket('packet data does not start with ECHO prefix.')
  const type = data[PREFIX.length]
  if (type !== 0) return invalidPacket('unexpected ping response.')
  // VarOctetString: one length byte below 128, else 0x80 | n followed by an n-byte length.
  let at = PREFIX.length + 1
  let length = data[at++]
  if (length !== undefined && length > 127) {
    const n = length & 0x7f
    if (n < 1 || n > 2 || data.length < at + n) return invalidPacket('echo request has a malformed source address')
    length = data.readUIntBE(at, n)
    at += n
  }
  if (length === undefined || data.length < at + length) return invalidPacket('echo request has a malformed source address')
  const destination = data.subarray(at, at + length).toString('ascii')
  // The response is forwarded like any prepare: it must not reach peer.* (never forwarded) or an invalid address.
  if (!isValidIlpAddress(destination) || destination.startsWith('peer.')) {
    return invalidPacket(`echo request has an unusable source address ${JSON.stringify(destination.slice(0, 64))}`)
  }
  return { destination, data: RESPONSE_DATA }
}

export function encodeEchoRequest(sourceAddress: string): Buffer {
  const addr = Buffer.from(sourceAddress, 'ascii')
  // Canonical OER: the shortest length prefix (oer-utils, and so ilp-connector, refuses any other).
  const length =
    addr.length < 128
      ? Buffer.from([addr.length])
      : addr.length < 256
        ? Buffer.from([0x81, addr.length])
        : Buffer.from([0x82, addr.length >> 8, addr.length & 0xff])
  return Buffer.concat([PREFIX, Buffer.from([0]), length, addr])
}
