// Secrets the desktop app keeps (the provider's BTP URL, whose user:secret part is the account's password), encrypted
// with Electron's safeStorage — the OS keychain (macOS Keychain, Windows DPAPI, libsecret/kwallet on Linux) holds the
// key — and written into the data folder as `secrets/<name>.json`, readable by this user only. Where the OS offers no
// keychain the value is kept as it is, and a warning says so (in the log, so in the diagnostics the UI shows). The
// safeStorage object is passed in: this file never imports Electron, and tests pass a fake.
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { SafeStorage } from 'electron'
import type { Logger } from '../engine/log'

export type SafeStorageLike = Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'> &
  Partial<Pick<SafeStorage, 'getSelectedStorageBackend'>>

interface StoredSecret {
  version: 1
  /** true: `value` is base64 of safeStorage's ciphertext; false: `value` is the secret itself. */
  encrypted: boolean
  value: string
}

export interface SecretStore {
  /** The secret, or null if none is stored. Throws if it is stored encrypted and cannot be decrypted. */
  get(name: string): string | null
  /** Stores the secret; says whether it is encrypted. */
  set(name: string, value: string): { encrypted: boolean }
  delete(name: string): void
  /** Why secrets are not (well) protected here, or null if the OS keychain protects them. */
  readonly warning: string | null
}

const NAME = /^[a-z0-9-]{1,64}$/

export function createSecretStore(opts: { folder: string; safeStorage: SafeStorageLike; log: Logger; platform?: NodeJS.Platform }): SecretStore {
  const dir = join(opts.folder, 'secrets')
  const platform = opts.platform ?? process.platform
  const file = (name: string) => {
    if (!NAME.test(name)) throw new Error(`invalid secret name ${JSON.stringify(name)}`)
    return join(dir, `${name}.json`)
  }
  const available = () => opts.safeStorage.isEncryptionAvailable()

  const warning = (() => {
    if (!available()) {
      return 'this system offers no keychain to Electron, so the provider URL (and its secret) is stored unencrypted in the data folder, readable by your user account only'
    }
    // On Linux without a keyring daemon, Chromium falls back to a key written in its own source: not a protection.
    if (platform === 'linux' && opts.safeStorage.getSelectedStorageBackend?.() === 'basic_text') {
      return 'no keyring (GNOME Keyring, KWallet) is running, so the provider URL is encrypted with a fixed key only; it is readable by your user account'
    }
    return null
  })()
  let warned = false
  const warnOnce = () => {
    if (warning && !warned) {
      warned = true
      opts.log.warn(`provider secrets: ${warning}`)
    }
  }

  const write = (name: string, stored: StoredSecret) => {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    const target = file(name)
    const temp = `${target}.tmp`
    writeFileSync(temp, JSON.stringify(stored) + '\n', { mode: 0o600 })
    // The mode given to writeFileSync applies only to a new file; an old temp left by a crash keeps its own.
    chmodSync(temp, 0o600)
    renameSync(temp, target)
  }

  const store: SecretStore = {
    warning,
    get(name) {
      let stored: StoredSecret
      try {
        stored = JSON.parse(readFileSync(file(name), 'utf8')) as StoredSecret
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
        throw new Error(`cannot read the stored secret ${file(name)}: ${(err as Error).message}; delete it and enter the secret again`)
      }
      if (!stored.encrypted) {
        // Stored while no keychain was there; now that there is one, it is encrypted in place.
        if (available()) store.set(name, stored.value)
        else warnOnce()
        return stored.value
      }
      if (!available()) {
        throw new Error(`the stored secret ${file(name)} is encrypted, but the OS keychain is not available now; unlock or start it and restart Junction`)
      }
      try {
        return opts.safeStorage.decryptString(Buffer.from(stored.value, 'base64'))
      } catch (err) {
        throw new Error(
          `the stored secret ${file(name)} cannot be decrypted (${(err as Error).message}): the OS keychain's key changed. ` +
            'Put the provider URL in config.json again; Junction stores it anew',
        )
      }
    },
    set(name, value) {
      if (available()) {
        write(name, { version: 1, encrypted: true, value: opts.safeStorage.encryptString(value).toString('base64') })
        warnOnce()
        return { encrypted: true }
      }
      write(name, { version: 1, encrypted: false, value })
      warnOnce()
      return { encrypted: false }
    },
    delete(name) {
      rmSync(file(name), { force: true })
    },
  }
  return store
}
