import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { DEFAULT_PORT, defaultConfig, resolveConfig } from '../../../app/main/engine/config'

describe('resolveConfig defaults', () => {
  it('fills every default', () => {
    const c = resolveConfig({})
    assert.deepEqual(c, defaultConfig())
    // ilp-plugin's default server is localhost:7768.
    assert.equal(DEFAULT_PORT, 7768)
    assert.equal(c.port, 7768)
    // Loopback only, both families: localhost resolves to ::1 first on many systems.
    assert.deepEqual([...c.hosts].sort(), ['127.0.0.1', '::1'])
    assert.equal(c.parent, undefined)
    assert.equal(c.spread, '0')
    assert.deepEqual(c.allowOrigins, [])
    assert.deepEqual(c.apps, [])
    // ilp-connector's values (PROTOCOLS.md): 1 s message window, 30 s maximum hold time.
    assert.equal(c.minMessageWindowMs, 1000)
    assert.equal(c.maxHoldTimeMs, 30_000)
  })

  it('keeps what is given', () => {
    const c = resolveConfig({ port: 0, address: 'test.me', assetCode: 'USD', assetScale: 2, spread: '0.01', hosts: ['127.0.0.1'] })
    assert.equal(c.port, 0)
    assert.equal(c.address, 'test.me')
    assert.equal(c.assetCode, 'USD')
    assert.equal(c.assetScale, 2)
    assert.equal(c.spread, '0.01')
    assert.deepEqual(c.hosts, ['127.0.0.1'])
  })

  it('gives each call its own arrays', () => {
    const a = resolveConfig({})
    a.allowOrigins.push('https://x.example')
    assert.deepEqual(resolveConfig({}).allowOrigins, [])
  })
})

describe('resolveConfig validation', () => {
  it('refuses ports outside 0–65535 and non-integers', () => {
    for (const port of [-1, 65536, 1.5, Number.NaN]) assert.throws(() => resolveConfig({ port }), /invalid port/, String(port))
    assert.equal(resolveConfig({ port: 65535 }).port, 65535)
  })

  it('accepts loopback hosts', () => {
    for (const h of ['127.0.0.1', '::1', 'localhost', '127.0.0.2', '127.1.2.3']) assert.deepEqual(resolveConfig({ hosts: [h] }).hosts, [h])
  })

  it('refuses to listen on anything but loopback', () => {
    for (const h of ['0.0.0.0', '::', '192.168.1.10', '10.0.0.1', 'example.com', '128.0.0.1']) {
      assert.throws(() => resolveConfig({ hosts: ['127.0.0.1', h] }), /loopback/, h)
    }
  })

  it('refuses host names that only look like 127.x addresses', () => {
    // Resolved by DNS to anything, e.g. a public interface of this machine.
    for (const h of ['127.example.com', '127.0.0.1.nip.io', '127.']) {
      assert.throws(() => resolveConfig({ hosts: [h] }), /loopback/, h)
    }
  })

  it('refuses an invalid ILP address', () => {
    for (const address of ['', 'junction', 'private.', 'private..j', 'mine.junction', 'private.jun ction']) {
      assert.throws(() => resolveConfig({ address }), /invalid address/, address)
    }
  })

  it('refuses empty, long or non-printable asset codes', () => {
    for (const assetCode of ['', 'X'.repeat(17), 'US D', 'US\nD']) {
      assert.throws(() => resolveConfig({ assetCode }), /invalid asset code/, JSON.stringify(assetCode))
    }
    assert.equal(resolveConfig({ assetCode: 'X'.repeat(16) }).assetCode, 'X'.repeat(16))
  })

  it('refuses asset scales outside UInt8', () => {
    for (const assetScale of [-1, 256, 2.5]) assert.throws(() => resolveConfig({ assetScale }), /invalid asset scale/, String(assetScale))
    assert.equal(resolveConfig({ assetScale: 0 }).assetScale, 0)
    assert.equal(resolveConfig({ assetScale: 255 }).assetScale, 255)
  })

  it('refuses an invalid spread', () => {
    for (const spread of ['-0.1', '1', 'abc']) assert.throws(() => resolveConfig({ spread }), /invalid spread/, spread)
  })

  it('accepts origins of the form scheme://host[:port] and "null"', () => {
    const allowOrigins = ['https://example.com', 'http://localhost:3000', 'https://example.com/', 'null', 'app://junction']
    assert.deepEqual(resolveConfig({ allowOrigins }).allowOrigins, allowOrigins)
  })

  it('refuses origins that are not scheme://host[:port]', () => {
    for (const o of ['example.com', 'https://', 'https://example.com/path', '*', '']) {
      assert.throws(() => resolveConfig({ allowOrigins: [o] }), /invalid origin/, o)
    }
  })

  it('needs the hold time to exceed the message window', () => {
    assert.throws(() => resolveConfig({ minMessageWindowMs: 1000, maxHoldTimeMs: 1000 }), /maxHoldTimeMs/)
    assert.throws(() => resolveConfig({ minMessageWindowMs: -1 }), /maxHoldTimeMs|minMessageWindowMs/)
    assert.equal(resolveConfig({ minMessageWindowMs: 10, maxHoldTimeMs: 11 }).maxHoldTimeMs, 11)
  })

  it('checks the provider URL before anything starts', () => {
    assert.throws(() => resolveConfig({ parent: 'ftp://ilsp.example' }), /scheme must be btp\+ws: or btp\+wss:, not ftp:/)
    assert.throws(() => resolveConfig({ parent: 'http://ilsp.example' }), /ILP-over-HTTP URL: it carries no token/)
    assert.equal(resolveConfig({ parent: 'https://me:tok@ilsp.example/ilp' }).parent, 'https://me:tok@ilsp.example/ilp')
    assert.throws(() => resolveConfig({ parent: 'not a url' }), /invalid provider URL/)
    assert.equal(resolveConfig({ parent: 'btp+wss://u:s@ilsp.example/btp' }).parent, 'btp+wss://u:s@ilsp.example/btp')
  })
})
