// Junction's headless runner as a child process (`node --import tsx app/main/headless.ts …`), for tests that need a
// real process: restart on the same data folder, kill -9, exit codes and messages.
import { type ChildProcess, spawn, type SpawnOptions } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { withTimeout } from './junction'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const HEADLESS = join(ROOT, 'app/main/headless.ts')
// The ready line ends with ` ui=http://127.0.0.1:<ui-port>/#token=<token>`.
const READY = /^junction ready address=(\S+) apps=btp\+ws:\/\/localhost:(\d+)(?: ui=(\S+))?$/
const ADDRESS = /^junction address (\S+)$/

export interface Exit {
  code: number | null
  signal: NodeJS.Signals | null
}

export interface HeadlessProcess {
  child: ChildProcess
  readonly pid: number
  /** stdout lines so far. */
  readonly lines: string[]
  stderr(): string
  exited: Promise<Exit>
  /** Resolves with the first stdout line matching `re` (already printed or later); rejects if it exits first. */
  line(re: RegExp, ms?: number): Promise<RegExpMatchArray>
  /** Resolves with the app port and own address once both are printed; rejects if it exits first or after `ms`. */
  ready(ms?: number): Promise<{ port: number; address: string }>
  /** Sends `signal` and waits for the exit (SIGKILL after 5 s). */
  stop(signal?: NodeJS.Signals): Promise<Exit>
}

export interface HeadlessOptions {
  env?: NodeJS.ProcessEnv
  /** Run as this user and group (tests of permissions, when the tests run as root). */
  uid?: number
  gid?: number
}

/** Starts `headless.ts` with `args`; logs go to its stderr (kept), stdout status lines are parsed. */
export function spawnHeadless(args: string[], opts: HeadlessOptions = {}): HeadlessProcess {
  const spawnOpts: SpawnOptions = {
    cwd: ROOT,
    env: { ...process.env, JUNCTION_LOG: process.env.JUNCTION_LOG ?? 'warn', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.gid ?? opts.uid } : {}),
  }
  // A free UI port unless the test picks one: 7769 may be taken, and some tests run two Junctions at once.
  const ui = args.includes('--ui-port') ? [] : ['--ui-port', '0']
  const child = spawn(process.execPath, ['--import', 'tsx', HEADLESS, ...ui, ...args], spawnOpts)
  const lines: string[] = []
  let partial = ''
  let err = ''
  const listeners = new Set<() => void>()
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    partial += chunk
    const parts = partial.split('\n')
    partial = parts.pop()!
    lines.push(...parts)
    for (const l of listeners) l()
  })
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk
  })
  let done = false
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => {
      // Let the last output arrive.
      setImmediate(() => {
        if (partial) lines.push(partial)
        partial = ''
        done = true
        for (const l of listeners) l()
        resolve({ code, signal })
      })
    })
  })
  return {
    child,
    get pid() {
      return child.pid!
    },
    lines,
    stderr: () => err,
    exited,
    line: (re, ms = 20_000) =>
      withTimeout(
        new Promise<RegExpMatchArray>((resolve, reject) => {
          const check = () => {
            for (const l of lines) {
              const m = re.exec(l)
              if (m) {
                listeners.delete(check)
                return resolve(m)
              }
            }
            if (done) {
              listeners.delete(check)
              reject(new Error(`exited without printing ${re}; stdout: ${lines.join(' | ')}; stderr: ${err}`))
            }
          }
          listeners.add(check)
          check()
        }),
        ms,
        `a line matching ${re} (stdout so far: ${lines.join(' | ')})`,
      ),
    ready: (ms = 30_000) =>
      withTimeout(
        new Promise<{ port: number; address: string }>((resolve, reject) => {
          const check = () => {
            let port: number | undefined
            let address: string | undefined
            for (const l of lines) {
              const r = READY.exec(l)
              if (r) port = Number(r[2])
              const a = ADDRESS.exec(l)
              if (a) address = a[1]
            }
            if (port !== undefined && address !== undefined) {
              listeners.delete(check)
              resolve({ port, address })
            } else if (done) {
              listeners.delete(check)
              reject(new Error(`Junction exited before it was ready; stdout: ${lines.join(' | ')}; stderr: ${err}`))
            }
          }
          listeners.add(check)
          check()
        }),
        ms,
        `Junction to be ready (stdout so far: ${lines.join(' | ')}; stderr: ${err.slice(-2000)})`,
      ),
    stop: async (signal = 'SIGTERM') => {
      if (!done && child.exitCode === null && child.signalCode === null) child.kill(signal)
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
      try {
        return await exited
      } finally {
        clearTimeout(timer)
      }
    },
  }
}
