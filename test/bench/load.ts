// The bench's load driver, in its own process so its CPU is not charged to the system under test. Driven over IPC
// by run.ts (see ipc.ts). It also samples the CPU of the watched processes at the exact edges of the timed window.
import { createRequire } from 'node:module'
import { performance } from 'node:perf_hooks'
import { setTimeout } from 'node:timers'
import { connectPlugin } from '../support/ilsp'
import type { StreamSecret } from './ilsp-process'
import { serve } from './ipc'
import { cpuOfPids, machineTicks, processTree, type CpuSample } from './proc'
import { percentile } from './stats'

const require = createRequire(import.meta.url)
const IlpPacket = require('ilp-packet') as typeof import('ilp-packet')
const ILDCP = require('ilp-protocol-ildcp')
const Stream = require('ilp-protocol-stream') as typeof import('ilp-protocol-stream')

export interface Watch {
  name: string
  pid: number
}

interface Window {
  warmupMs: number
  durationMs: number
  watch: Watch[]
}

export interface RawParams extends Window {
  concurrency: number
  destination: string
  conditionHex: string
}

export interface StreamParams extends Window {
  urls: string[]
  secrets: StreamSecret[]
  packetAmount: string
}

export interface LoadResult {
  windowMs: number
  /** Fulfills inside the timed window, and the amount they carried. */
  fulfilled: number
  packetsPerSec: number
  amount: string
  /** Fulfills over the whole run (warm-up included), to compare with what the receiving end really got. */
  totalFulfilled: number
  totalAmount: string
  p50Ms: number
  p99Ms: number
  /** Rejects by code: raw, over the whole run (warm-up included); STREAM, inside the timed window. */
  rejects: Record<string, number>
  errors: number
  firstError?: string
  /** Busy fraction of the whole machine during the window (ours and anything else running). */
  machineBusy: number
  /** CPU used during the timed window, by watched process name. */
  cpu: Record<string, CpuSample>
  /** For STREAM: the senders' view of what the receiver got, over the whole run. */
  delivered?: string
  /** For STREAM: how the connections were closed after the window (ended cleanly, or destroyed after a timeout). */
  closing?: string
}

let rawApps: any[] = []

/** Times the window and the watched processes' CPU; `inWindow(t)` tells whether a completion time counts. */
class Timer {
  start = Infinity
  end = Infinity
  private trees: number[][] = []
  private before: CpuSample[] = []
  cpu: Record<string, CpuSample> = {}
  /** Busy fraction of the whole machine (every process, all cores) during the window. */
  machineBusy = NaN

  constructor(private readonly w: Window) {
    this.trees = w.watch.map((x) => processTree(x.pid))
  }

  async run(isDone: () => boolean): Promise<void> {
    await sleep(this.w.warmupMs, isDone)
    this.before = this.trees.map(cpuOfPids)
    const machineBefore = machineTicks()
    this.start = performance.now()
    await sleep(this.w.durationMs, isDone)
    this.end = performance.now()
    const after = this.trees.map(cpuOfPids)
    const machineAfter = machineTicks()
    this.machineBusy = (machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total)
    this.w.watch.forEach((x, i) => {
      this.cpu[x.name] = {
        tickUs: after[i].tickUs - this.before[i].tickUs,
        schedUs: after[i].schedUs - this.before[i].schedUs,
      }
    })
  }

  inWindow(t: number): boolean {
    return t >= this.start && t <= this.end
  }
}

async function sleep(ms: number, abort: () => boolean): Promise<void> {
  const until = performance.now() + ms
  while (performance.now() < until && !abort()) {
    await new Promise((r) => setTimeout(r, Math.min(50, until - performance.now())))
  }
}

class Tally {
  fulfilled = 0
  amount = 0n
  totalFulfilled = 0
  totalAmount = 0n
  latencies: number[] = []
  rejects: Record<string, number> = {}
  errors = 0
  firstError?: string

  reject(code: string): void {
    this.rejects[code] = (this.rejects[code] ?? 0) + 1
  }

  error(err: unknown): void {
    this.errors++
    this.firstError ??= err instanceof Error ? err.message : String(err)
  }

  result(timer: Timer): LoadResult {
    const windowMs = timer.end - timer.start
    const sorted = Float64Array.from(this.latencies).sort()
    return {
      windowMs,
      fulfilled: this.fulfilled,
      packetsPerSec: (this.fulfilled * 1000) / windowMs,
      amount: this.amount.toString(),
      totalFulfilled: this.totalFulfilled,
      totalAmount: this.totalAmount.toString(),
      p50Ms: percentile(sorted, 0.5),
      p99Ms: percentile(sorted, 0.99),
      rejects: this.rejects,
      errors: this.errors,
      firstError: this.firstError,
      cpu: timer.cpu,
      machineBusy: timer.machineBusy,
    }
  }
}

