// Child processes of the bench: helpers (IPC) and systems under test (stdout contract), all killed on exit/Ctrl-C.
import { fork, spawn, type ChildProcess } from 'node:child_process'
import { closeSync, openSync, readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { Helper } from './ipc'

const live = new Set<ChildProcess>()
const quietEnv = { ...process.env, DEBUG: '' }

function track(child: ChildProcess): ChildProcess {
  live.add(child)
  child.on('exit', () => live.delete(child))
  return child
}

/** Kill every child still running (SIGKILL); safe to call from an 'exit' handler. */
export function killAll(): void {
  for (const child of live) {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(child.pid, 'SIGKILL')
      } catch {
        // already gone
      }
    }
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the child has exited. */
export async function stop(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.pid !== undefined && child.kill('SIGKILL'), graceMs)
  await exited
  clearTimeout(timer)
}

/** Fork a TypeScript helper that calls serve() (ipc.ts); stdout and stderr go to `logFile`. */
export async function startHelper(name: string, file: string, args: string[], cwd: string, logFile: string): Promise<Helper> {
  const log = openSync(logFile, 'w')
  const child = track(
    fork(file, args, { cwd, execArgv: ['--import', 'tsx'], stdio: ['ignore', log, log, 'ipc'], env: quietEnv }),
  )
  closeSync(log)
  const helper = new Helper(name, child)
  await withDeadline(helper.ready, 60_000, `${name} did not start within 60 s; see ${logFile}`)
  return helper
}

export interface Sut {
  name: string
  child: ChildProcess
  /** Its ILP address, from the `<name> address <address>` line. */
  address: string
  /** Port of its BTP server for apps, from `apps=btp+ws://host:<port>`. */
  appPort: number
}

/**
 * Spawn a connector (`node --import tsx <file> ...args`) that prints `<x> ready address=<a> apps=btp+ws://host:<port>`
 * and later (or in the same go) `<x> address <a>`; its stderr goes to `logFile`.
 */
export async function startSut(name: string, file: string, args: string[], cwd: string, logFile: string, env: NodeJS.ProcessEnv = {}): Promise<Sut> {
  const log = openSync(logFile, 'w')
  const child = track(
    spawn(process.execPath, ['--import', 'tsx', file, ...args], { cwd, stdio: ['ignore', 'pipe', log], env: { ...quietEnv, ...env } }),
  )
  closeSync(log)
  let appPort = 0
  const lines = createInterface({ input: child.stdout! })
  const address = new Promise<string>((resolve, reject) => {
    lines.on('line', (line) => {
      const ready = /\bready address=\S+ apps=\S+:(\d+)\/?\S*/.exec(line)
      if (ready) appPort = Number(ready[1])
      const got = /^\S+ address (\S+)$/.exec(line.trim())
      if (got && got[1] !== 'pending') resolve(got[1])
    })
    child.on('exit', (code, signal) => reject(new Error(`${name} exited (${code ?? signal}) before it had an address`)))
  })
  try {
    const addr = await withDeadline(address, 60_000, `${name} printed no address within 60 s`)
    if (!appPort) throw new Error(`${name} printed no "ready ... apps=btp+ws://host:<port>" line`)
    return { name, child, address: addr, appPort }
  } catch (err) {
    await stop(child)
    const tail = readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n')
    throw new Error(`${(err as Error).message}\n--- last lines of ${logFile} ---\n${tail}`)
  }
}

export async function withDeadline<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(message)), ms)
      }),
    ])
  } finally {
    clearTimeout(timer)
  }
}
