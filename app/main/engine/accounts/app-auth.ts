// Who an app is, from its BTP auth (RFC 23, with the `auth_username` convention of the JS plugins).
//
// - A named app (`btp+ws://alice:token@…`) is the child account `alice`. If `alice` was registered with a token,
//   only that token is accepted. If not, the name alone identifies it: `ilp-plugin` sends a fresh random secret on
//   every run, so binding the first token seen would lock the app out after its own restart.
// - An empty username is identified by its token, as ilp-plugin-mini-accounts does: the account id is
//   base64url(sha256(token)). A name of that exact form is refused, so nobody can claim a token-derived account.
// Whether a second live connection may replace the first is decided by the app server, which sees live sessions.
import { createHash, timingSafeEqual } from 'node:crypto'
import { addressSegmentProblem } from '../../../shared/ilp-address'

export type AppIdentity =
  | { ok: true; accountId: string; named: boolean; tokenHash: Buffer }
  | { ok: false; code: 'F00' | 'F01'; message: string }

/** base64url(sha256(token)), unpadded: 43 characters. */
const TOKEN_DERIVED_ID = /^[A-Za-z0-9_-]{43}$/

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest()
}

export function tokenDerivedId(token: string): string {
  return hashToken(token).toString('base64url')
}

export function sameTokenHash(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b)
}

/** Why `name` cannot be a registered app's name, or undefined when it can. */
export function registrableNameProblem(name: string): string | undefined {
  const problem = addressSegmentProblem(name)
  if (problem) return problem
  if (TOKEN_DERIVED_ID.test(name)) return 'names of 43 base64url characters are reserved for token-derived accounts'
  return undefined
}

export class AppDirectory {
  /** Registered apps: username → token hash. */
  private readonly registered = new Map<string, Buffer>()

  register(name: string, token: string): void {
    if (token.length === 0) throw new Error(`cannot register app ${JSON.stringify(name)}: its token is empty`)
    this.registerHash(name, hashToken(token))
  }

  /** Registers a name with the hash of its token (what the database keeps). */
  registerHash(name: string, tokenHash: Buffer): void {
    const problem = registrableNameProblem(name)
    if (problem) throw new Error(`cannot register app ${JSON.stringify(name)}: ${problem}`)
    this.registered.set(name, tokenHash)
  }

  /** The name is identified by name alone again (a forgotten app). */
  unregister(name: string): void {
    this.registered.delete(name)
  }

  isRegistered(name: string): boolean {
    return this.registered.has(name)
  }

  identify(username: string, token: string): AppIdentity {
    const tokenHash = hashToken(token)
    if (username === '') {
      if (token === '') {
        return { ok: false, code: 'F01', message: 'auth_username and auth_token are both empty: give the app a name or a token' }
      }
      return { ok: true, accountId: tokenHash.toString('base64url'), named: false, tokenHash }
    }
    const problem = addressSegmentProblem(username)
    if (problem) {
      return {
        ok: false,
        code: 'F01',
        message: `invalid auth_username ${JSON.stringify(username.slice(0, 64))}: it becomes an ILP address segment, and ${problem}`,
      }
    }
    if (TOKEN_DERIVED_ID.test(username)) {
      return {
        ok: false,
        code: 'F01',
        message: `invalid auth_username: names of 43 base64url characters are reserved for token-derived accounts (connect with an empty username instead)`,
      }
    }
    const expected = this.registered.get(username)
    if (expected && !sameTokenHash(expected, tokenHash)) {
      return { ok: false, code: 'F00', message: `wrong auth_token for app "${username}"` }
    }
    return { ok: true, accountId: username, named: true, tokenHash }
  }
}
