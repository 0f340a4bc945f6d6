import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import * as IlpPacket from 'ilp-packet'
import { IlpFailure } from '../../../../app/main/engine/ilp/ilp-failure'
import {
  fulfillReply,
  PEER_PROTOCOL_CONDITION,
  PEER_PROTOCOL_FULFILLMENT,
  type Prepare,
  readPrepare,
  readReply,
  rejectReply,
  writeForwardedPrepare,
  writePrepare,
} from '../../../../app/main/engine/ilp/packets'
import { OWN_ADDRESS, secret } from '../../factories'

const UINT64_MAX = (1n << 64n) - 1n

function samplePrepare(fields: Partial<Prepare> = {}): Prepare {
  return {
    amount: 123456789n,
    expiresAt: Date.UTC(2031, 4, 6, 7, 8, 9, 123),
    executionCondition: secret().condition,
    destination: 'g.bob.stream.xyz',
    data: Buffer.from('hello'),
    patchAt: -1,
    ...fields,
  }
}

describe('prepares', () => {
  it('writes exactly what ilp-packet writes', () => {
    for (const p of [samplePrepare(), samplePrepare({ amount: 0n, data: Buffer.alloc(0) }), samplePrepare({ amount: UINT64_MAX, data: Buffer.alloc(32767, 1) })]) {
      const expected = IlpPacket.serializeIlpPrepare({
        amount: p.amount.toString(),
        expiresAt: new Date(p.expiresAt),
        executionCondition: p.executionCondition,
        destination: p.destination,
        data: p.data,
      })
      assert.deepEqual(writePrepare(p), expected)
    }
  })

  it('reads what ilp-packet writes, with UInt64 amounts exact and millisecond expiry', () => {
    const raw = IlpPacket.serializeIlpPrepare({
      amount: UINT64_MAX.toString(),
      expiresAt: new Date(Date.UTC(2031, 4, 6, 7, 8, 9, 123)),
      executionCondition: Buffer.alloc(32, 5),
      destination: 'test.alice',
      data: Buffer.from([1, 2, 3]),
    })
    const p = readPrepare(raw)
    assert.equal(p.amount, UINT64_MAX)
    assert.equal(p.expiresAt, Date.UTC(2031, 4, 6, 7, 8, 9, 123))
    assert.deepEqual(p.executionCondition, Buffer.alloc(32, 5))
    assert.equal(p.destination, 'test.alice')
    assert.deepEqual(p.data, Buffer.from([1, 2, 3]))
  })

  it('round-trips', () => {
    const { patchAt: _w, ...p } = samplePrepare({ amount: (1n << 63n) + 1n })
    const { patchAt: _r, ...read } = readPrepare(writePrepare(p))
    assert.deepEqual(read, p)
  })

  it('forwards a prepare with only amount and expiry changed, as ilp-packet would write it', () => {
    const original = samplePrepare()
    const raw = writePrepare(original)
    const expiresAt = Date.UTC(2031, 4, 6, 7, 8, 0, 7)
    const expected = IlpPacket.serializeIlpPrepare({
      amount: '42',
      expiresAt: new Date(expiresAt),
      executionCondition: original.executionCondition,
      destination: original.destination,
      data: original.data,
    })
    // From the canonical raw packet (patched) and without it (re-encoded), the bytes are the same.
    assert.deepEqual(writeForwardedPrepare(raw, readPrepare(raw), 42n, expiresAt), expected)
    assert.deepEqual(writeForwardedPrepare(raw, { ...readPrepare(raw), patchAt: -1 }, 42n, expiresAt), expected)
    // A prepare whose destination changed (echo) must not be patched from the old bytes.
    const echoed = { ...readPrepare(raw), destination: 'g.elsewhere', patchAt: -1 }
    assert.equal(readPrepare(writeForwardedPrepare(raw, echoed, 1n, expiresAt)).destination, 'g.elsewhere')
    assert.deepEqual(readPrepare(raw), { ...original, patchAt: readPrepare(raw).patchAt }, 'the incoming bytes are untouched')
  })

  it('refuses anything but a well-formed prepare', () => {
    const good = writePrepare(samplePrepare())
    const fulfill = IlpPacket.serializeIlpFulfill({ fulfillment: Buffer.alloc(32), data: Buffer.alloc(0) })
    const badDestination = IlpPacket.serializeIlpPrepare({
      amount: '1',
      expiresAt: new Date(),
      executionCondition: Buffer.alloc(32),
      destination: 'g..bad',
      data: Buffer.alloc(0),
    })
    for (const raw of [Buffer.alloc(0), Buffer.from([12]), good.subarray(0, good.length - 1), fulfill, badDestination, Buffer.from('garbage')]) {
      assert.throws(() => readPrepare(raw), raw.toString('hex').slice(0, 20))
    }
  })
})

