// A real `ws` client of the UI/API WebSocket (api-server.ts), as the headless UI page talks to it: the token as a
// subprotocol, JSON requests, every frame kept so a test can wait for answers and events.
import assert from 'node:assert/strict'
import WebSocket from 'ws'
import { UI_PROTOCOL } from '../../app/main/api-server'
import { withTimeout } from './junction'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any

export class UiClient {
  readonly frames: Any[] = []
  private nextId = 1
  private readonly listeners = new Set<() => void>()

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()))
      for (const l of this.listeners) l()
    })
  }

  /** A client over a WebSocket the caller opened (and closes). */
  static wrap(ws: WebSocket): UiClient {
    return new UiClient(ws)
  }

  /** Opens the WebSocket on 127.0.0.1:`port` with `token`; closed after the test. */
  static async connect(t: { after(fn: () => unknown): void }, port: number, token: string): Promise<UiClient> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`, [UI_PROTOCOL, `token.${token}`])
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve())
        ws.once('error', reject)
      }),
      5000,
      'the UI WebSocket to open',
    )
    t.after(() => ws.terminate())
    return new UiClient(ws)
  }

  /** Resolves with the first frame (already received or future) that `match` accepts. */
  frame(match: (f: Any) => boolean, what: string, ms = 10_000): Promise<Any> {
    return withTimeout(
      new Promise((resolve) => {
        const check = () => {
          const f = this.frames.find(match)
          if (f) {
            this.listeners.delete(check)
            resolve(f)
          }
        }
        this.listeners.add(check)
        check()
      }),
      ms,
      what,
    )
  }

  /** Sends a request; resolves with the whole response frame ({ id, result } or { id, error }). */
  request(method: string, params?: unknown): Promise<Any> {
    const id = this.nextId++
    this.ws.send(JSON.stringify(params === undefined ? { id, method } : { id, method, params }))
    return this.frame((f) => f.id === id, `the answer to ${method} (#${id})`)
  }

  /** The result of a call that must succeed. */
  async call(method: string, params?: unknown): Promise<Any> {
    const reply = await this.request(method, params)
    assert.ok(!('error' in reply), `${method} failed: ${JSON.stringify(reply.error)}`)
    return reply.result
  }

  events(name: string): Any[] {
    return this.frames.filter((f) => f.event === name).map((f) => f.data)
  }

  /** Waits until `check` holds over the frames received so far. */
  async until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
    await withTimeout(
      new Promise<void>((resolve) => {
        const poll = () => {
          if (check()) {
            this.listeners.delete(poll)
            resolve()
          }
        }
        this.listeners.add(poll)
        poll()
      }),
      ms,
      what,
    )
  }
}
