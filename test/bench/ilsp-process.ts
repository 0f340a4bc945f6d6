// The bench's upstream provider, in its own process: ilp-connector as an ILSP (test/support/ilsp.ts) plus a raw
// fulfiller and a STREAM receiver attached to it as children. Driven over IPC by run.ts (see ipc.ts).
// Usage: fork('test/bench/ilsp-process.ts', ['<port>'], { execArgv: ['--import', 'tsx'] })
import { createRequire } from 'node:module'
import { connectPlugin, startFulfiller, startIlsp } from '../support/ilsp'
import { serve } from './ipc'

const require = createRequire(import.meta.url)
const Stream = require('ilp-protocol-stream') as typeof import('ilp-protocol-stream')

export interface IlspInfo {
  pid: number
  port: number
  address: string
  fulfiller: { address: string; conditionHex: string; fulfillmentHex: string }
  receiverAddress: string
}

export interface StreamSecret {
  destinationAccount: string
  sharedSecretHex: string
}

export interface IlspStats {
  fulfilled: number
  fulfilledAmount: string
  streamConnections: number
  streamReceived: string
}

const port = Number(process.argv[2])
if (!Number.isInteger(port) || port <= 0) throw new Error('usage: ilsp-process.ts <port>')

const ilsp = await startIlsp({ port })
const fulfiller = await startFulfiller(ilsp.btpUrl('fulfiller', 'fulfiller-secret'))
const receiverPlugin = await connectPlugin(ilsp.btpUrl('receiver', 'receiver-secret'))
const receiver = await Stream.createServer({ plugin: receiverPlugin })
let streamConnections = 0
let streamReceived = 0n
receiver.on('connection', (conn: any) => {
  streamConnections++
  conn.on('stream', (stream: any) => {
    stream.setReceiveMax(Infinity)
    stream.on('money', (amount: string) => {
      streamReceived += BigInt(amount)
    })
    stream.on('data', () => {}) // drain any data so the stream never back-pressures
  })
  conn.on('error', () => {}) // a sender going away is fine
})
const receiverAddress = receiver.generateAddressAndSecret().destinationAccount.split('.').slice(0, -1).join('.')

serve(
  {
    info: (): IlspInfo => ({
      pid: process.pid,
      port,
      address: ilsp.address,
      fulfiller: {
        address: fulfiller.address,
        conditionHex: fulfiller.condition.toString('hex'),
        fulfillmentHex: fulfiller.fulfillment.toString('hex'),
      },
      receiverAddress,
    }),
    streamSecret: (): StreamSecret => {
      const { destinationAccount, sharedSecret } = receiver.generateAddressAndSecret()
      return { destinationAccount, sharedSecretHex: sharedSecret.toString('hex') }
    },
    stats: (): IlspStats => ({
      fulfilled: fulfiller.received.count,
      fulfilledAmount: fulfiller.received.amount.toString(),
      streamConnections,
      streamReceived: streamReceived.toString(),
    }),
  },
  async () => {
    await receiver.close().catch(() => {})
    await fulfiller.stop().catch(() => {})
    await ilsp.stop().catch(() => {})
  },
)
