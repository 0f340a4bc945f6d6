// Where the engine keeps secrets that must not sit in the database: a provider's or peer's URL secret, the token an
// incoming peer or an ILP-over-HTTP provider must present. The shell decides how they are protected (the desktop app:
// the OS keychain through Electron's safeStorage; headless: a file readable by this user only); the engine sees only
// this interface (file-secret-store.ts keeps them in the data folder). Names are short keys such as `provider-<id>`,
// `provider-<id>-receive`, `peer-<id>` (secret-names.ts says which are valid).
import { checkSecretName } from './secret-names'

export interface SecretStore {
  /** The secret, or null if none is stored. Throws if it is stored but cannot be read (say why). */
  get(name: string): string | null
  /** Stores the secret; says whether it is encrypted at rest. */
  set(name: string, value: string): { encrypted: boolean }
  delete(name: string): void
  /** Why secrets are not (well) protected here, or null if they are (the OS keychain, or memory only). */
  readonly warning: string | null
  /** Where and how secrets are kept, in one line for the diagnostics (never a secret). */
  readonly description?: string
}

/** Secrets kept in memory only: a throwaway engine (tests, a node without a data folder). */
export class MemorySecretStore implements SecretStore {
  readonly warning = null
  readonly description = 'in memory only (this engine has no data folder)'
  private readonly values = new Map<string, string>()
  get(name: string): string | null {
    checkSecretName(name)
    return this.values.get(name) ?? null
  }
  set(name: string, value: string): { encrypted: boolean } {
    checkSecretName(name)
    this.values.set(name, value)
    return { encrypted: false }
  }
  delete(name: string): void {
    checkSecretName(name)
    this.values.delete(name)
  }
}
