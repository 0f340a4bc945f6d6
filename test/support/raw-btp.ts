// Test helpers for talking to Junction's app port at the wire level.
//
// - RawBtpClient: a bare BTP/2.0 client on `ws` + `btp-packet`. It sends whatever bytes a test gives it (malformed
//   frames, custom auth, text messages) and collects every frame Junction sends back, so tests can assert the exact
//   BTP Error, request id and close code. It never reconnects.
// - ILP helpers: build prepares with conditions whose fulfillments the receiving test apps know, and decode replies.
// - startApp: a real ilp-plugin-btp app with a counting data handler (fulfills known conditions, or whatever the
//   test's handler says), used as sender and as (mis)behaving receiver.
import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { createRequire } from 'node:module'
import type { TestContext } from 'node:test'
import WebSocket from 'ws'
import * as Btp from 'btp-packet'
import * as IlpPacket from 'ilp-packet'
import type { EngineConfig } from '../../app/main/engine/config'
import { type Connector, createConnector } from '../../app/main/engine/connector'

const require = createRequire(import.meta.url)
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any
const BtpPlugin = require('ilp-plugin-btp') as new (opts: Any, modules?: Any) => Any

// ---------------------------------------------------------------------------------------------------------------
// ILP packets

/** Conditions created by `newCondition`, with their fulfillments: test apps fulfill exactly these. */
const knownFulfillments = new Map<string, Buffer>()

export function sha256(data: Buffer): Buffer {
  return createHash('sha256').update(data).digest()
}

/** A fresh condition whose fulfillment every default test app knows. */
export function newCondition(): { condition: Buffer; fulfillment: Buffer } {
  const fulfillment = randomBytes(32)
  const condition = sha256(fulfillment)
  knownFulfillments.set(condition.toString('hex'), fulfillment)
  return { condition, fulfillment }
}

export function knownFulfillment(condition: Buffer): Buffer | undefined {
  return knownFulfillments.get(condition.toString('hex'))
}

export interface PrepareSpec {
  destination: string
  amount: bigint | number | string
  /** Defaults to a fresh known condition. */
  condition?: Buffer
  /** Defaults to now + 30 s. */
  expiresAt?: Date
  data?: Buffer
}

export function makePrepare(spec: PrepareSpec): Buffer {
  return IlpPacket.serializeIlpPrepare({
    destination: spec.destination,
    amount: BigInt(spec.amount).toString(),
    executionCondition: spec.condition ?? newCondition().condition,
    expiresAt: spec.expiresAt ?? new Date(Date.now() + 30_000),
    data: spec.data ?? Buffer.alloc(0),
  })
}

export type IlpReply =
  | { type: 'fulfill'; fulfillment: Buffer; data: Buffer; raw: Buffer }
  | { type: 'reject'; code: string; triggeredBy: string; message: string; data: Buffer; raw: Buffer }

export function readIlpReply(raw: Buffer): IlpReply {
  if (raw[0] === IlpPacket.Type.TYPE_ILP_FULFILL) {
    const f = IlpPacket.deserializeIlpFulfill(raw)
    return { type: 'fulfill', fulfillment: f.fulfillment, data: f.data, raw }
  }
  if (raw[0] === IlpPacket.Type.TYPE_ILP_REJECT) {
    const r = IlpPacket.deserializeIlpReject(raw)
    return { type: 'reject', code: r.code, triggeredBy: r.triggeredBy, message: r.message, data: r.data, raw }
  }
  throw new Error(`not an ILP reply: type ${raw[0]} (${raw.length} bytes)`)
}

export function fulfillPacket(fulfillment: Buffer, data: Buffer = Buffer.alloc(0)): Buffer {
  return IlpPacket.serializeIlpFulfill({ fulfillment, data })
}

export function rejectPacket(code: string, triggeredBy: string, message: string): Buffer {
  return IlpPacket.serializeIlpReject({ code, triggeredBy, message, data: Buffer.alloc(0) })
}

// ---------------------------------------------------------------------------------------------------------------
// BTP frames

export function authFrame(username: string | undefined, token: string | undefined, requestId = 1): Buffer {
  const text = (protocolName: string, value: string) =>
    ({ protocolName, contentType: Btp.MIME_TEXT_PLAIN_UTF8, data: Buffer.from(value, 'utf8') })
  const pd: Btp.ProtocolData[] = [{ protocolName: 'auth', contentType: Btp.MIME_APPLICATION_OCTET_STREAM, data: Buffer.alloc(0) }]
  if (username !== undefined) pd.push(text('auth_username', username))
  if (token !== undefined) pd.push(text('auth_token', token))
  return Btp.serializeMessage(requestId, pd)
}

