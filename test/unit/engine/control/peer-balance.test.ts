import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import * as IlpPacket from 'ilp-packet'
import { answerPeerBalance, decodePeerBalance, encodePeerBalance } from '../../../../app/main/engine/control/peer-balance'
import { account, sha256 } from '../../factories'

const INT64_MAX = (1n << 63n) - 1n
const INT64_MIN = -(1n << 63n)
/** PROTOCOLS.md: the shared peer-protocol condition. */
const PEER_CONDITION = Buffer.from('Zmh6rfhivXdsj8GLjp+OIAiXFIVu4jOzkCpZHQ1fKSU=', 'base64')

describe('peer.balance encoding', () => {
  it('lays out Int64 BE two\'s complement, UInt8 scale, VarOctetString code', () => {
    assert.deepEqual(
      encodePeerBalance(-1n, 9, 'XRP'),
      Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 9, 3, 0x58, 0x52, 0x50]),
    )
    assert.deepEqual(
      encodePeerBalance(0x0102030405060708n, 2, 'USD'),
      Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 2, 3, 0x55, 0x53, 0x44]),
    )
    // −256 = 0xffffffffffffff00
    assert.deepEqual(encodePeerBalance(-256n, 0, 'A').subarray(0, 8), Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00]))
    assert.equal(encodePeerBalance(0n, 255, 'X')[8], 255)
  })

  it('counts the asset code length in UTF-8 bytes', () => {
    const out = encodePeerBalance(5n, 2, '€')
    assert.equal(out[9], 3)
    assert.deepEqual(out.subarray(10), Buffer.from([0xe2, 0x82, 0xac]))
  })

  it('round-trips balances, including negative ones and the Int64 extremes', () => {
    for (const balance of [0n, 1n, -1n, 123456789n, -987654321012n, INT64_MAX, INT64_MIN]) {
      for (const [scale, code] of [
        [0, 'X'],
        [9, 'XRP'],
        [255, 'ΔCOIN'],
      ] as const) {
        assert.deepEqual(decodePeerBalance(encodePeerBalance(balance, scale, code)), { balance, assetScale: scale, assetCode: code })
      }
    }
  })

  it('clamps balances outside Int64', () => {
    assert.equal(decodePeerBalance(encodePeerBalance(INT64_MAX + 1n, 9, 'XRP')).balance, INT64_MAX)
    assert.equal(decodePeerBalance(encodePeerBalance(1n << 100n, 9, 'XRP')).balance, INT64_MAX)
    assert.equal(decodePeerBalance(encodePeerBalance(INT64_MIN - 1n, 9, 'XRP')).balance, INT64_MIN)
    assert.deepEqual(encodePeerBalance(INT64_MIN - 5n, 9, 'XRP').subarray(0, 8), Buffer.from([0x80, 0, 0, 0, 0, 0, 0, 0]))
  })

  it('accepts an asset code of 127 bytes and refuses longer', () => {
    const code = 'C'.repeat(127)
    assert.equal(decodePeerBalance(encodePeerBalance(1n, 0, code)).assetCode, code)
    assert.throws(() => encodePeerBalance(1n, 0, 'C'.repeat(128)))
  })

  it('refuses truncated or padded responses', () => {
    const good = encodePeerBalance(42n, 9, 'XRP')
    assert.throws(() => decodePeerBalance(Buffer.alloc(0)))
    assert.throws(() => decodePeerBalance(good.subarray(0, 9)))
    assert.throws(() => decodePeerBalance(good.subarray(0, good.length - 1)))
    assert.throws(() => decodePeerBalance(Buffer.concat([good, Buffer.from([0])])))
  })
})

describe('answerPeerBalance', () => {
  it("fulfills with the peer-protocol fulfillment and the app's committed balance", () => {
    const alice = account('alice', { balance: -250n, assetScale: 6, assetCode: 'USD' })
    alice.pendingIncoming = 1000n // in flight: not part of the answer
    alice.pendingOutgoing = 77n
    const reply = answerPeerBalance(alice)
    const fulfill = IlpPacket.deserializeIlpFulfill(reply.raw)
    assert.deepEqual(fulfill.fulfillment, Buffer.alloc(32))
    assert.deepEqual(sha256(fulfill.fulfillment), PEER_CONDITION)
    assert.deepEqual(reply.fulfillment, fulfill.fulfillment)
    assert.deepEqual(decodePeerBalance(fulfill.data), { balance: -250n, assetScale: 6, assetCode: 'USD' })
  })
})
