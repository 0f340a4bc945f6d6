// Where providers (links to ILSPs) are kept: the `providers` table and, in `settings`, which one is active.
// A provider's URL carries the secret of Junction's account with it (`btp+ws://user:secret@host`, or an HTTP
// provider's `https://name:token@host`): the table keeps the URL without it (`btp+ws://user@host`), and the secret
// store (secrets/) keeps the whole URL under `provider-<id>`. ProviderRow.url is the whole URL: the rest of the
// engine neither knows nor cares where the parts are kept. Views mask it (btp/btp-url.ts `display`).
//
// Opening the store moves the secrets a database from before (schema 2 kept whole URLs) still holds: the secret
// store is written first, the row stripped after, so a crash in between leaves the secret in both places and the
// next start finishes the job. A row whose secret is gone (its file deleted, the OS keychain's key changed) does not
// stop the node: it reads back with `secretError` set and its URL without the secret, and cannot connect until the
// user enters its URL again.
//
// Balances: each provider is its own parent account. The first provider ever stored keeps the account id `parent`,
// so the balance a Junction from before several providers kept (always under `parent`) stays with the provider it
// was kept with — no balance is moved or merged. Later providers get `provider:<id>`.
//
// MemoryProvidersStore is the same interface for an engine without a database (its URLs stay whole, in memory).
import { createLogger, type Logger } from '../log'
import type { SecretStore } from '../secrets/secrets'
import { hasUrlSecret, withoutUrlSecret } from '../secrets/url-secret'
import type { Db } from './database'

export interface ProviderRow {
  id: string
  name: string
  /** The whole URL, secret included (BTP or ILP-over-HTTP). */
  url: string
  /** Failover order: lower first. */
  position: number
  enabled: boolean
  /** The parent account Junction's balance with this provider is kept under. */
  accountId: string
  /** Unix ms. */
  createdAt: number
  /** ILP-over-HTTP only: where Junction listens for the provider's packets (null = send-only). Token: secret store. */
  receive?: { host: string; port: number } | null
  /**
   * Set when the URL's secret could not be read from the secret store (why, and what to do): `url` is then the URL
   * without its secret, and the provider cannot connect until its URL is entered again.
   */
  secretError?: string
}

export interface ProvidersStore {
  all(): ProviderRow[]
  /** Inserts or replaces the whole row. */
  put(row: ProviderRow): void
  delete(id: string): void
  activeId(): string | undefined
  setActiveId(id: string | undefined): void
}

export const FIRST_PROVIDER_ACCOUNT = 'parent'
const SETTING_ACTIVE = 'providers.active'
/** '1' once every row's URL is in the secret store (the move from schema 2's whole URLs is done). */
const SETTING_SECRETS_MOVED = 'providers.secrets_in_store'

/** The secret-store name of a provider's whole URL. */
export function providerSecretName(id: string): string {
  return `provider-${id}`
}
/** Secrets a provider may have besides its URL (an HTTP provider's receive token), deleted with it. */
const OTHER_SECRETS = (id: string) => [`provider-${id}-receive`]

/** The account id for a new provider: `parent` if no provider has it yet, else `provider:<id>`. */
export function accountIdFor(id: string, existing: ProviderRow[]): string {
  return existing.some((p) => p.accountId === FIRST_PROVIDER_ACCOUNT) ? `provider:${id}` : FIRST_PROVIDER_ACCOUNT
}

const byPosition = (a: ProviderRow, b: ProviderRow) => a.position - b.position || a.createdAt - b.createdAt

export class MemoryProvidersStore implements ProvidersStore {
  private readonly rows = new Map<string, ProviderRow>()
  private active: string | undefined

  all(): ProviderRow[] {
    return [...this.rows.values()].map((r) => ({ ...r })).sort(byPosition)
  }
  put(row: ProviderRow): void {
    this.rows.set(row.id, { ...row })
  }
  delete(id: string): void {
    this.rows.delete(id)
  }
  activeId(): string | undefined {
    return this.active
  }
  setActiveId(id: string | undefined): void {
    this.active = id
  }
}

interface DbProviderRow {
  id: string
  name: string
  url: string
  position: bigint
  enabled: bigint
  account_id: string | null
  created_at: bigint
  receive: string | null
}

type SecretRead = { url: string } | { error: string }

export class SqliteProvidersStore implements ProvidersStore {
  /** Whole URLs (or why not), read once per provider: the secret store may decrypt with the OS keychain. */
  private readonly secretCache = new Map<string, SecretRead>()
  private readonly log: Logger

  constructor(
    private readonly db: Db,
    private readonly secrets: SecretStore,
    log?: Logger,
  ) {
    this.log = log ?? createLogger('providers')
    this.moveSecrets()
    for (const row of this.all()) {
      if (row.secretError) this.log.warn(`provider "${row.name}" (${row.url}) cannot connect: ${row.secretError}`)
    }
  }

  all(): ProviderRow[] {
    const rows = this.db.prepare<[], DbProviderRow>('SELECT * FROM providers').all()
    return rows
      .map((r) => {
        const read = this.wholeUrl(r.id, r.url)
        const row: ProviderRow = {
          id: r.id,
          name: r.name,
          url: 'url' in read ? read.url : r.url,
          position: Number(r.position),
          enabled: r.enabled === 1n,
          // A row from schema 1 (never written by Junction, but possible) gets its account on first read.
          accountId: r.account_id ?? `provider:${r.id}`,
          createdAt: Number(r.created_at),
          receive: receiveFromDb(r.receive),
        }
        if ('error' in read) row.secretError = read.error
        return row
      })
      .sort(byPosition)
  }

