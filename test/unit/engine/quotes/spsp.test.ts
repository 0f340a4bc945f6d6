// SPSP (RFC 9): payment pointers to URLs (the well-known path for a bare host, URLs as given), and the response check
// (an ILP address and a 32-byte base64 secret, anything else refused with a message naming the field).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { readSpspResponse, SpspError, spspUrl } from '../../../../app/main/engine/quotes/spsp'

const SECRET = Buffer.alloc(32, 7).toString('base64')

describe('spspUrl', () => {
  it('maps $host/path to https://host/path and a bare host to /.well-known/pay', () => {
    assert.equal(spspUrl('$wallet.example/alice'), 'https://wallet.example/alice')
    assert.equal(spspUrl('$wallet.example'), 'https://wallet.example/.well-known/pay')
    assert.equal(spspUrl('$wallet.example/'), 'https://wallet.example/.well-known/pay')
    assert.equal(spspUrl('$wallet.example:8443/a/b'), 'https://wallet.example:8443/a/b')
  })

  it('uses an http(s) URL as it is', () => {
    assert.equal(spspUrl('https://wallet.example/'), 'https://wallet.example/')
    assert.equal(spspUrl('http://127.0.0.1:8080/bob'), 'http://127.0.0.1:8080/bob')
  })
})

describe('readSpspResponse', () => {
  it('reads the address and the secret (base64 or base64url)', () => {
    const r = readSpspResponse({ destination_account: 'g.ilsp.bob.x', shared_secret: SECRET, receipts_enabled: false }, 'u')
    assert.equal(r.destination, 'g.ilsp.bob.x')
    assert.deepEqual(r.sharedSecret, Buffer.alloc(32, 7))
    const urlSafe = Buffer.alloc(32, 0xfb)
    assert.deepEqual(readSpspResponse({ destination_account: 'g.a', shared_secret: urlSafe.toString('base64url') }, 'u').sharedSecret, urlSafe)
  })

  const refused: Array<[string, unknown, RegExp]> = [
    ['an array', [], /expected an object/],
    ['no address', { shared_secret: SECRET }, /destination_account is missing/],
    ['a bad address', { destination_account: 'nope', shared_secret: SECRET }, /destination_account "nope" is not an ILP address/],
    ['no secret', { destination_account: 'g.a' }, /shared_secret is missing/],
    ['a short secret', { destination_account: 'g.a', shared_secret: Buffer.alloc(16).toString('base64') }, /shared_secret is not 32 bytes in base64/],
    ['a secret that is not base64', { destination_account: 'g.a', shared_secret: `${SECRET.slice(0, 40)}!!!` }, /shared_secret is not 32 bytes/],
  ]
  for (const [what, json, message] of refused) {
    it(`refuses ${what}`, () => {
      assert.throws(
        () => readSpspResponse(json, 'https://w.example/bob'),
        (err: unknown) => err instanceof SpspError && err.kind === 'unavailable' && message.test(err.message) && err.message.includes('https://w.example/bob'),
      )
    })
  }
})
