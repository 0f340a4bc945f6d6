// Where providers (links to ILSPs) are kept: the `providers` table (schema 2) and, in `settings`, which one is active.
// A provider row holds its full BTP URL, secret included; views mask it (btp/btp-url.ts `display`).
//
// Balances: each provider is its own parent account. The first provider ever stored keeps the account id `parent`,
// so the balance a Junction from before several providers kept (always under `parent`) stays with the provider it
// was kept with — no balance is moved or merged. Later providers get `provider:<id>`.
//
// MemoryProvidersStore is the same interface for an engine without a database.
import type { Db } from './database'

export interface ProviderRow {
  id: string
  name: string
  /** BTP URL with the secret. */
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

export class SqliteProvidersStore implements ProvidersStore {
  constructor(private readonly db: Db) {}

  all(): ProviderRow[] {
    const rows = this.db.prepare<[], DbProviderRow>('SELECT * FROM providers').all()
    return rows
      .map((r) => ({
        id: r.id,
        name: r.name,
        url: r.url,
        position: Number(r.position),
        enabled: r.enabled === 1n,
        // A row from schema 1 (never written by Junction, but possible) gets its account on first read.
        accountId: r.account_id ?? `provider:${r.id}`,
        createdAt: Number(r.created_at),
        receive: parseReceive(r.receive),
      }))
      .sort(byPosition)
  }

  put(row: ProviderRow): void {
    this.db
      .prepare(
        `INSERT INTO providers (id, name, url, position, enabled, account_id, created_at, receive) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, url = excluded.url, position = excluded.position,
           enabled = excluded.enabled, account_id = excluded.account_id, receive = excluded.receive`,
      )
      .run(row.id, row.name, row.url, row.position, row.enabled ? 1 : 0, row.accountId, row.createdAt, row.receive ? JSON.stringify(row.receive) : null)
  }

  delete(id: string): void {
    this.db.prepare('DELETE FROM providers WHERE id = ?').run(id)
  }

  activeId(): string | undefined {
    const row = this.db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?').get(SETTING_ACTIVE)
    return row?.value
  }

  setActiveId(id: string | undefined): void {
    if (id === undefined) this.db.prepare('DELETE FROM settings WHERE key = ?').run(SETTING_ACTIVE)
    else this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(SETTING_ACTIVE, id)
  }
}

function parseReceive(json: string | null): { host: string; port: number } | null {
  if (!json) return null
  try {
    const v = JSON.parse(json) as { host?: unknown; port?: unknown }
    return typeof v.host === 'string' && typeof v.port === 'number' ? { host: v.host, port: v.port } : null
  } catch {
    return null
  }
}
