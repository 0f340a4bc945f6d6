// The data folder (shared by the desktop app and headless mode) and the lock that keeps two Junctions from using
// it at once. The lock is a file holding the owner's pid; a lock left by a process that no longer runs is taken over.
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'

/** The OS's per-user application-data folder for Junction (what Electron's app.getPath('userData') gives). */
export function defaultDataFolder(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Junction')
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Junction')
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Junction')
}

export interface FolderLock {
  path: string
  release(): void
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Lock files this process holds: its own pid in a lock file is not stale while it is listed here. */
const heldHere = new Set<string>()

/** Creates the folder if needed and locks it; throws with the other owner's pid if it is in use. */
export function lockDataFolder(folder: string): FolderLock {
  try {
    mkdirSync(folder, { recursive: true })
  } catch (err) {
    throw new Error(`cannot create the data folder ${folder} (${(err as NodeJS.ErrnoException).code}): choose another with --data`)
  }
  const path = join(folder, 'junction.lock')
  if (heldHere.has(path)) throw new Error(`the data folder ${folder} is already in use by this Junction`)
  for (let tries = 0; tries < 2; tries++) {
    try {
      const fd = openSync(path, 'wx')
      writeSync(fd, String(process.pid))
      closeSync(fd)
      heldHere.add(path)
      let released = false
      return {
        path,
        release() {
          if (released) return
          released = true
          heldHere.delete(path)
          try {
            if (readFileSync(path, 'utf8').trim() === String(process.pid)) rmSync(path)
          } catch {
            // already gone
          }
        },
      }
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
        throw new Error(`cannot write in the data folder ${folder} (${code}): make it writable by this user, or choose another with --data`)
      }
      if (code !== 'EEXIST') throw err
      const owner = Number.parseInt(readFileSync(path, 'utf8').trim(), 10)
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isRunning(owner)) {
        throw new Error(`the data folder ${folder} is in use by another Junction (pid ${owner}); stop it first or choose another folder with --data`)
      }
      rmSync(path, { force: true })
    }
  }
  throw new Error(`could not lock the data folder ${folder}`)
}
