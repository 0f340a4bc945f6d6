// Secrets kept as files in the data folder: `<data folder>/secrets/<name>.json`, each readable by this user only
// (mode 0600, the folder 0700). The desktop app passes Electron's safeStorage, and the value is encrypted with it —
// the OS keychain (macOS Keychain, Windows DPAPI, libsecret/KWallet on Linux) holds the key. Headless mode has no
// keychain (and an Electron on a system without one cannot encrypt): the value is then written as it is, and a
// warning says so — in the log once, and in the diagnostics through `warning`. The engine never imports Electron:
// safeStorage is passed in (tests pass a fake), typed here by the few methods used.
import { chmodSync, closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import type { Logger } from '../log'
import { secretFileName } from './secret-names'
import type { SecretStore } from './secrets'

/** The part of Electron's `safeStorage` this store uses. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean
  encryptString(plainText: string): Buffer
  decryptString(encrypted: Buffer): string
  /** Linux only: which backend Chromium chose (`basic_text` = no keyring, a fixed key). */
  getSelectedStorageBackend?(): string
}

export interface FileSecretStoreOptions {
  /** The data folder; secrets go into its `secrets/` folder. */
  folder: string
  /** Electron's safeStorage (desktop app); null or absent: values are kept unencrypted (headless). */
  safeStorage?: SafeStorageLike | null
  log: Logger
  platform?: NodeJS.Platform
}

interface StoredSecret {
  version: 1
  /** true: `value` is base64 of safeStorage's ciphertext; false: `value` is the secret itself. */
  encrypted: boolean
  value: string
}

export function createFileSecretStore(opts: FileSecretStoreOptions): SecretStore {
  const dir = join(opts.folder, 'secrets')
  const platform = opts.platform ?? process.platform
  const safe = opts.safeStorage ?? null
  const file = (name: string) => join(dir, secretFileName(name))
  const canEncrypt = () => safe !== null && safe.isEncryptionAvailable()

  const warning = (() => {
    if (safe === null) {
      return `headless mode has no OS keychain, so secrets (provider and peer URLs, tokens) are kept unencrypted in ${dir}, in files only your user account can read (mode 0600); protect the data folder (and its backups) accordingly`
    }
    if (!safe.isEncryptionAvailable()) {
      return `this system offers no keychain to Electron, so secrets (provider and peer URLs, tokens) are stored unencrypted in ${dir}, readable by your user account only`
    }
    // On Linux without a keyring daemon, Chromium falls back to a key written in its own source: not a protection.
    if (platform === 'linux' && safe.getSelectedStorageBackend?.() === 'basic_text') {
      return `no keyring (GNOME Keyring, KWallet) is running, so secrets in ${dir} are encrypted with a fixed key only; they are readable by your user account`
    }
    return null
  })()
  let warned = false
  const warnOnce = () => {
    if (warning && !warned) {
      warned = true
      opts.log.warn(`secrets: ${warning}`)
    }
  }

  /** Replaces the file at once, durably: the caller may delete the only other copy (the database's) right after. */
  const write = (name: string, stored: StoredSecret) => {
    const target = file(name)
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    // A folder made by hand (or an older Junction) may be wider; the file modes matter more, but both are kept tight.
    if (platform !== 'win32') chmodSync(dir, 0o700)
    const temp = `${target}.tmp`
    const fd = openSync(temp, 'w', 0o600)
    try {
      // The mode given to openSync applies only to a new file; an old temp left by a crash keeps its own.
      if (platform !== 'win32') chmodSync(temp, 0o600)
      writeSync(fd, JSON.stringify(stored) + '\n')
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(temp, target)
    syncFolder()
  }
  const syncFolder = () => {
    if (platform === 'win32') return
    try {
      const fd = openSync(dir, 'r')
      try {
        fsyncSync(fd)
      } finally {
        closeSync(fd)
      }
    } catch {
      // Some file systems cannot sync a folder; the rename is then as durable as they make it.
    }
  }

  const store: SecretStore = {
    warning,
    description: warning ?? `encrypted with the OS keychain, in ${dir}`,
    get(name) {
      const path = file(name)
      let stored: StoredSecret
      try {
        stored = JSON.parse(readFileSync(path, 'utf8')) as StoredSecret
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
        throw new Error(`cannot read the stored secret ${path}: ${(err as Error).message}; delete the file and enter the secret again`)
      }
      if (typeof stored?.value !== 'string') throw new Error(`the stored secret ${path} is not in Junction's format; delete the file and enter the secret again`)
      if (!stored.encrypted) {
        // Stored while no keychain was there; now that there is one, it is encrypted in place.
        if (canEncrypt()) store.set(name, stored.value)
        else warnOnce()
        return stored.value
      }
      if (safe === null) {
        throw new Error(`the stored secret ${path} was encrypted by the desktop app's OS keychain, which headless mode cannot use; enter the secret again (or run the desktop app)`)
      }
      if (!safe.isEncryptionAvailable()) {
        throw new Error(`the stored secret ${path} is encrypted, but the OS keychain is not available now; unlock or start it and restart Junction`)
      }
      try {
        return safe.decryptString(Buffer.from(stored.value, 'base64'))
      } catch (err) {
        throw new Error(`the stored secret ${path} cannot be decrypted (${(err as Error).message}): the OS keychain's key changed; enter the secret again`)
      }
    },
    set(name, value) {
      if (canEncrypt()) {
        write(name, { version: 1, encrypted: true, value: safe!.encryptString(value).toString('base64') })
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
