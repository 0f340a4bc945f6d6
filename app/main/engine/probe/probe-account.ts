// Junction's own STREAM client's way into the packet pipeline: one internal account, `junction:probe`, that packets
// enter as if from an app, and one in-process plugin per running probe (the interface ilp-protocol-stream drives).
//
// - The account is a child (it lives under Junction's address, so replies to the probe come back by the child route
//   `<own address>.junction~probe`), marked `internal`: it is never an app (no app state, so no budget; the stats
//   middleware keeps it out of the per-app ledger and the Activity list; the API's account list skips children that
//   are not apps). It has no limits: a probe measures the path beyond Junction.
// - It exists only while a probe runs: the first plugin registers it and its route, the last one removes them.
// - Each plugin has its own address `<own address>.junction~probe.<n>` (answered to its ILDCP request here, as
//   ilp-plugin-mini-accounts does), so probes running at once each get their own STREAM packets back.
// - No money can reach the account: a prepare carrying an amount to a probe is rejected (F06) before the STREAM
//   client sees it. What the probe sends carries a random condition (STREAM's test packets), so it is never fulfilled.
import * as IlpPacket from 'ilp-packet'
import * as ILDCP from 'ilp-protocol-ildcp'
import { type Account, createAccount } from '../accounts/account'
import type { PacketLink, ReplyCallback } from '../btp/btp-session'
import { IlpFailure, unreachable } from '../ilp/ilp-failure'
import { readPrepare, readReply, rejectReply } from '../ilp/packets'
import type { OwnIdentity } from '../own-identity'
import type { RoutingTable } from '../routing/routing-table'

export const PROBE_ACCOUNT_ID = 'junction:probe'
/** The address segment under Junction's address; no app may take it (see connector.ts admit). */
export const PROBE_SEGMENT = 'junction~probe'

/** What the plugin saw of one prepare it sent: its amount, the reply, and how long the reply took. */
export interface ProbeExchange {
  destination: string
  amount: bigint
  /** The reply's code; undefined for a fulfill. */
  code?: string
  message?: string
  triggeredBy?: string
  data: Buffer
  roundTripMs: number
}

export interface ProbeEntryHost {
  own: OwnIdentity
  accounts: Map<string, Account>
  routes: RoutingTable
  /** Puts a prepare from `from` into the packet pipeline; `respond` gets the reply exactly once. */
  handle(from: Account, prepare: Buffer, respond: (reply: Buffer) => void): void
}

type DataHandler = (data: Buffer) => Promise<Buffer>

/** The plugin interface of ilp-protocol-stream (and ilp-plugin), backed by Junction's pipeline. */
export class ProbePlugin {
  /** Every prepare sent through this plugin with its reply, oldest first (ILDCP is not listed). */
  readonly exchanges: ProbeExchange[] = []
  private connected = false
  private closed = false
  private endedWith: Buffer | undefined
  private handler: DataHandler | undefined
  /** Prepares sent and not yet answered: each one's way to answer it locally if the probe ends first. */
  private readonly waiting = new Set<(reply: Buffer) => void>()

  constructor(
    private readonly entry: ProbeEntry,
    /** The segment under the probe account: this plugin's address is `<own>.junction~probe.<segment>`. */
    readonly segment: string,
  ) {}

  get address(): string | undefined {
    const own = this.entry.own.address
    return own === undefined ? undefined : `${own}.${PROBE_SEGMENT}.${this.segment}`
  }

  async connect(): Promise<void> {
    if (this.closed) throw new Error('this rate probe has ended')
    this.connected = true
  }