export function ilpMessageFrame(ilp: Buffer, requestId: number): Buffer {
  return Btp.serializeMessage(requestId, [{ protocolName: 'ilp', contentType: Btp.MIME_APPLICATION_OCTET_STREAM, data: ilp }])
}

/** A frame Junction sent, decoded. `type` is -1 for a frame btp-packet cannot read, 0 for a text message. */
export interface Frame {
  type: number
  requestId: number
  /** For Error frames. */
  error?: { code: string; name: string; data: string }
  protocolData: Btp.ProtocolData[]
  raw: Buffer | string
}

export function ilpOf(frame: Frame): Buffer | undefined {
  return frame.protocolData.find((p) => p.protocolName === 'ilp')?.data
}

function decodeFrame(raw: Buffer | string, isBinary: boolean): Frame {
  if (!isBinary || typeof raw === 'string') return { type: 0, requestId: -1, protocolData: [], raw: raw.toString() }
  try {
    const p = Btp.deserialize(raw)
    if (p.type === Btp.TYPE_ERROR) {
      const e = p.data as { code: string; name: string; data: string; protocolData: Btp.ProtocolData[] }
      const error = { code: e.code, name: e.name, data: e.data }
      return { type: p.type, requestId: p.requestId, error, protocolData: e.protocolData, raw }
    }
    const protocolData = (p.data as { protocolData?: Btp.ProtocolData[] }).protocolData ?? []
    return { type: p.type, requestId: p.requestId, protocolData, raw }
  } catch {
    return { type: -1, requestId: -1, protocolData: [], raw }
  }
}

export interface RawConnectOptions {
  /** Sent as the Origin header (what a browser would send). */
  origin?: string
  /** Connection timeout (ms). */
  timeoutMs?: number
}

/**
 * A bare BTP client. Frames from Junction go to a queue that `waitFor` reads; Messages from Junction (prepares
 * forwarded to this app) are counted in `incomingPrepares` and answered by `onPrepare` if one is set.
 */
export class RawBtpClient {
  readonly incomingPrepares: Buffer[] = []
  onPrepare: ((ilp: Buffer) => Buffer | undefined) | undefined
  readonly closed: Promise<{ code: number; reason: string }>
  isClosed = false
  private readonly queue: Frame[] = []
  private readonly waiters = new Set<{ match: (f: Frame) => boolean; resolve: (f: Frame) => void }>()
  private nextId = 1000

  private constructor(readonly ws: WebSocket) {
    this.closed = new Promise((resolve) => {
      ws.once('close', (code, reason) => {
        this.isClosed = true
        resolve({ code, reason: reason.toString() })
      })
    })
    ws.on('error', () => {})
    ws.on('message', (data, isBinary) => this.receive(decodeFrame(data as Buffer, isBinary)))
  }

