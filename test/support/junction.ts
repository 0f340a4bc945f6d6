// Helpers for interop tests that drive a Junction engine in-process and talk to it through real ILP software
// (ilp-plugin-btp, ilp-protocol-ildcp, ilp-packet): start/stop, waiting for the address, raw packets, ILDCP and
// peer.balance queries, and timeouts so that no test can hang.
import { createHash, randomBytes } from 'node:crypto'
import { createRequire } from 'node:module'
import { lookup } from 'node:dns/promises'
import { createServer as createNetServer } from 'node:net'
import type { EngineConfig } from '../../app/main/engine/config'
import { type Connector, createConnector } from '../../app/main/engine/connector'
import { decodePeerBalance } from '../../app/main/engine/control/peer-balance'

const require = createRequire(import.meta.url)
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any
const IlpPacket = require('ilp-packet')
const ILDCP = require('ilp-protocol-ildcp')

/** sha256 of 32 zero bytes: the condition of every peer protocol (ILDCP, peer.balance, CCP). */
export const PEER_CONDITION = createHash('sha256').update(Buffer.alloc(32)).digest()

/** Rejects with a clear message if `promise` does not settle within `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}

/** Polls `check` every 20 ms until it returns true; rejects after `ms`. */
export async function waitUntil(check: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

/**
 * Cleanup that runs last-in first-out after the test (node:test runs `t.after` hooks in registration order, which
 * would stop Junction before the apps and receivers started on it). Every step gets 10 s; the first error is
 * rethrown once all steps ran.
 */
export function cleanup(t: { after(fn: () => unknown): void }): (step: () => unknown) => void {
  const steps: Array<() => unknown> = []
  t.after(async () => {
    let first: unknown
    for (const step of steps.reverse()) {
      try {
        await withTimeout(Promise.resolve().then(step), 10_000, 'a cleanup step')
      } catch (err) {
        first ??= err
      }
    }
    if (first !== undefined) throw first
  })
  return (step) => {
    steps.push(step)
  }
}

/** Creates and starts a Junction engine (port 0 unless given). */
export async function startJunction(config: Partial<EngineConfig> = {}): Promise<Connector> {
  const j = createConnector({ port: 0, ...config })
  await j.start()
  return j
}

/** Junction's own address, waiting for the provider's ILDCP answer if it has not come yet. */
export async function waitForAddress(j: Connector, ms = 10_000): Promise<string> {
  if (j.own.address !== undefined) return j.own.address
  return await withTimeout(
    new Promise<string>((resolve) => j.once('address', resolve)),
    ms,
    'Junction to get its address from the provider',
  )
}

/** The BTP URL an app uses to reach Junction's app port. */
export function appUrl(j: Connector, name: string, token: string, host = '127.0.0.1'): string {
  const h = host.includes(':') ? `[${host}]` : host
  return `btp+ws://${encodeURIComponent(name)}:${encodeURIComponent(token)}@${h}:${j.port}`
}

export function randomToken(): string {
  return randomBytes(16).toString('hex')
}

export type Answer =
  | { type: 'fulfill'; fulfillment: Buffer; data: Buffer; ms: number }
  | { type: 'reject'; code: string; triggeredBy: string; message: string; data: Buffer; ms: number }

export interface PrepareFields {
  destination: string
  amount?: bigint | number | string
  executionCondition?: Buffer
  /** Milliseconds from now; default 30 s. */
  expiresInMs?: number
  data?: Buffer
}

/** Sends one ILP prepare through a plugin (anything with sendData) and decodes the answer, timing it. */
export async function sendPrepare(plugin: Any, fields: PrepareFields, timeoutMs = 10_000): Promise<Answer> {
  const raw = IlpPacket.serializeIlpPrepare({
    destination: fields.destination,
    amount: String(fields.amount ?? 0),
    executionCondition: fields.executionCondition ?? randomBytes(32),
    expiresAt: new Date(Date.now() + (fields.expiresInMs ?? 30_000)),
    data: fields.data ?? Buffer.alloc(0),
  })
  const started = performance.now()
  const reply: Buffer = await withTimeout(plugin.sendData(raw), timeoutMs, `an answer to a prepare to ${fields.destination}`)
  const ms = performance.now() - started
  const packet = IlpPacket.deserializeIlpPacket(reply)
  if (packet.type === IlpPacket.Type.TYPE_ILP_FULFILL) {
    return { type: 'fulfill', fulfillment: packet.data.fulfillment, data: packet.data.data, ms }
  }
  if (packet.type === IlpPacket.Type.TYPE_ILP_REJECT) {
    const r = packet.data
    return { type: 'reject', code: r.code, triggeredBy: r.triggeredBy, message: r.message, data: r.data, ms }
  }
  throw new Error(`unexpected reply packet type ${packet.type}`)
}

export interface IldcpInfo {
  clientAddress: string
  assetCode: string
  assetScale: number
}

/** ILDCP (RFC 31) over a plugin with ilp-protocol-ildcp's own client. */
export async function fetchIldcp(plugin: Any, timeoutMs = 5000): Promise<IldcpInfo> {
  return await withTimeout(ILDCP.fetch(plugin.sendData.bind(plugin)), timeoutMs, 'an ILDCP answer')
}

/** Asks Junction for the app's balance with a prepare to `peer.balance`. */
export async function fetchPeerBalance(plugin: Any): Promise<{ balance: bigint; assetScale: number; assetCode: string }> {
  const answer = await sendPrepare(plugin, { destination: 'peer.balance', amount: 0, executionCondition: PEER_CONDITION })
  if (answer.type !== 'fulfill') throw new Error(`peer.balance rejected: ${answer.code} ${answer.message}`)
  if (!answer.fulfillment.equals(Buffer.alloc(32))) throw new Error('peer.balance fulfilled with an unexpected fulfillment')
  return decodePeerBalance(answer.data)
}

/** Disconnects plugins, ignoring ones that already went away. */
export async function disconnectAll(...plugins: Array<Any | undefined>): Promise<void> {
  await Promise.all(plugins.map(async (p) => (p ? withTimeout(Promise.resolve(p.disconnect()), 5000, 'plugin disconnect').catch(() => {}) : undefined)))
}

/** Whether this machine can bind the IPv6 loopback. */
export async function hasIpv6Loopback(): Promise<boolean> {
  return await new Promise((resolve) => {
    const srv = createNetServer()
    srv.once('error', () => resolve(false))
    srv.listen(0, '::1', () => srv.close(() => resolve(true)))
  })
}

/** What `localhost` resolves to first on this machine (what ws clients connect to). */
export async function localhostFamily(): Promise<4 | 6> {
  const { family } = await lookup('localhost')
  return family === 6 ? 6 : 4
}

/**
 * Starts watching apps `ids`; `wait()` resolves once each has been reconnected after a switch (its connection closed,
 * then a new one up). After an address change Junction closes each app at its first quiet moment, not at once: a test
 * that sends right after a switch must wait for this, as `isAppConnected` is true before and after.
 */
export function watchReconnects(j: Connector, ids: string[]): { wait(ms?: number): Promise<void> } {
  const closed = new Set<string>()
  const back = new Set<string>()
  j.on('appDisconnected', (id) => {
    if (ids.includes(id)) closed.add(id)
  })
  j.on('appConnected', (id) => {
    if (closed.has(id)) back.add(id)
  })
  return {
    wait: (ms = 10_000) => waitUntil(() => ids.every((id) => back.has(id)), ms, `${ids.join(', ')} to reconnect`),
  }
}