  /**
   * Ends the probe's use of the pipeline for good. Every prepare still waiting, and any sent later, is answered at once
   * with an F99 reject saying `reason`: a final code, so ilp-protocol-stream stops probing (a thrown error would leave
   * its 30 s per-packet timer running). Their replies from the network, when they come, are dropped.
   */
  async disconnect(reason = 'the rate probe ended'): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.connected = false
    this.handler = undefined
    this.endedWith = rejectReply(new IlpFailure('F99', reason), this.address ?? '').raw
    for (const answer of [...this.waiting]) answer(this.endedWith)
    this.waiting.clear()
    this.entry.release(this)
  }

  isConnected(): boolean {
    return this.connected
  }

  registerDataHandler(handler: DataHandler): void {
    this.handler = handler
  }

  deregisterDataHandler(): void {
    this.handler = undefined
  }

  /** Junction does not settle with itself. */
  async sendMoney(): Promise<void> {}

  async sendData(data: Buffer): Promise<Buffer> {
    if (this.endedWith) return this.endedWith
    if (!this.connected) throw new Error('the rate probe is not connected')
    const prepare = readPrepare(data)
    if (prepare.destination === 'peer.config') return this.answerIldcp()
    const started = Date.now()
    const reply = await new Promise<Buffer>((resolve) => {
      this.waiting.add(resolve)
      this.entry.send(data, (raw) => {
        if (this.waiting.delete(resolve)) resolve(raw)
      })
    })
    // Answered by disconnect(), not by the network: not part of what the probe measured.
    if (reply === this.endedWith) return reply
    const r = readReply(reply)
    let rejectFields: Pick<ProbeExchange, 'message' | 'triggeredBy' | 'data'> = { data: Buffer.alloc(0) }
    if (r.code !== undefined) {
      const parsed = IlpPacket.deserializeIlpReject(reply)
      rejectFields = { message: parsed.message, triggeredBy: parsed.triggeredBy, data: parsed.data }
    }
    this.exchanges.push({ destination: prepare.destination, amount: prepare.amount, code: r.code, ...rejectFields, roundTripMs: Date.now() - started })
    return reply
  }

  /** A prepare from the network to this probe (its amount is 0: the entry refuses money). */
  receive(prepare: Buffer, answer: (reply: Buffer) => void): void {
    const handler = this.handler
    const from = this.address ?? ''
    if (!handler) {
      answer(rejectReply(unreachable('this rate probe is not listening'), from).raw)
      return
    }
    handler(prepare).then(answer, (err: Error) => answer(rejectReply(new IlpFailure('F99', `the rate probe failed: ${err.message}`), from).raw))
  }

  private answerIldcp(): Buffer {
    const address = this.address
    if (address === undefined) throw new Error('Junction has no ILP address yet')
    return ILDCP.serializeIldcpResponse({ clientAddress: address, assetScale: this.entry.own.assetScale, assetCode: this.entry.own.assetCode })
  }
}

/** The internal account and the plugins of the probes running now. */
export class ProbeEntry {
  private account: Account | undefined
  private readonly plugins = new Map<string, ProbePlugin>()
  private next = 0

  constructor(private readonly host: ProbeEntryHost) {}

  get own(): OwnIdentity {
    return this.host.own
  }

  /** A plugin for one probe; the account and its route exist until its last plugin disconnects. */
  open(): ProbePlugin {
    const plugin = new ProbePlugin(this, `p${++this.next}`)
    this.plugins.set(plugin.segment, plugin)
    if (this.account === undefined) this.register()
    return plugin
  }

  /** Sends a prepare from the probe account through the pipeline. */
  send(prepare: Buffer, respond: (reply: Buffer) => void): void {
    const account = this.account
    if (account === undefined) {
      respond(rejectReply(unreachable('the rate probe account is closed'), this.host.own.address ?? '').raw)
      return
    }
    this.host.handle(account, prepare, respond)
  }

  release(plugin: ProbePlugin): void {
    if (this.plugins.get(plugin.segment) !== plugin) return
    this.plugins.delete(plugin.segment)
    if (this.plugins.size === 0) this.unregister()
  }

  private register(): void {
    const own = this.host.own
    const account = createAccount({ id: PROBE_ACCOUNT_ID, relation: 'child', segment: PROBE_SEGMENT, assetCode: own.assetCode, assetScale: own.assetScale })
    account.internal = true
    account.link = this.link()
    this.account = account
    this.host.accounts.set(account.id, account)
    if (own.address !== undefined) this.host.routes.add({ prefix: `${own.address}.${PROBE_SEGMENT}`, accountId: account.id, source: 'child' })
  }

  private unregister(): void {
    const account = this.account
    if (account === undefined) return
    this.account = undefined
    account.link = undefined
    if (this.host.accounts.get(account.id) === account) this.host.accounts.delete(account.id)
    // Also the routes the connector may have added for it under a provider's old address (grace period).
    this.host.routes.removeSource('child', account.id)
  }

  /** The account's link: prepares from the network to a probe's address. */
  private link(): PacketLink {
    let nextId = 0
    /** Requests still waiting for their reply; a forgotten one (expired in the pipeline) drops its late reply. */
    const waiting = new Set<number>()
    return {
      open: true,
      sendPrepare: (raw: Buffer, cb: ReplyCallback): number => {
        const id = ++nextId
        waiting.add(id)
        const answer = (reply: Buffer) => {
          if (waiting.delete(id)) cb(null, reply)
        }
        const from = this.host.own.address ?? ''
        let destination: string
        let amount: bigint
        try {
          ;({ destination, amount } = readPrepare(raw))
        } catch (err) {
          waiting.delete(id)
          queueMicrotask(() => cb(err as Error))
          return id
        }
        const marker = `.${PROBE_SEGMENT}.`
        const at = destination.indexOf(marker)
        const segment = at < 0 ? '' : destination.slice(at + marker.length).split('.')[0]
        const plugin = this.plugins.get(segment)
        if (plugin === undefined) {
          queueMicrotask(() => answer(rejectReply(unreachable(`no rate probe is running at ${destination}`), from).raw))
        } else if (amount !== 0n) {
          queueMicrotask(() => answer(rejectReply(new IlpFailure('F06', "Junction's rate probe takes no money"), from).raw))
        } else {
          plugin.receive(raw, answer)
        }
        return id
      },
      forget: (id: number) => {
        waiting.delete(id)
      },
    }
  }
}
