import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { Reader, Writer } from 'oer-utils'
import { encodeEchoRequest, readEchoRequest } from '../../../../app/main/engine/control/echo'
import { IlpFailure } from '../../../../app/main/engine/ilp/ilp-failure'

const ECHO = Buffer.from('ECHOECHOECHOECHO', 'ascii')

/** The echo request as ilp-connector's peers write it, with oer-utils (canonical OER). */
function referenceRequest(source: string): Buffer {
  const w = new Writer()
  w.write(ECHO)
  w.writeUInt8(0)
  w.writeVarOctetString(Buffer.from(source, 'ascii'))
  return w.getBuffer()
}

function failure(result: ReturnType<typeof readEchoRequest>): IlpFailure {
  assert.ok(result instanceof IlpFailure, `expected a failure, got ${JSON.stringify(result)}`)
  return result
}

const address = (length: number) => 'g.' + 'a'.repeat(length - 2)

describe('echo requests', () => {
  it('reads a request and answers with ECHO×4 + 1 to the source address', () => {
    const result = readEchoRequest(encodeEchoRequest('g.alice.app'))
    assert.ok(!(result instanceof IlpFailure))
    assert.equal(result.destination, 'g.alice.app')
    assert.deepEqual(result.data, Buffer.concat([ECHO, Buffer.from([1])]))
  })

  it('round-trips addresses of every length class, including multi-byte length prefixes', () => {
    for (const n of [3, 127, 128, 200, 255, 256, 1023]) {
      const a = address(n)
      const result = readEchoRequest(encodeEchoRequest(a))
      assert.ok(!(result instanceof IlpFailure), `length ${n}`)
      assert.equal(result.destination, a, `length ${n}`)
    }
  })

  it('writes canonical OER, byte for byte what oer-utils (and so ilp-connector) writes and reads', () => {
    for (const n of [3, 127, 128, 200, 255, 256, 1023]) {
      assert.deepEqual(encodeEchoRequest(address(n)), referenceRequest(address(n)), `length ${n}`)
    }
  })

  it("can be read by oer-utils' strict reader, as ilp-connector's echo middleware reads it", () => {
    for (const n of [3, 127, 128, 200, 255, 256, 1023]) {
      const reader = new Reader(encodeEchoRequest(address(n)))
      reader.skip(ECHO.length)
      assert.equal(reader.readUInt8Number(), 0)
      assert.equal(reader.readVarOctetString().toString('ascii'), address(n), `length ${n}`)
    }
  })

  it('reads requests written by oer-utils', () => {
    for (const n of [5, 127, 128, 200, 300, 1023]) {
      const result = readEchoRequest(referenceRequest(address(n)))
      assert.ok(!(result instanceof IlpFailure), `length ${n}`)
      assert.equal(result.destination, address(n))
    }
  })

  it('refuses data too short to be an echo request with F01', () => {
    assert.equal(failure(readEchoRequest(Buffer.alloc(0))).code, 'F01')
    assert.equal(failure(readEchoRequest(ECHO)).code, 'F01')
  })

  it('refuses data without the ECHO prefix with F01', () => {
    const data = referenceRequest('g.alice')
    data[0] = 0x65 // 'e'
    assert.equal(failure(readEchoRequest(data)).code, 'F01')
  })

  it('refuses an echo response (type 1) sent to Junction with F01', () => {
    assert.equal(failure(readEchoRequest(Buffer.concat([ECHO, Buffer.from([1])]))).code, 'F01')
    const data = referenceRequest('g.alice')
    data[ECHO.length] = 1
    assert.equal(failure(readEchoRequest(data)).code, 'F01')
  })

  it('refuses a missing, truncated or malformed source address with F01', () => {
    const cases = [
      Buffer.concat([ECHO, Buffer.from([0])]), // no length byte
      Buffer.concat([ECHO, Buffer.from([0, 10]), Buffer.from('g.ab')]), // says 10, has 4
      Buffer.concat([ECHO, Buffer.from([0, 0x80])]), // length of length 0
      Buffer.concat([ECHO, Buffer.from([0, 0x82, 0x01])]), // length of length 2, only 1 byte
      Buffer.concat([ECHO, Buffer.from([0, 0x81, 200]), Buffer.from('g.abc')]), // says 200, has 5
      Buffer.concat([ECHO, Buffer.from([0, 0x85, 0, 0, 0, 0, 1])]), // absurd length of length
    ]
    for (const data of cases) assert.equal(failure(readEchoRequest(data)).code, 'F01', data.toString('hex'))
  })

  it('refuses a source address that is not a forwardable ILP address with F01', () => {
    for (const source of ['', 'nonsense', 'g.', 'g..a', 'peer.config', 'peer.route.update', 'g.a b']) {
      assert.equal(failure(readEchoRequest(referenceRequest(source))).code, 'F01', JSON.stringify(source))
    }
  })
})
