// A real upstream provider for tests and the benchmark: ilp-connector 23 with ilp-plugin-mini-accounts for its
// children (Junction connects to it as one child, exactly as it would to a real ILSP), plus helpers that attach
// real ILP clients to it: a raw fulfiller and a STREAM receiver.
import { createHash, randomBytes } from 'node:crypto'
import { createRequire } from 'node:module'
import { freePort, miniAccountsChild, startRealConnector } from './real-connector'

export { freePort }

const require = createRequire(import.meta.url)
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any
const BtpPlugin = require('ilp-plugin-btp')
const IlpPacket = require('ilp-packet')

export interface Ilsp {
  /** The ILSP's own ILP address, e.g. `test.ilsp`. */
  address: string
  /** Address prefix of its mini-accounts children: `<address>.children`. */
  childPrefix: string
  port: number
  /** BTP URL for a child account of this ILSP. */
  btpUrl(user: string, secret: string): string
  stop(): Promise<void>
  connector: Any
}

export interface IlspOptions {
  port?: number
  address?: string
  assetCode?: string
  assetScale?: number
}

export async function startIlsp(opts: IlspOptions = {}): Promise<Ilsp> {
  const port = opts.port ?? (await freePort())
  const address = opts.address ?? 'test.ilsp'
  const asset = { code: opts.assetCode ?? 'XRP', scale: opts.assetScale ?? 9 }
  const ilsp = await startRealConnector({ address, adminApi: false, accounts: { children: miniAccountsChild(port, asset) } })
  await ilsp.listening
  return {
    address,
    childPrefix: `${address}.children`,
    port,
    connector: ilsp.app,
    btpUrl: (user, secret) => `btp+ws://${user}:${secret}@127.0.0.1:${port}`,
    stop: ilsp.stop,
  }
}

/** A plugin client (ilp-plugin-btp) connected to a BTP server; returns it connected. */
export async function connectPlugin(server: string): Promise<Any> {
  const plugin = new BtpPlugin({ server })
  await plugin.connect()
  return plugin
}

export interface Fulfiller {
  address: string
  fulfillment: Buffer
  condition: Buffer
  received: { count: number; amount: bigint }
  plugin: Any
  stop(): Promise<void>
}

/** A raw ILP endpoint that fulfills every prepare carrying its condition and rejects the rest with F06. */
export async function startFulfiller(server: string): Promise<Fulfiller> {
  const plugin = await connectPlugin(server)
  const ILDCP = require('ilp-protocol-ildcp')
  const { clientAddress } = await ILDCP.fetch(plugin.sendData.bind(plugin))
  const fulfillment = randomBytes(32)
  const condition = createHash('sha256').update(fulfillment).digest()
  const received = { count: 0, amount: 0n }
  const fulfillBytes = IlpPacket.serializeIlpFulfill({ fulfillment, data: Buffer.alloc(0) })
  plugin.registerDataHandler(async (data: Buffer) => {
    const prepare = IlpPacket.deserializeIlpPrepare(data)
    if (!prepare.executionCondition.equals(condition)) {
      return IlpPacket.serializeIlpReject({ code: 'F06', triggeredBy: clientAddress, message: 'unknown condition', data: Buffer.alloc(0) })
    }
    received.count++
    received.amount += BigInt(prepare.amount)
    return fulfillBytes
  })
  return { address: clientAddress, fulfillment, condition, received, plugin, stop: () => plugin.disconnect() }
}

// ---- STREAM (ilp-protocol-stream 2.7.2-alpha.2) receiver and sender, for payments through Junction and the ILSP ----

const Stream = require('ilp-protocol-stream') as {
  createServer: (opts: Any) => Promise<Any>
  createConnection: (opts: Any) => Promise<Any>
}

export interface StreamReceiver {
  /** The receiver's ILP address (what its BTP server assigned by ILDCP). */
  address: string
  plugin: Any
  /** Total money received on every connection so far (receiver's units). */
  readonly total: bigint
  /** A fresh destination account and shared secret for one STREAM connection. */
  credentials(): { destinationAccount: string; sharedSecret: Buffer }
  /** Resolves once `total` reaches `amount`; rejects after `ms`. */
  waitForTotal(amount: bigint, ms: number): Promise<void>
  stop(): Promise<void>
}

/** A STREAM server on a BTP plugin connected to `server` (Junction's app port or the ILSP's mini-accounts). */
export async function startStreamReceiver(server: string): Promise<StreamReceiver> {
  const plugin = new BtpPlugin({ server })
  const streamServer = await Stream.createServer({ plugin })
  let total = 0n
  const waiters = new Set<() => void>()
  streamServer.on('connection', (connection: Any) => {
    connection.on('error', () => {})
    connection.on('stream', (stream: Any) => {
      stream.on('error', () => {})
      stream.setReceiveMax(Infinity)
      stream.on('money', (amount: string) => {
        total += BigInt(amount)
        for (const w of waiters) w()
      })
    })
  })
  const { clientAddress } = await require('ilp-protocol-ildcp').fetch(plugin.sendData.bind(plugin))
  return {
    address: clientAddress,
    plugin,
    get total() {
      return total
    },
    credentials: () => streamServer.generateAddressAndSecret(),
    waitForTotal: (amount, ms) =>
      new Promise<void>((resolve, reject) => {
        if (total >= amount) return resolve()
        const check = () => {
          if (total < amount) return
          clearTimeout(timer)
          waiters.delete(check)
          resolve()
        }
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(new Error(`STREAM receiver got ${total} of ${amount} within ${ms} ms`))
        }, ms)
        waiters.add(check)
      }),
    stop: async () => {
      let timer: ReturnType<typeof setTimeout> | undefined
      await Promise.race([streamServer.close(), new Promise((r) => (timer = setTimeout(r, 2000)))]).catch(() => {})
      clearTimeout(timer)
      await plugin.disconnect()
    },
  }
}

/**
 * Pays `amount` with STREAM from a connected plugin to a receiver's credentials; returns what the sender counted as
 * sent (source units). Closes the connection afterwards; rejects after `timeoutMs`.
 */
export async function streamPay(
  plugin: Any,
  credentials: { destinationAccount: string; sharedSecret: Buffer },
  amount: bigint,
  timeoutMs = 20_000,
): Promise<bigint> {
  let connection: Any
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`STREAM payment of ${amount} did not complete within ${timeoutMs} ms`)), timeoutMs)
  })
  try {
    return await Promise.race([
      (async () => {
        connection = await Stream.createConnection({ plugin, ...credentials })
        connection.on('error', () => {})
        const stream = connection.createStream()
        stream.on('error', () => {})
        await stream.sendTotal(amount.toString(), { timeout: timeoutMs })
        // Close the stream and wait until the receiver has closed its side too (its StreamClose reached us): ending
        // the connection earlier makes ilp-protocol-stream disconnect the plugin while the receiver still has a
        // StreamClose to deliver, which it then retries (T01) long after the test.
        await new Promise<void>((resolve) => {
          stream.once('close', () => resolve())
          stream.end()
        })
        return BigInt(connection.totalSent)
      })(),
      timeout,
    ])
  } finally {
    clearTimeout(timer)
    if (connection) {
      let endTimer: ReturnType<typeof setTimeout> | undefined
      await Promise.race([connection.end(), new Promise((r) => (endTimer = setTimeout(r, 2000)))]).catch(() => {})
      clearTimeout(endTimer)
      await Promise.resolve(connection.destroy()).catch(() => {})
    }
  }
}
