// Where the engine keeps secrets that must not sit in the database: a provider's or peer's URL secret, the token an
// incoming peer or an ILP-over-HTTP provider must present. The shell decides how they are protected (the desktop app:
// the OS keychain through Electron's safeStorage; headless: a file readable by this user only); the engine sees only
// this interface. Names are short keys such as `provider-<id>`, `provider-<id>-receive`, `peer-<id>`.
export interface SecretStore {
  /** The secret, or null if none is stored. Throws if it is stored but cannot be read (say why). */
  get(name: string): string | null
  /** Stores the secret; says whether it is encrypted at rest. */
  set(name: string, value: string): { encrypted: boolean }
  delete(name: string): void
  /** Why secrets are not (well) protected here, or null if the OS keychain protects them. */
  readonly warning: string | null
}

/** Secrets kept in memory only: a throwaway engine (tests, a node without a data folder). */
export class MemorySecretStore implements SecretStore {
  readonly warning = null
  private readonly values = new Map<string, string>()
  get(name: string): string | null {
    return this.values.get(name) ?? null
  }
  set(name: string, value: string): { encrypted: boolean } {
    this.values.set(name, value)
    return { encrypted: false }
  }
  delete(name: string): void {
    this.values.delete(name)
  }
}