  /** Opens the WebSocket (no BTP auth yet). Rejects with ws's error if the upgrade is refused. */
  static open(url: string, opts: RawConnectOptions = {}): Promise<RawBtpClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { origin: opts.origin, handshakeTimeout: opts.timeoutMs ?? 3000 })
      ws.once('open', () => {
        ws.removeListener('error', reject)
        resolve(new RawBtpClient(ws))
      })
      ws.once('error', reject)
    })
  }

  /** Opens and authenticates; throws if Junction answers the auth with anything but a Response. */
  static async connect(url: string, username: string | undefined, token: string | undefined): Promise<RawBtpClient> {
    const client = await RawBtpClient.open(url)
    const reply = await client.auth(username, token)
    if (reply.type !== Btp.TYPE_RESPONSE) {
      client.terminate()
      throw new Error(`auth refused: ${reply.error?.code} ${reply.error?.data}`)
    }
    return client
  }

  requestId(): number {
    return this.nextId++
  }

  send(data: Buffer | string): void {
    this.ws.send(data)
  }

  /** Sends the auth Message and waits for its answer (Response or Error). */
  async auth(username: string | undefined, token: string | undefined, requestId = 1): Promise<Frame> {
    this.send(authFrame(username, token, requestId))
    return await this.waitFor((f) => f.requestId === requestId || f.type === 0 || f.type === -1)
  }

  /** Sends an ILP packet in a BTP Message and waits for the Response/Error with the same request id. */
  async sendIlp(ilp: Buffer, requestId = this.requestId(), timeoutMs = 5000): Promise<Frame> {
    this.send(ilpMessageFrame(ilp, requestId))
    return await this.waitFor((f) => f.requestId === requestId, timeoutMs)
  }

  /** Sends a prepare and decodes the ILP reply; throws if Junction answered with a BTP Error. */
  async sendPrepare(ilp: Buffer, timeoutMs = 5000): Promise<IlpReply> {
    const frame = await this.sendIlp(ilp, this.requestId(), timeoutMs)
    const reply = ilpOf(frame)
    if (frame.type !== Btp.TYPE_RESPONSE || !reply) {
      const what = `type ${frame.type} ${frame.error?.code ?? ''} ${frame.error?.data ?? ''}`
      throw new Error(`expected a BTP Response with an ILP reply, got ${what}`)
    }
    return readIlpReply(reply)
  }

  /** The next frame from Junction matching `match` (already received or still to come). */
  waitFor(match: (f: Frame) => boolean = () => true, timeoutMs = 5000): Promise<Frame> {
    const at = this.queue.findIndex(match)
    if (at >= 0) return Promise.resolve(this.queue.splice(at, 1)[0])
    return new Promise((resolve, reject) => {
      const waiter = {
        match,
        resolve: (f: Frame) => {
          clearTimeout(timer)
          resolve(f)
        },
      }
      const timer = setTimeout(() => {
        this.waiters.delete(waiter)
        reject(new Error(`no matching BTP frame from Junction within ${timeoutMs} ms`))
      }, timeoutMs)
      this.waiters.add(waiter)
    })
  }

  /** Frames received and not yet taken by `waitFor`. */
  get unread(): readonly Frame[] {
    return this.queue
  }

  close(): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close()
    setTimeout(() => this.ws.terminate(), 500).unref()
  }

  terminate(): void {
    this.ws.terminate()
  }

  private receive(frame: Frame): void {
    if (frame.type === Btp.TYPE_MESSAGE) {
      const ilp = ilpOf(frame)
      if (ilp) {
        this.incomingPrepares.push(ilp)
        const answer = this.onPrepare?.(ilp)
        if (answer) this.ws.send(Btp.serializeResponse(frame.requestId, [{ protocolName: 'ilp', contentType: 0, data: answer }]))
        return
      }
    }
    for (const w of this.waiters) {
      if (w.match(frame)) {
        this.waiters.delete(w)
        w.resolve(frame)
        return
      }
    }
    this.queue.push(frame)
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Real ilp-plugin-btp apps

export type DataHandler = (prepare: IlpPacket.IlpPrepare, raw: Buffer) => Buffer | Promise<Buffer>

export interface TestApp {
  plugin: Any
  /** How many prepares reached the data handler. */
  calls: number
  /** Sum of the amounts of the prepares this app fulfilled. */
  received: bigint
  /** Sends a prepare and decodes the reply. */
  send(prepare: Buffer): Promise<IlpReply>
  /** Sends `amount` to `destination` with a fresh known condition. */
  pay(destination: string, amount: bigint | number, extra?: Partial<PrepareSpec>): Promise<IlpReply>
  stop(): Promise<void>
}

export interface AppOptions {
  /** Replaces the default handler (fulfill known conditions, reject others with F06). */
  handler?: DataHandler
  /** ilp-plugin-btp reconnect intervals (ms). */
  reconnectIntervals?: number[]
  /** ilp-plugin-btp's logger (to capture what it reports). */
  log?: Any
  /** Connect timeout (ms); connect() is abandoned and the plugin disconnected after it. */
  connectTimeoutMs?: number
}

/** A logger for ilp-plugin-btp that records every line instead of printing it. */
export function recordingLog(): { lines: string[]; log: Any } {
  const lines: string[] = []
  const at = (level: string) => (...args: unknown[]) => void lines.push(`${level} ${args.map(String).join(' ')}`)
  return { lines, log: { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug'), trace: at('trace') } }
}

export function quietLog(): Any {
  return recordingLog().log
}

/** A connected ilp-plugin-btp app. `url` is `btp+ws://name:token@127.0.0.1:<port>`. */
export async function startApp(url: string, opts: AppOptions = {}): Promise<TestApp> {
  const plugin = new BtpPlugin(
    { server: url, reconnectIntervals: opts.reconnectIntervals ?? [200] },
    { log: opts.log ?? quietLog() },
  )
  const app: TestApp = {
    plugin,
    calls: 0,
    received: 0n,
    async send(prepare) {
      return readIlpReply(await plugin.sendData(prepare))
    },
    async pay(destination, amount, extra = {}) {
      return await app.send(makePrepare({ destination, amount, ...extra }))
    },
    async stop() {
      await plugin.disconnect()
    },
  }
  plugin.registerDataHandler(async (raw: Buffer) => {
    app.calls++
    const prepare = IlpPacket.deserializeIlpPrepare(raw)
    if (opts.handler) return await opts.handler(prepare, raw)
    const fulfillment = knownFulfillment(prepare.executionCondition)
    if (!fulfillment) return rejectPacket('F06', '', 'unknown condition')
    app.received += BigInt(prepare.amount)
    return fulfillPacket(fulfillment)
  })
  let timer: ReturnType<typeof setTimeout> | undefined
  const limit = opts.connectTimeoutMs ?? 5000
  try {
    await Promise.race([
      plugin.connect(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`ilp-plugin-btp did not connect within ${limit} ms`)), limit)
      }),
    ])
  } catch (err) {
    await plugin.disconnect().catch(() => {})
    throw err
  } finally {
    clearTimeout(timer)
  }
  return app
}

