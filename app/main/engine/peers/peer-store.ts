// Where stored peers are kept: the `peers` table (schema 3) for what may be seen (id, name, URL without its secret,
// whether the peer may connect to Junction, asset), and the secret store (secrets/secrets.ts) for what may not:
//
// - `peer-<id>`: the full URL Junction connects to, secret included.
// - `peer-<id>-incoming`: the sha256 (hex) of the token the peer must present when it connects to the app port.
//   Only the hash is kept, as for apps' tokens: Junction never needs the token again (the user copies it once,
//   when the peer is added), and a leaked secret store then does not let anyone connect as the peer.
//
// MemoryPeersStore is the same interface for an engine without a database.
import { createHash, timingSafeEqual } from 'node:crypto'
import type { Db } from '../store/database'
import type { SecretStore } from '../secrets/secrets'

export interface PeerRow {
  id: string
  name: string
  /** Where Junction connects to the peer, without the URL's password; null = the peer only connects to Junction. */
  url: string | null
  /** The peer may connect to Junction's app port as `<id>` with its token. */
  incoming: boolean
  /** The asset on this link; null = Junction's own. */
  assetCode: string | null
  assetScale: number | null
  /** Unix ms. */
  createdAt: number
}

export interface PeersStore {
  all(): PeerRow[]
  get(id: string): PeerRow | undefined
  /** Inserts or replaces the whole row. */
  put(row: PeerRow): void
  delete(id: string): void
}

const byCreation = (a: PeerRow, b: PeerRow) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

export class MemoryPeersStore implements PeersStore {
  private readonly rows = new Map<string, PeerRow>()

  all(): PeerRow[] {
    return [...this.rows.values()].map((r) => ({ ...r })).sort(byCreation)
  }
  get(id: string): PeerRow | undefined {
    const row = this.rows.get(id)
    return row && { ...row }
  }
  put(row: PeerRow): void {
    this.rows.set(row.id, { ...row })
  }
  delete(id: string): void {
    this.rows.delete(id)
  }
}

interface DbPeerRow {
  id: string
  name: string
  url: string | null
  incoming: bigint
  asset_code: string | null
  asset_scale: bigint | null
  created_at: bigint
}

function fromDb(r: DbPeerRow): PeerRow {
  return {
    id: r.id,
    name: r.name,
    url: r.url,
    incoming: r.incoming === 1n,
    assetCode: r.asset_code,
    assetScale: r.asset_scale === null ? null : Number(r.asset_scale),
    createdAt: Number(r.created_at),
  }
}

export class SqlitePeersStore implements PeersStore {
  constructor(private readonly db: Db) {}

  all(): PeerRow[] {
    return this.db.prepare<[], DbPeerRow>('SELECT * FROM peers').all().map(fromDb).sort(byCreation)
  }

  get(id: string): PeerRow | undefined {
    const row = this.db.prepare<[string], DbPeerRow>('SELECT * FROM peers WHERE id = ?').get(id)
    return row && fromDb(row)
  }

  put(row: PeerRow): void {
    this.db
      .prepare(
        `INSERT INTO peers (id, name, url, incoming, asset_code, asset_scale, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, url = excluded.url, incoming = excluded.incoming,
           asset_code = excluded.asset_code, asset_scale = excluded.asset_scale`,
      )
      .run(row.id, row.name, row.url, row.incoming ? 1 : 0, row.assetCode, row.assetScale, row.createdAt)
  }

  delete(id: string): void {
    this.db.prepare('DELETE FROM peers WHERE id = ?').run(id)
  }
}

// ---- the peer's secrets ----

export const peerUrlSecret = (id: string) => `peer-${id}`
export const peerIncomingSecret = (id: string) => `peer-${id}-incoming`

export function incomingTokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}

/** Whether `token` is the one whose hash was stored (constant time). */
export function matchesIncomingHash(storedHex: string, token: string): boolean {
  const stored = Buffer.from(storedHex, 'hex')
  const given = Buffer.from(incomingTokenHash(token), 'hex')
  return stored.length === given.length && timingSafeEqual(stored, given)
}

/** A peer's secrets in the secret store (its full URL; the hash of its incoming token). */
export class PeerSecrets {
  constructor(private readonly secrets: SecretStore) {}

  url(id: string): string | null {
    return this.secrets.get(peerUrlSecret(id))
  }

  incomingHash(id: string): string | null {
    return this.secrets.get(peerIncomingSecret(id))
  }

  save(id: string, secrets: { url?: string; incomingToken?: string }): void {
    if (secrets.url !== undefined) this.secrets.set(peerUrlSecret(id), secrets.url)
    if (secrets.incomingToken !== undefined) this.secrets.set(peerIncomingSecret(id), incomingTokenHash(secrets.incomingToken))
  }

  /** Forgets the URL (Junction no longer connects to the peer) or the incoming token (it may no longer connect). */
  forget(id: string, which: 'url' | 'incoming'): void {
    this.secrets.delete(which === 'url' ? peerUrlSecret(id) : peerIncomingSecret(id))
  }

  delete(id: string): void {
    this.secrets.delete(peerUrlSecret(id))
    this.secrets.delete(peerIncomingSecret(id))
  }
}
