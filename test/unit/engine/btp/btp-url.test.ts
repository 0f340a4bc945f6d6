import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { parseBtpUrl } from '../../../../app/main/engine/btp/btp-url'

describe('parseBtpUrl', () => {
  it('splits btp+ws URLs into credentials and a ws:// URL', () => {
    const e = parseBtpUrl('btp+ws://alice:s3cret@localhost:7768')
    assert.equal(e.wsUrl, 'ws://localhost:7768')
    assert.equal(e.username, 'alice')
    assert.equal(e.token, 's3cret')
  })

  it('maps btp+wss to wss and keeps the path and query', () => {
    const e = parseBtpUrl('btp+wss://bob:tok@ilsp.example.com/ilp/btp?region=eu')
    assert.equal(e.wsUrl, 'wss://ilsp.example.com/ilp/btp?region=eu')
    assert.equal(e.username, 'bob')
    assert.equal(e.token, 'tok')
  })

  it('keeps explicit ports and IPv6 hosts', () => {
    assert.equal(parseBtpUrl('btp+ws://u:t@127.0.0.1:9000/x').wsUrl, 'ws://127.0.0.1:9000/x')
    assert.equal(parseBtpUrl('btp+ws://u:t@[::1]:7768').wsUrl, 'ws://[::1]:7768')
  })

  it('decodes percent-encoded credentials', () => {
    const e = parseBtpUrl('btp+wss://my%20name:p%40ss%2Fw%3Ard%25@host.example')
    assert.equal(e.username, 'my name')
    assert.equal(e.token, 'p@ss/w:rd%')
  })

  it('allows an empty username (the token is then the identity) and no credentials at all', () => {
    const e = parseBtpUrl('btp+ws://:only-token@localhost:7768')
    assert.equal(e.username, '')
    assert.equal(e.token, 'only-token')
    const bare = parseBtpUrl('btp+ws://localhost:7768')
    assert.equal(bare.username, '')
    assert.equal(bare.token, '')
    assert.equal(bare.wsUrl, 'ws://localhost:7768')
  })

  it('masks the secret in display, in every form it could appear', () => {
    for (const url of [
      'btp+ws://alice:s3cret@localhost:7768',
      'btp+wss://bob:p%40ss%2Fword@ilsp.example.com/btp',
      'btp+ws://:only-token@localhost:7768',
    ]) {
      const e = parseBtpUrl(url)
      assert.ok(!e.display.includes(e.token), e.display)
      assert.ok(!e.display.includes(new URL(url).password), e.display)
    }
    const e = parseBtpUrl('btp+wss://bob:hunter2@ilsp.example.com/btp')
    assert.ok(e.display.startsWith('btp+wss://'), e.display)
    assert.ok(e.display.includes('bob'), e.display)
    assert.ok(e.display.includes('ilsp.example.com/btp'), e.display)
  })

  it('refuses other schemes and things that are not URLs', () => {
    for (const url of ['ws://a:b@localhost:7768', 'wss://a:b@host', 'http://a:b@host', 'btp://a:b@host', 'localhost:7768', 'not a url', '']) {
      assert.throws(() => parseBtpUrl(url), /invalid provider URL/, url)
    }
  })

  it('refuses a URL without a host', () => {
    assert.throws(() => parseBtpUrl('btp+ws:///path'), /invalid provider URL/)
  })
})