/** Polls `check` until it returns true (or throws after `timeoutMs`). */
export async function eventually(check: () => boolean, timeoutMs = 3000, what = 'condition'): Promise<void> {
  const until = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

/** A local-mode Junction for one test, with helpers to attach real and raw apps; everything is stopped after it. */
export interface LocalJunction {
  j: Connector
  wsUrl: string
  /** btp+ws URL for an app; the token defaults to `<name>-token`. */
  url(name: string, token?: string): string
  /** A real ilp-plugin-btp app (token defaults to `<name>-token`). */
  app(name: string, opts?: AppOptions & { token?: string }): Promise<TestApp>
  /** A raw client that has authenticated as `name`. */
  raw(name: string, token?: string): Promise<RawBtpClient>
  /** A raw client that has only opened the WebSocket. */
  open(opts?: RawConnectOptions): Promise<RawBtpClient>
  /** The ILP address of app `name`. */
  addr(name: string): string
}

export async function localJunction(t: TestContext, config: Partial<EngineConfig> = {}): Promise<LocalJunction> {
  const j = createConnector({ port: 0, ...config })
  await j.start()
  const apps: TestApp[] = []
  const raws: RawBtpClient[] = []
  t.after(async () => {
    for (const r of raws) r.terminate()
    for (const a of apps) await a.stop().catch(() => {})
    await j.stop()
  })
  const wsUrl = `ws://127.0.0.1:${j.port}`
  const url = (name: string, token = `${name}-token`) => `btp+ws://${name}:${token}@127.0.0.1:${j.port}`
  return {
    j,
    wsUrl,
    url,
    async app(name, opts = {}) {
      const a = await startApp(url(name, opts.token), opts)
      apps.push(a)
      return a
    },
    async raw(name, token = `${name}-token`) {
      const r = await RawBtpClient.connect(wsUrl, name, token)
      raws.push(r)
      return r
    },
    async open(opts = {}) {
      const r = await RawBtpClient.open(wsUrl, opts)
      raws.push(r)
      return r
    },
    addr: (name) => `${j.own.address}.${name}`,
  }
}

export type RejectReply = Extract<IlpReply, { type: 'reject' }>

/** The reply is a reject with `code` and a message matching `message` (and, if given, from `triggeredBy`). */
export function assertReject(reply: IlpReply, code: string, message: RegExp, triggeredBy?: string): asserts reply is RejectReply {
  assert.equal(reply.type, 'reject', `expected a ${code} reject, got a fulfill`)
  if (reply.type !== 'reject') return
  assert.equal(reply.code, code, `code (message: ${reply.message})`)
  assert.match(reply.message, message)
  if (triggeredBy !== undefined) assert.equal(reply.triggeredBy, triggeredBy)
}

export function assertFulfilled(reply: IlpReply): void {
  assert.equal(reply.type, 'fulfill', reply.type === 'reject' ? `unexpected reject ${reply.code} ${reply.message}` : '')
}
