import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { AppDirectory, hashToken, sameTokenHash, tokenDerivedId } from '../../../../app/main/engine/accounts/app-auth'
import { isValidAddressSegment } from '../../../../app/shared/ilp-address'

/** ilp-plugin-mini-accounts' account name for an empty username: base64url(sha256(token)), unpadded. */
const derived = (token: string) =>
  createHash('sha256').update(token, 'utf8').digest('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')

describe('token-derived ids', () => {
  it('is base64url(sha256(token)) without padding: 43 characters, a valid address segment', () => {
    for (const token of ['secret', 'ünïcödé', 'x'.repeat(1000), 'a b/c+d']) {
      const id = tokenDerivedId(token)
      assert.equal(id, derived(token))
      assert.equal(id.length, 43)
      assert.ok(isValidAddressSegment(id), id)
    }
    assert.deepEqual(hashToken('secret'), createHash('sha256').update('secret').digest())
  })

  it('compares token hashes by value', () => {
    assert.equal(sameTokenHash(hashToken('a'), hashToken('a')), true)
    assert.equal(sameTokenHash(hashToken('a'), hashToken('b')), false)
    assert.equal(sameTokenHash(hashToken('a'), Buffer.alloc(3)), false)
  })
})

describe('AppDirectory.identify', () => {
  it('identifies an empty username by its token', () => {
    const id = new AppDirectory().identify('', 'fresh-random-secret')
    assert.ok(id.ok)
    assert.equal(id.accountId, derived('fresh-random-secret'))
    assert.equal(id.named, false)
    assert.deepEqual(id.tokenHash, createHash('sha256').update('fresh-random-secret').digest())
  })

  it('refuses an empty username with an empty token (F01)', () => {
    const id = new AppDirectory().identify('', '')
    assert.equal(id.ok, false)
    assert.equal(!id.ok && id.code, 'F01')
  })

  it('refuses a username that is not an address segment (F01), naming the problem', () => {
    const dir = new AppDirectory()
    const cases: Array<[string, string]> = [
      ['a.b', '"."'],
      ['al ice', '" "'],
      ['x'.repeat(300), '300'],
    ]
    for (const [username, named] of cases) {
      const id = dir.identify(username, 'token')
      assert.equal(id.ok, false, username)
      if (id.ok) continue
      assert.equal(id.code, 'F01')
      assert.ok(id.message.includes(named), id.message)
      assert.ok(id.message.includes('auth_username'), id.message)
    }
  })

  it('refuses a username of the token-derived form, so nobody can claim a token account (F01)', () => {
    const dir = new AppDirectory()
    const victim = tokenDerivedId('victim-token')
    const id = dir.identify(victim, 'attacker-token')
    assert.equal(id.ok, false)
    assert.equal(!id.ok && id.code, 'F01')
    // Also any other 43-character base64url name.
    assert.equal(dir.identify('A'.repeat(43), 't').ok, false)
    // 42 and 44 characters are ordinary names.
    assert.equal(dir.identify('A'.repeat(42), 't').ok, true)
    assert.equal(dir.identify('A'.repeat(44), 't').ok, true)
  })

  it('accepts an unregistered name with any token, so an app that changes its secret on restart keeps its account', () => {
    const dir = new AppDirectory()
    const first = dir.identify('alice', 'secret-1')
    const second = dir.identify('alice', 'secret-2')
    assert.ok(first.ok && second.ok)
    assert.equal(first.accountId, 'alice')
    assert.equal(second.accountId, 'alice')
    assert.equal(first.named, true)
    assert.deepEqual(second.tokenHash, hashToken('secret-2'))
    assert.equal(dir.identify('bob', '').ok, true)
  })

  it('accepts a registered name only with its token (F00 otherwise)', () => {
    const dir = new AppDirectory()
    dir.register('wallet', 'right-token')
    assert.equal(dir.isRegistered('wallet'), true)
    const good = dir.identify('wallet', 'right-token')
    assert.ok(good.ok)
    assert.equal(good.accountId, 'wallet')
    for (const token of ['wrong-token', '', 'right-token ', 'RIGHT-TOKEN']) {
      const bad = dir.identify('wallet', token)
      assert.equal(bad.ok, false, token)
      assert.equal(!bad.ok && bad.code, 'F00')
    }
    // Registration reserves that name only.
    assert.equal(dir.isRegistered('wallet2'), false)
    assert.equal(dir.identify('wallet2', 'anything').ok, true)
  })
})

describe('AppDirectory.register', () => {
  it('refuses names that are not address segments, naming the problem', () => {
    const dir = new AppDirectory()
    assert.throws(() => dir.register('', 't'), /empty/)
    assert.throws(() => dir.register('a.b', 't'), /"\."/)
    assert.throws(() => dir.register('a b', 't'), /" "/)
    assert.equal(dir.isRegistered('a.b'), false)
  })

  it('refuses token-derived names and empty tokens', () => {
    const dir = new AppDirectory()
    assert.throws(() => dir.register(tokenDerivedId('x'), 't'), /reserved/)
    assert.throws(() => dir.register('alice', ''), /token/)
    assert.equal(dir.isRegistered('alice'), false)
  })
})