/** Keeps `concurrency` prepares of amount 1 in flight, spread over the connected apps; every one is unique. */
async function raw(p: RawParams): Promise<LoadResult> {
  if (rawApps.length === 0) throw new Error('no apps connected')
  const condition = Buffer.from(p.conditionHex, 'hex')
  const DATA_BYTES = 8 // a counter: ilp-connector drops prepares identical to one seen in the last minute
  let template: Buffer = Buffer.alloc(0)
  let templateAt = 0
  let counter = 0n
  const nextPrepare = (): Buffer => {
    const now = Date.now()
    if (now - templateAt > 1000) {
      templateAt = now
      template = IlpPacket.serializeIlpPrepare({
        amount: '1',
        expiresAt: new Date(now + 30_000),
        executionCondition: condition,
        destination: p.destination,
        data: Buffer.alloc(DATA_BYTES),
      })
    }
    const packet = Buffer.from(template)
    packet.writeBigUInt64BE(counter++, packet.length - DATA_BYTES)
    return packet
  }
  const tally = new Tally()
  const timer = new Timer(p)
  let done = false
  const worker = async (app: any): Promise<void> => {
    while (!done) {
      const t0 = performance.now()
      try {
        const reply: Buffer = await app.sendData(nextPrepare())
        const t1 = performance.now()
        if (reply[0] === IlpPacket.Type.TYPE_ILP_FULFILL) {
          tally.totalFulfilled++
          tally.totalAmount += 1n
          if (timer.inWindow(t1)) {
            tally.fulfilled++
            tally.amount += 1n
            tally.latencies.push(t1 - t0)
          }
        } else {
          tally.reject((IlpPacket.deserializeIlpPacket(reply).data as { code?: string }).code ?? `type ${reply[0]}`)
        }
      } catch (err) {
        tally.error(err)
        if (tally.errors > 1000) done = true
      }
    }
  }
  const workers = Array.from({ length: p.concurrency }, (_, i) => worker(rawApps[i % rawApps.length]))
  await timer.run(() => done)
  done = true
  await Promise.all(workers)
  return tally.result(timer)
}

/** One STREAM connection per url, each sending money without limit in packets of `packetAmount`. */
async function stream(p: StreamParams): Promise<LoadResult> {
  const tally = new Tally()
  const timer = new Timer(p)
  let counting = false
  const connections: any[] = []
  const plugins: any[] = []
  const streams: any[] = []
  const closing = { ended: 0, destroyed: 0, pluginsLeft: 0 }
  try {
    for (let i = 0; i < p.urls.length; i++) {
      const plugin = await connectPlugin(p.urls[i])
      plugins.push(plugin)
      const sendData = plugin.sendData.bind(plugin)
      plugin.sendData = async (data: Buffer): Promise<Buffer> => {
        const t0 = performance.now()
        const reply: Buffer = await sendData(data)
        const t1 = performance.now()
        if (!counting) return reply
        if (reply[0] === IlpPacket.Type.TYPE_ILP_FULFILL) {
          const amount = BigInt(IlpPacket.deserializeIlpPrepare(data).amount)
          tally.totalFulfilled++
          tally.totalAmount += amount
          if (timer.inWindow(t1)) {
            tally.fulfilled++
            tally.amount += amount
            tally.latencies.push(t1 - t0)
          }
        } else if (timer.inWindow(t1)) {
          // Only inside the window: in warm-up STREAM probes the path with packets the receiver must reject.
          tally.reject((IlpPacket.deserializeIlpPacket(reply).data as { code?: string }).code ?? `type ${reply[0]}`)
        }
        return reply
      }
      const conn = await Stream.createConnection({
        plugin,
        destinationAccount: p.secrets[i].destinationAccount,
        sharedSecret: Buffer.from(p.secrets[i].sharedSecretHex, 'hex'),
        maximumPacketAmount: p.packetAmount,
      } as any)
      conn.on('error', (err: unknown) => tally.error(err))
      connections.push(conn)
    }
    counting = true
    for (const conn of connections) {
      const s = conn.createStream()
      s.on('error', (err: unknown) => tally.error(err))
      s.setSendMax('18446744073709551615')
      streams.push(s)
    }
    await timer.run(() => tally.errors > 100)
  } finally {
    // Leave nothing behind for the next load. Totals keep counting through the close: a packet in flight now may
    // still be fulfilled. Stop sending more, end the connection (end() ends its open streams, waits for the send loop,
    // then sends ConnectionClose); destroy only if that does not finish in time. createConnection() disconnects the
    // plugin when the connection closes; disconnect any it left (or that never got a connection) ourselves.
    for (const s of streams) s.setSendMax(s.totalSent)
    await Promise.all(
      connections.map(async (c) => {
        if (await withTimeout(c.end().then(() => true), 3000).catch(() => false)) closing.ended++
        else {
          closing.destroyed++
          await withTimeout(c.destroy(), 3000).catch(() => {})
        }
      }),
    )
    await Promise.all(
      plugins.map(async (plugin) => {
        if (!plugin.isConnected()) return
        await withTimeout(plugin.disconnect(), 3000).catch(() => {})
        if (plugin.isConnected()) closing.pluginsLeft++
      }),
    )
  }
  const result = tally.result(timer)
  result.delivered = connections.reduce((sum, c) => sum + BigInt(c.totalDelivered), 0n).toString()
  result.closing =
    `${closing.ended} ended, ${closing.destroyed} destroyed` + (closing.pluginsLeft ? `, ${closing.pluginsLeft} plugins still connected` : '')
  return result
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  return Promise.race([promise, new Promise<undefined>((r) => void setTimeout(r, ms, undefined).unref())])
}

serve(
  {
    /** Connects raw apps (BTP clients) and fetches their ILDCP; returns their addresses. */
    connect: async ({ urls }: { urls: string[] }): Promise<string[]> => {
      await disconnect()
      rawApps = await Promise.all(urls.map((url) => connectPlugin(url)))
      const infos = await Promise.all(rawApps.map((app) => ILDCP.fetch(app.sendData.bind(app))))
      return infos.map((info: { clientAddress: string }) => info.clientAddress)
    },
    raw,
    stream,
    disconnect: () => disconnect(),
  },
  () => disconnect(),
)

async function disconnect(): Promise<void> {
  const apps = rawApps
  rawApps = []
  await Promise.all(apps.map((app) => withTimeout(app.disconnect(), 3000).catch(() => {})))
}
