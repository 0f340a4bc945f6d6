// The last answered packets, for the Activity page and the `packets` event: a fixed ring written by the stats
// middleware as each reply goes back, read by the API and the event timer.
//
// The packet path only stores references it already has (destination string, amount, the reply) into preallocated
// slots: no allocation, no formatting. Turning a slot into a PacketView (amount to a decimal string, the reject's
// message decoded from its raw bytes) happens when someone reads it, at most a few times a second.
import * as IlpPacket from 'ilp-packet'
import type { PacketView } from '../../../shared/api-types'
import type { Reply } from '../ilp/packets'

export const RECENT_PACKETS = 1000

const DIR_OUT = 0
const DIR_IN = 1

export class RecentPackets {
  /** Packets answered since start: the newest one's seq. */
  seq = 0
  /** Fulfilled ones among them (for the traffic rate). */
  fulfilled = 0
  private readonly time: Float64Array
  private readonly app: string[]
  private readonly dir: Uint8Array
  private readonly destination: string[]
  private readonly amount: bigint[]
  /** '' for a fulfill, else the reject's code. */
  private readonly code: string[]
  /** A reject's raw bytes (its message is read from them when shown); a fulfill keeps nothing, not even its data. */
  private readonly rejectRaw: Array<Buffer | undefined>

  constructor(readonly capacity = RECENT_PACKETS) {
    this.time = new Float64Array(capacity)
    this.app = new Array<string>(capacity).fill('')
    this.dir = new Uint8Array(capacity)
    this.destination = new Array<string>(capacity).fill('')
    this.amount = new Array<bigint>(capacity).fill(0n)
    this.code = new Array<string>(capacity).fill('')
    this.rejectRaw = new Array<Buffer | undefined>(capacity).fill(undefined)
  }

  /** One answered packet as one app saw it: `out` = the app sent it, `in` = it was for the app. */
  record(time: number, app: string, out: boolean, destination: string, amount: bigint, reply: Reply): void {
    const i = this.seq++ % this.capacity
    if (reply.fulfillment) {
      this.fulfilled++
      this.code[i] = ''
      this.rejectRaw[i] = undefined
    } else {
      this.code[i] = reply.code ?? 'F00'
      this.rejectRaw[i] = reply.raw
    }
    this.time[i] = time
    this.app[i] = app
    this.dir[i] = out ? DIR_OUT : DIR_IN
    this.destination[i] = destination
    this.amount[i] = amount
  }

  /** The newest `limit` packets, newest first. */
  newest(limit: number): PacketView[] {
    const out: PacketView[] = []
    const oldest = Math.max(1, this.seq - this.capacity + 1)
    for (let s = this.seq; s >= oldest && out.length < limit; s--) out.push(this.view(s))
    return out
  }

  /** The packets after `seq` still in the ring (at most `limit`, the newest ones), oldest first. */
  since(seq: number, limit = this.capacity): PacketView[] {
    const first = Math.max(seq + 1, this.seq - Math.min(limit, this.capacity) + 1, 1)
    const out: PacketView[] = []
    for (let s = first; s <= this.seq; s++) out.push(this.view(s))
    return out
  }

  private view(seq: number): PacketView {
    const i = (seq - 1) % this.capacity
    const code = this.code[i]
    return {
      seq,
      time: this.time[i],
      app: this.app[i],
      direction: this.dir[i] === DIR_OUT ? 'out' : 'in',
      destination: this.destination[i],
      amount: this.amount[i].toString(),
      result: code === '' ? 'fulfilled' : code,
      message: code === '' ? '' : rejectMessage(this.rejectRaw[i]!),
    }
  }
}

function rejectMessage(raw: Buffer): string {
  try {
    return IlpPacket.deserializeIlpReject(raw).message
  } catch {
    return ''
  }
}
