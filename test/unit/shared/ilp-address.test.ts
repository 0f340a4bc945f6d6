import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import {
  addressSegmentProblem,
  isValidAddressSegment,
  isValidIlpAddress,
  MAX_ADDRESS_LENGTH,
} from '../../../app/shared/ilp-address'

describe('isValidIlpAddress (RFC 15)', () => {
  it('accepts every allocation scheme followed by at least one segment', () => {
    for (const scheme of ['g', 'private', 'example', 'peer', 'self', 'test', 'test1', 'test2', 'test3', 'local']) {
      assert.equal(isValidIlpAddress(`${scheme}.alice`), true, scheme)
    }
  })

  it('accepts every segment character: letters, digits, _ ~ -', () => {
    assert.equal(isValidIlpAddress('g.Az09_~-.x'), true)
    assert.equal(isValidIlpAddress('g.a.b.c.d'), true)
  })

  it('refuses unknown or miscased schemes', () => {
    for (const a of ['test4.alice', 'test0.alice', 'G.alice', 'Private.a', 'gg.alice', 'http.alice', 'alice']) {
      assert.equal(isValidIlpAddress(a), false, a)
    }
  })

  it('refuses a scheme with no segment, a trailing dot and empty segments', () => {
    for (const a of ['', 'g', 'private', 'g.', 'g.alice.', 'g..alice', '.g.alice', 'g.alice..bob']) {
      assert.equal(isValidIlpAddress(a), false, JSON.stringify(a))
    }
  })

  it('refuses characters outside the segment alphabet', () => {
    for (const a of ['g.al ice', 'g.alice@x', 'g.alice/x', 'g.alic€', 'g.alice\n', 'g.a+b', 'g.a:b']) {
      assert.equal(isValidIlpAddress(a), false, JSON.stringify(a))
    }
  })

  it('accepts 1023 characters and refuses 1024', () => {
    assert.equal(MAX_ADDRESS_LENGTH, 1023)
    const at = (n: number) => 'g.' + 'a'.repeat(n - 2)
    assert.equal(at(1023).length, 1023)
    assert.equal(isValidIlpAddress(at(1023)), true)
    assert.equal(isValidIlpAddress(at(1024)), false)
    // Also with many short segments, so the limit is on the whole address, not on one segment.
    const many = 'g' + '.a'.repeat(511) // 1023 characters
    assert.equal(many.length, 1023)
    assert.equal(isValidIlpAddress(many), true)
    assert.equal(isValidIlpAddress(many + 'a'), false)
  })
})

describe('address segments', () => {
  it('accepts one segment of the address alphabet, 1 to 256 characters', () => {
    for (const s of ['a', 'alice', 'A_b~c-9', 'x'.repeat(256)]) {
      assert.equal(isValidAddressSegment(s), true, s)
      assert.equal(addressSegmentProblem(s), undefined, s)
    }
  })

  it('says an empty segment is empty', () => {
    assert.equal(isValidAddressSegment(''), false)
    assert.equal(addressSegmentProblem(''), 'it is empty')
  })

  it('gives the length of a segment over 256 characters', () => {
    const s = 'x'.repeat(300)
    assert.equal(isValidAddressSegment(s), false)
    const problem = addressSegmentProblem(s)
    assert.ok(problem?.includes('300'), problem)
    assert.ok(problem?.includes('256'), problem)
  })

  it('names the first character that is not allowed', () => {
    const cases: Array<[string, string]> = [
      ['a.b', '"."'],
      ['al ice', '" "'],
      ['bob@home', '"@"'],
      ['zoë', '"ë"'],
    ]
    for (const [segment, named] of cases) {
      assert.equal(isValidAddressSegment(segment), false, segment)
      const problem = addressSegmentProblem(segment)
      assert.ok(problem?.includes(named), `${segment}: ${problem}`)
    }
  })

  it('agrees with isValidAddressSegment, and a valid segment makes a valid address', () => {
    for (const s of ['', 'a', 'a.b', 'a b', 'ok_~-', 'x'.repeat(256), 'x'.repeat(257), 'ünï']) {
      assert.equal(addressSegmentProblem(s) === undefined, isValidAddressSegment(s), s)
      if (isValidAddressSegment(s)) assert.equal(isValidIlpAddress(`private.junction.${s}`), true, s)
    }
  })
})
