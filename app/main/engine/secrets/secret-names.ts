// Secret names and the file names they are kept under. A name is what the engine asks for: `provider-<id>`,
// `provider-<id>-receive`, `peer-<id>` (peer ids are ILP address segments: letters, digits, `_`, `~`, `-`). File
// systems on macOS and Windows ignore case, so `peer-Bob` and `peer-bob` must not share a file: upper-case letters
// and `~` are escaped (`A` → `~a`, `~` → `~~`), which keeps every file name lower-case, distinct for distinct names,
// and free of `/`, `\`, `.` — a name can never reach outside the secrets folder.

const NAME = /^[A-Za-z0-9_~-]{1,100}$/
/** Names Windows keeps for devices, whatever the extension (`con.json` opens the console). Upper-case letters are
 *  escaped in file names, so only these all-lower-case names would hit one. */
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/

export class SecretNameError extends Error {}

/** Throws SecretNameError unless `name` is a valid secret name. */
export function checkSecretName(name: string): void {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new SecretNameError(
      `invalid secret name ${JSON.stringify(name)}: expected 1 to 100 letters, digits, "_", "~" or "-" (e.g. provider-<id>, peer-<id>)`,
    )
  }
  if (WINDOWS_DEVICE.test(name)) throw new SecretNameError(`invalid secret name ${JSON.stringify(name)}: Windows reserves it for a device`)
}

/** The file name (without folder) a secret is kept under: `<escaped name>.json`. */
export function secretFileName(name: string): string {
  checkSecretName(name)
  return `${name.replace(/[A-Z~]/g, (c) => (c === '~' ? '~~' : `~${c.toLowerCase()}`))}.json`
}
