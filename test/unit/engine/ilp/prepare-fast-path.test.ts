// Property test: the Prepare fast path agrees byte for byte with ilp-packet, on random valid packets and on
// random corruptions of them (where it must either agree or step aside).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import * as IlpPacket from 'ilp-packet'
import { patchPrepare, readPrepareFast } from '../../../../app/main/engine/ilp/prepare-fast-path'
import { seededRandom } from '../../../support/seeded-random'

const rng = seededRandom

const SEGMENT_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_~-'
const SCHEMES = ['g', 'private', 'example', 'peer', 'self', 'test', 'test1', 'test2', 'test3', 'local']

function randomAddress(r: ReturnType<typeof rng>): string {
  const target = [5, 30, 120, 127, 128, 129, 300, 1023][r.int(8)]
  let a = SCHEMES[r.int(SCHEMES.length)] + '.x'
  while (a.length < target - 1) {
    const len = Math.min(1 + r.int(20), target - a.length - 1)
    let seg = ''
    for (let i = 0; i < len; i++) seg += SEGMENT_CHARS[r.int(SEGMENT_CHARS.length)]
    a += '.' + seg
  }
  return a
}

function randomPrepare(r: ReturnType<typeof rng>): IlpPacket.IlpPrepare {
  const amounts = [0n, 1n, 0xffffffffffffffffn, r.u64(), BigInt(r.int(1_000_000))]
  const minMs = Date.UTC(1000, 0, 1)
  const maxMs = Date.UTC(9999, 11, 31, 23, 59, 59, 999)
  const span = maxMs - minMs
  const times = [Date.now() + r.int(60_000), minMs + Math.floor((r.int(0x7fffffff) / 0x7fffffff) * span), maxMs, minMs]
  const dataLengths = [0, 1, 127, 128, 255, 256, 1000, 32767, r.int(2000)]
  return {
    amount: amounts[r.int(amounts.length)].toString(),
    expiresAt: new Date(times[r.int(times.length)]),
    executionCondition: r.bytes(32),
    destination: randomAddress(r),
    data: r.bytes(dataLengths[r.int(dataLengths.length)]),
  }
}

function viaIlpPacket(raw: Buffer) {
  const p = IlpPacket.deserializeIlpPrepare(raw)
  return {
    amount: BigInt(p.amount),
    expiresAt: p.expiresAt.getTime(),
    executionCondition: p.executionCondition,
    destination: p.destination,
    data: p.data,
  }
}

describe('prepare fast path', () => {
  const seed = Number(process.env.FAST_PATH_SEED ?? Date.now() % 0xffffffff)

  it(`reads every valid prepare exactly as ilp-packet does (seed ${seed})`, () => {
    const r = rng(seed)
    for (let i = 0; i < 2000; i++) {
      const raw = IlpPacket.serializeIlpPrepare(randomPrepare(r))
      const fast = readPrepareFast(raw)
      assert.ok(fast, `canonical packet #${i} should take the fast path`)
      const { patchAt: _patchAt, ...fields } = fast
      assert.deepEqual(fields, viaIlpPacket(raw))
    }
  })

  it(`patches amount and expiry into the same bytes ilp-packet serializes (seed ${seed})`, () => {
    const r = rng(seed ^ 0x5bd1e995)
    for (let i = 0; i < 2000; i++) {
      const original = randomPrepare(r)
      const raw = IlpPacket.serializeIlpPrepare(original)
      const fast = readPrepareFast(raw)!
      const next = randomPrepare(r)
      const patched = patchPrepare(raw, fast.patchAt, BigInt(next.amount), next.expiresAt.getTime())
      assert.ok(patched, `patch #${i} should succeed for year ${next.expiresAt.getUTCFullYear()}`)
      const expected = IlpPacket.serializeIlpPrepare({ ...original, amount: next.amount, expiresAt: next.expiresAt })
      assert.ok(patched.equals(expected), `patched bytes differ from ilp-packet for packet #${i}`)
      assert.ok(raw.equals(IlpPacket.serializeIlpPrepare(original)), 'the incoming packet must not be modified')
    }
  })

  it(`on corrupted packets either agrees with ilp-packet or steps aside (seed ${seed})`, () => {
    const r = rng(seed ^ 0x27d4eb2f)
    let fastTaken = 0
    let rejected = 0
    for (let i = 0; i < 5000; i++) {
      const raw = IlpPacket.serializeIlpPrepare(randomPrepare(r))
      const mutated = Buffer.from(raw)
      const kind = r.int(4)
      let bytes: Buffer = mutated
      if (kind === 0) {
        // Flip bytes in the header and fixed fields, where the fast path reads.
        for (let k = 0; k < 1 + r.int(3); k++) mutated[r.int(Math.min(mutated.length, 100))] = r.int(256)
      } else if (kind === 1) {
        bytes = mutated.subarray(0, r.int(mutated.length))
      } else if (kind === 2) {
        bytes = Buffer.concat([mutated, r.bytes(1 + r.int(4))])
      } else {
        mutated[r.int(mutated.length)] = r.int(256)
      }
      let reference: ReturnType<typeof viaIlpPacket> | undefined
      try {
        reference = viaIlpPacket(bytes)
      } catch {
        reference = undefined
      }
      const fast = readPrepareFast(bytes)
      if (fast) {
        fastTaken++
        assert.ok(reference, `fast path accepted packet #${i} that ilp-packet refuses`)
        const { patchAt: _p, ...fields } = fast
        assert.deepEqual(fields, reference)
      }
      if (!reference) rejected++
    }
    // The corpus must exercise both sides, or the test proves nothing.
    assert.ok(fastTaken > 500, `fast path taken only ${fastTaken} times`)
    assert.ok(rejected > 500, `ilp-packet refused only ${rejected} packets`)
  })

  it('steps aside for years it cannot write in four digits', () => {
    const raw = IlpPacket.serializeIlpPrepare({
      amount: '1',
      expiresAt: new Date(),
      executionCondition: Buffer.alloc(32),
      destination: 'test.a',
      data: Buffer.alloc(0),
    })
    const fast = readPrepareFast(raw)!
    assert.equal(patchPrepare(raw, fast.patchAt, 1n, Date.UTC(10000, 0, 1)), undefined)
    assert.equal(patchPrepare(raw, fast.patchAt, -1n, Date.now()), undefined)
  })
})