  put(row: ProviderRow): void {
    const bare = withoutUrlSecret(row.url)
    const stored = this.db.prepare<[string], { url: string }>('SELECT url FROM providers WHERE id = ?').get(row.id)
    // A row read back without its secret, written again unchanged (renamed, reordered, enabled): its secret is still
    // missing, and the URL without it must not take its place in the secret store.
    const stillMissing = row.secretError !== undefined && row.url === bare && stored?.url === bare
    if (!stillMissing) {
      // The secret store first: the row never points at a secret that is not there.
      this.secrets.set(providerSecretName(row.id), row.url)
      this.secretCache.set(row.id, { url: row.url })
    }
    this.db
      .prepare(
        `INSERT INTO providers (id, name, url, position, enabled, account_id, created_at, receive) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, url = excluded.url, position = excluded.position,
           enabled = excluded.enabled, account_id = excluded.account_id, receive = excluded.receive`,
      )
      .run(row.id, row.name, bare, row.position, row.enabled ? 1 : 0, row.accountId, row.createdAt, row.receive ? JSON.stringify({ host: row.receive.host, port: row.receive.port }) : null)
  }

  delete(id: string): void {
    this.db.prepare('DELETE FROM providers WHERE id = ?').run(id)
    this.secretCache.delete(id)
    for (const name of [providerSecretName(id), ...OTHER_SECRETS(id)]) {
      try {
        this.secrets.delete(name)
      } catch (err) {
        this.log.warn(`provider ${id} is removed, but its secret ${name} could not be deleted: ${(err as Error).message}`)
      }
    }
  }

  activeId(): string | undefined {
    return this.getSetting(SETTING_ACTIVE)
  }

  setActiveId(id: string | undefined): void {
    if (id === undefined) this.db.prepare('DELETE FROM settings WHERE key = ?').run(SETTING_ACTIVE)
    else this.setSetting(SETTING_ACTIVE, id)
  }

  /** The whole URL from the secret store (cached), or why it cannot be had. */
  private wholeUrl(id: string, dbUrl: string): SecretRead {
    // Only a row the move below could not strip (its secret could not be stored) still holds one.
    if (hasUrlSecret(dbUrl)) return { url: dbUrl }
    const cached = this.secretCache.get(id)
    if (cached) return cached
    let read: SecretRead
    try {
      const url = this.secrets.get(providerSecretName(id))
      read =
        url !== null
          ? { url }
          : {
              error:
                `the secret of its URL is not in the secret store (${this.secrets.description ?? 'secrets/'}), as if its file was deleted or the ` +
                'data folder was copied without it; enter its full URL again with Edit on the Providers page (it keeps its place and balance)',
            }
    } catch (err) {
      read = { error: `the secret of its URL cannot be read (${(err as Error).message}); enter its full URL again with Edit on the Providers page (it keeps its place and balance)` }
    }
    this.secretCache.set(id, read)
    return read
  }

  /**
   * Moves whole URLs out of the table into the secret store: each is stored there first, then the rows are stripped
   * in one transaction. Idempotent, and safe to stop anywhere: a row still holding its secret is simply moved again.
   */
  private moveSecrets(): void {
    const firstTime = this.getSetting(SETTING_SECRETS_MOVED) !== '1'
    const rows = this.db.prepare<[], { id: string; name: string; url: string }>('SELECT id, name, url FROM providers').all()
    const strip: Array<{ id: string; url: string }> = []
    for (const r of rows) {
      const name = providerSecretName(r.id)
      try {
        if (hasUrlSecret(r.url)) {
          this.secrets.set(name, r.url)
          strip.push({ id: r.id, url: withoutUrlSecret(r.url) })
        } else if (firstTime && this.secrets.get(name) === null) {
          // A URL without a secret (schema 2): stored whole all the same, so a missing entry later means a lost secret.
          this.secrets.set(name, r.url)
        }
      } catch (err) {
        this.log.error(`could not move the secret of provider "${r.name}" into the secret store (${(err as Error).message}); it stays in the database for now`)
      }
    }
    const update = this.db.prepare('UPDATE providers SET url = ? WHERE id = ?')
    // secure_delete: SQLite zeroes the space the old rows took instead of leaving their bytes in the page.
    const secureDelete = this.db.pragma('secure_delete', { simple: true }) as number
    if (strip.length > 0) this.db.pragma('secure_delete = ON')
    try {
      this.db.transaction(() => {
        for (const s of strip) update.run(s.url, s.id)
        if (firstTime) this.setSetting(SETTING_SECRETS_MOVED, '1')
      })()
    } finally {
      if (strip.length > 0) this.db.pragma(`secure_delete = ${secureDelete}`)
    }
    if (strip.length === 0) return
    // The old pages are still in the database file until a checkpoint copies the new ones over them; now, not later.
    try {
      this.db.pragma('wal_checkpoint(TRUNCATE)')
    } catch (err) {
      this.log.warn(`could not checkpoint the database after moving provider secrets (${(err as Error).message}); SQLite will later`)
    }
    this.log.info(`moved the secrets of ${strip.length} provider URL(s) from the database into the secret store`)
  }

  private getSetting(key: string): string | undefined {
    return this.db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?').get(key)?.value
  }

  private setSetting(key: string, value: string): void {
    this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value)
  }
}

/** The `receive` column: JSON {"host", "port"} or NULL; anything else reads as none (send-only). */
function receiveFromDb(text: string | null): ProviderRow['receive'] {
  if (text === null) return null
  try {
    const v = JSON.parse(text) as { host?: unknown; port?: unknown }
    return typeof v.host === 'string' && typeof v.port === 'number' ? { host: v.host, port: v.port } : null
  } catch {
    return null
  }
}