describe('replies', () => {
  it('reads a fulfill and its fulfillment', () => {
    const { fulfillment } = secret()
    const raw = IlpPacket.serializeIlpFulfill({ fulfillment, data: Buffer.from('receipt') })
    const reply = readReply(raw)
    assert.equal(reply.raw, raw)
    assert.deepEqual(reply.fulfillment, fulfillment)
    assert.equal(reply.code, undefined)
  })

  it('reads a reject and its code', () => {
    const raw = IlpPacket.serializeIlpReject({ code: 'T04', triggeredBy: 'g.somebody', message: 'no money', data: Buffer.alloc(0) })
    const reply = readReply(raw)
    assert.equal(reply.raw, raw)
    assert.equal(reply.code, 'T04')
    assert.equal(reply.fulfillment, undefined)
  })

  it('refuses prepares, garbage and truncated replies', () => {
    const fulfill = IlpPacket.serializeIlpFulfill({ fulfillment: Buffer.alloc(32), data: Buffer.alloc(0) })
    for (const raw of [Buffer.alloc(0), writePrepare(samplePrepare()), Buffer.from([99, 0]), fulfill.subarray(0, 10), Buffer.from([14, 1, 0])]) {
      assert.throws(() => readReply(raw), raw.toString('hex').slice(0, 20))
    }
  })

  it('builds fulfills that ilp-packet reads back', () => {
    const { fulfillment } = secret()
    const reply = fulfillReply(fulfillment, Buffer.from('data'))
    assert.deepEqual(IlpPacket.deserializeIlpFulfill(reply.raw), { fulfillment, data: Buffer.from('data') })
    assert.deepEqual(reply.fulfillment, fulfillment)
  })

  it('builds rejects triggered by this node, with code, message and data', () => {
    const reply = rejectReply(new IlpFailure('F08', 'too much', Buffer.from([1, 2])), OWN_ADDRESS)
    assert.equal(reply.code, 'F08')
    assert.deepEqual(IlpPacket.deserializeIlpReject(reply.raw), {
      code: 'F08',
      triggeredBy: OWN_ADDRESS,
      message: 'too much',
      data: Buffer.from([1, 2]),
    })
  })

  it('keeps reject messages within 8191 bytes of UTF-8 (RFC 27), without splitting a character', () => {
    for (const message of ['x'.repeat(10_000), 'é'.repeat(9000), '€'.repeat(5000), 'a' + '😀'.repeat(4000)]) {
      const decoded = IlpPacket.deserializeIlpReject(rejectReply(new IlpFailure('T00', message), OWN_ADDRESS).raw).message
      assert.ok(Buffer.byteLength(decoded, 'utf8') <= 8191, `${Buffer.byteLength(decoded)} bytes`)
      assert.ok(message.startsWith(decoded), 'a prefix of the message')
      assert.ok(!decoded.includes('\ufffd'), 'no broken character')
      assert.ok(Buffer.byteLength(decoded, 'utf8') > 8191 - 4, 'as much as fits')
    }
    const short = 'ünïcödé ok'
    assert.equal(IlpPacket.deserializeIlpReject(rejectReply(new IlpFailure('T00', short), OWN_ADDRESS).raw).message, short)
  })
})

describe('peer-protocol condition', () => {
  it('is sha256 of 32 zero bytes (PROTOCOLS.md)', () => {
    assert.deepEqual(PEER_PROTOCOL_FULFILLMENT, Buffer.alloc(32))
    assert.equal(PEER_PROTOCOL_CONDITION.toString('base64'), 'Zmh6rfhivXdsj8GLjp+OIAiXFIVu4jOzkCpZHQ1fKSU=')
  })
})
