// Request/response over Node's IPC channel between the bench coordinator and its helper processes.
import type { ChildProcess } from 'node:child_process'

interface Envelope {
  id: number
  method: string
  params?: unknown
  result?: unknown
  error?: string
}

/** In a helper process: answer the coordinator's requests; exit when the coordinator goes away. */
export function serve(handlers: Record<string, (params: any) => unknown>, onExit: () => Promise<void> | void): void {
  if (!process.send) throw new Error('must be started with an IPC channel (child_process.fork)')
  const send = process.send.bind(process)
  let exiting = false
  const exit = async (): Promise<void> => {
    if (exiting) return
    exiting = true
    const force = setTimeout(() => process.exit(0), 3000)
    force.unref()
    try {
      await onExit()
    } finally {
      process.exit(0)
    }
  }
  process.on('message', async (msg: Envelope) => {
    if (msg.method === 'exit') return void exit()
    const handler = handlers[msg.method]
    try {
      if (!handler) throw new Error(`unknown method ${msg.method}`)
      send({ id: msg.id, result: await handler(msg.params) })
    } catch (err) {
      send({ id: msg.id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) })
    }
  })
  process.on('disconnect', () => void exit())
  process.on('SIGTERM', () => void exit())
  process.on('SIGINT', () => void exit())
  send({ id: 0, method: 'ready' })
}

/** In the coordinator: a typed client for a forked helper. */
export class Helper {
  private nextId = 1
  private pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>()
  /** Resolves when the helper serves requests; rejects if it exits first. */
  readonly ready: Promise<void>

  constructor(readonly name: string, readonly child: ChildProcess) {
    this.ready = new Promise<void>((resolve, reject) => {
      child.on('message', (msg: Envelope) => msg.id === 0 && msg.method === 'ready' && resolve())
      child.on('exit', (code, signal) => reject(new Error(`${name} exited (${code ?? signal}) before it was ready`)))
    })
    this.ready.catch(() => {})
    child.on('message', (msg: Envelope) => {
      const waiter = this.pending.get(msg.id)
      if (!waiter) return
      this.pending.delete(msg.id)
      if (msg.error !== undefined) waiter.reject(new Error(`${name}: ${msg.error}`))
      else waiter.resolve(msg.result)
    })
    child.on('exit', (code, signal) => {
      for (const waiter of this.pending.values()) waiter.reject(new Error(`${name} exited (${code ?? signal})`))
      this.pending.clear()
    })
  }

  get pid(): number {
    return this.child.pid as number
  }

  call<T>(method: string, params?: unknown, timeoutMs = 60_000): Promise<T> {
    const id = this.nextId++
    return new Promise<T>((resolve, reject) => {
      if (this.child.exitCode !== null || !this.child.connected) {
        return reject(new Error(`${this.name} is not running`))
      }
      const timer = setTimeout(() => {
        this.pending.delete(id)
        reject(new Error(`${this.name}: ${method} timed out after ${timeoutMs} ms`))
      }, timeoutMs)
      this.pending.set(id, {
        resolve: (v) => (clearTimeout(timer), resolve(v as T)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      })
      this.child.send({ id, method, params })
    })
  }
}
