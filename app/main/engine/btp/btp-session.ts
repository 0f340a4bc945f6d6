// One authenticated BTP/2.0 connection over a WebSocket, from either side (an app that connected to us, or our link
// to a provider). It carries ILP packets both ways: prepares we send wait for their Response by request id; prepares
// we receive are handed to the engine with a function that answers them. Nothing a peer sends can throw out of here:
// a frame that cannot be used is answered with a BTP Error naming the problem.
import type { RawData, WebSocket } from 'ws'
import * as Btp from 'btp-packet'
import { TYPE_PREPARE } from '../ilp/packets'

export type ReplyCallback = (error: Error | null, ilpReply?: Buffer) => void
export type PrepareHandler = (ilpPrepare: Buffer, answer: (ilpReply: Buffer) => void) => void

/** What the engine needs from any link that carries packets. */
export interface PacketLink {
  readonly open: boolean
  /** Sends a prepare; `cb` gets the reply packet, or an error if the link failed. Returns a handle for `forget`. */
  sendPrepare(ilpPrepare: Buffer, cb: ReplyCallback): number
  /** Stop waiting for a reply (the packet expired); a late reply is then dropped. */
  forget(requestId: number): void
}

const MAX_REQUEST_ID = 0xffffffff
/**
 * A draining session with nothing unanswered closes once the peer has sent nothing for this long. Long enough that a
 * sender between two payment steps (a few ms apart, more on a loaded machine) is not taken for an idle one.
 */
const QUIET_CLOSE_MS = 250
/**
 * A draining session closes right after writing this many temporary rejects to the peer's packets (with nothing else
 * unanswered): the peer is then waiting before it retries — ilp-protocol-stream waits 100 ms after its first T-reject
 * and twice as long after each further one — and that wait is when the reconnect happens.
 */
const REFUSALS_BEFORE_CLOSE = 2
/**
 * For this long a draining session still forwards packets as usual; only then does it refuse them (a temporary reject)
 * to make a busy peer quiet. Refusing at once would break STREAM connections being opened: ilp-protocol-stream takes a
 * T-reject during its exchange-rate probe as a liquidity limit and gives the connection up.
 */
const FORWARD_WHILE_DRAINING_MS = 1000

/** The peer answered one of our requests with a BTP Error frame. */
export class BtpPeerError extends Error {
  constructor(
    readonly code: string,
    readonly errorName: string,
    readonly detail: string,
  ) {
    super(`peer answered with BTP error ${code} ${errorName}: ${detail}`)
    this.name = 'BtpPeerError'
  }
}

export function btpErrorFrame(requestId: number, code: string, name: string, message: string): Buffer {
  return Btp.serializeError(
    { code, name, triggeredAt: new Date().toISOString(), data: message.slice(0, 8192) },
    requestId,
    [],
  )
}

export function ilpProtocolData(ilp: Buffer): Btp.ProtocolData[] {
  return [{ protocolName: 'ilp', contentType: Btp.MIME_APPLICATION_OCTET_STREAM, data: ilp }]
}

export class BtpSession implements PacketLink {
  private readonly pending = new Map<number, ReplyCallback>()
  /** Non-ILP requests (auth): rare, so kept apart from the packet path. */
  private readonly requests = new Map<number, (error: Error | null, response?: Btp.ProtocolData[]) => void>()
  private nextRequestId = (Math.random() * 0x7fffffff) >>> 0
  private corked = false
  private closed = false
  /** Prepares the peer sent that we have not answered yet. */
  private unanswered = 0
  /** Set by closeWhenAnswered: the session closes at its first quiet moment (see drainStep). */
  private draining:
    | {
        code: number
        reason: string
        refuse: (ilpPrepare: Buffer) => Buffer | undefined
        fallback: (ilpPrepare: Buffer) => Buffer
        timer: ReturnType<typeof setTimeout> | undefined
        /** Packets either way are forwarded as usual until then, refused after (Date.now()). */
        refuseFrom: number
        /** Closed by then whatever is left (Date.now()). */
        deadline: number
        /** How many of the peer's packets were refused so far. */
        refused: number
      }
    | undefined
  private readonly socket: { cork(): void; uncork(): void } | undefined

  constructor(
    private readonly ws: WebSocket,
    private readonly onPrepare: PrepareHandler,
    private readonly onClosed: (code: number, reason: string) => void,
    private readonly onProblem: (what: string) => void = () => {},
  ) {
    // ws keeps the net.Socket private; corking it lets every frame written in one tick leave in one write.
    this.socket = (ws as unknown as { _socket?: { cork(): void; uncork(): void } })._socket
    ws.on('message', (data, isBinary) => this.receive(data, isBinary))
    ws.once('close', (code, reason) => this.handleClose(code, reason.toString()))
    ws.on('error', (err) => this.onProblem(`socket error: ${err.message}`))
  }

  get open(): boolean {
    return !this.closed && this.ws.readyState === 1
  }

  get inFlight(): number {
    return this.pending.size
  }

  sendPrepare(ilpPrepare: Buffer, cb: ReplyCallback): number {
    const requestId = this.nextRequestId
    this.nextRequestId = requestId === MAX_REQUEST_ID ? 0 : requestId + 1
    if (!this.open) {
      queueMicrotask(() => cb(new Error('link is closed')))
      return requestId
    }
    const drain = this.draining
    if (drain && Date.now() >= drain.refuseFrom) {
      // Nothing new goes to a peer that is about to reconnect: the sender gets the temporary reject and retries later.
      queueMicrotask(() => {
        cb(null, drain.refuse(ilpPrepare) ?? drain.fallback(ilpPrepare))
        if (!this.closed) this.drainStep()
      })
      return requestId
    }
    this.pending.set(requestId, cb)
    this.write(Btp.serializeMessage(requestId, ilpProtocolData(ilpPrepare)))
    if (drain) this.drainStep()
    return requestId
  }

  forget(requestId: number): void {
    this.pending.delete(requestId)
    if (this.draining) this.drainStep()
  }

  /** Sends a BTP Message that is not an ILP packet (e.g. auth) and waits for its Response. */
  request(protocolData: Btp.ProtocolData[], cb: (error: Error | null, response?: Btp.ProtocolData[]) => void): void {
    const requestId = this.nextRequestId
    this.nextRequestId = requestId === MAX_REQUEST_ID ? 0 : requestId + 1
    this.requests.set(requestId, cb)
    this.write(Btp.serializeMessage(requestId, protocolData))
  }

  close(code: number, reason: string): void {
    if (this.closed) return
    this.ws.close(code, reason.slice(0, 120))
    // A peer that never completes the closing handshake must not keep the connection open.
    setTimeout(() => this.ws.terminate(), 2000).unref()
    this.handleClose(code, reason)
  }

  private handleClose(code: number, reason: string): void {
    if (this.closed) return
    this.closed = true
    if (this.draining) clearTimeout(this.draining.timer)
    const waiting = [...this.pending.values(), ...this.requests.values()]
    this.pending.clear()
    this.requests.clear()
    const err = new Error(`link closed (${code}${reason ? ' ' + reason : ''})`)
    for (const cb of waiting) cb(err)
    this.onClosed(code, reason)
  }

  private write(frame: Buffer): void {
    if (this.socket && !this.corked) {
      this.corked = true
      this.socket.cork()
      process.nextTick(this.uncork)
    }
    this.ws.send(frame)
  }

  private readonly uncork = (): void => {
    this.corked = false
    this.socket?.uncork()
  }

  private receive(data: RawData, isBinary: boolean): void {
    if (this.closed) return
    if (!isBinary || !Buffer.isBuffer(data)) {
      this.onProblem('text frame')
      this.write(btpErrorFrame(0, 'F01', 'InvalidFieldsError', 'BTP frames must be binary WebSocket messages'))
      return
    }
    let packet: ReturnType<typeof Btp.deserialize>
    try {
      packet = Btp.deserialize(data)
    } catch (err) {
      const requestId = data.length >= 5 ? data.readUInt32BE(1) : 0
      this.onProblem(`invalid BTP frame: ${(err as Error).message}`)
      this.write(btpErrorFrame(requestId, 'F01', 'InvalidFieldsError', `invalid BTP frame: ${(err as Error).message}`))
      return
    }
    const requestId = packet.requestId
    switch (packet.type) {
      case Btp.TYPE_MESSAGE:
        return this.receiveMessage(requestId, (packet.data as Btp.BtpMessage).protocolData)
      case Btp.TYPE_RESPONSE:
        return this.receiveResponse(requestId, (packet.data as Btp.BtpMessage).protocolData)
      case Btp.TYPE_ERROR: {
        const cb = this.pending.get(requestId) ?? this.requests.get(requestId)
        if (!cb) return
        this.pending.delete(requestId)
        this.requests.delete(requestId)
        const e = packet.data as unknown as Btp.BtpError
        cb(new BtpPeerError(e.code, e.name, e.data))
        if (this.draining) this.drainStep()
        return
      }
      case Btp.TYPE_TRANSFER:
        this.write(
          btpErrorFrame(requestId, 'F00', 'NotAcceptedError', 'BTP Transfer is not accepted on this link: it settles nothing'),
        )
        return
    }
  }

  private receiveMessage(requestId: number, protocolData: Btp.ProtocolData[]): void {
    const ilp = findIlp(protocolData)
    if (!ilp) {
      // Side protocols we do not speak: acknowledge with an empty response, as BTP plugins do.
      this.write(Btp.serializeResponse(requestId, []))
      return
    }
    if (ilp.length === 0) {
      this.write(btpErrorFrame(requestId, 'F01', 'InvalidFieldsError', 'the ilp protocol data is empty: expected an ILP Prepare'))
      return
    }
    if (ilp[0] !== TYPE_PREPARE) {
      this.write(
        btpErrorFrame(requestId, 'F01', 'InvalidFieldsError', `a BTP Message must carry an ILP Prepare (type 12), got type ${ilp[0]}`),
      )
      return
    }
    const refusal = this.draining && Date.now() >= this.draining.refuseFrom ? this.draining.refuse(ilp) : undefined
    if (refusal) {
      this.write(Btp.serializeResponse(requestId, ilpProtocolData(refusal)))
      this.draining!.refused++
      this.drainStep()
      return
    }
    let answered = false
    this.unanswered++
    if (this.draining) this.drainStep()
    this.onPrepare(ilp, (ilpReply) => {
      if (answered) return
      answered = true
      this.unanswered--
      if (this.open) this.write(Btp.serializeResponse(requestId, ilpProtocolData(ilpReply)))
      if (this.draining) this.drainStep()
    })
  }

  /**
   * Closes the session without cutting answers short (a peer that closes on a STREAM packet in flight loses the
   * fulfillment of money that really moved), at a moment the peer is not about to send (drainStep). Packets keep flowing
   * as usual for FORWARD_WHILE_DRAINING_MS; after that new ones either way get `refuse(prepare)` at once (or `fallback`
   * when refuse lets a peer's packet through, e.g. ILDCP), which makes a busy peer pause. After `maxWaitMs` it closes
   * whatever is left.
   */
  closeWhenAnswered(code: number, reason: string, refuse: (ilpPrepare: Buffer) => Buffer | undefined, fallback: (ilpPrepare: Buffer) => Buffer, maxWaitMs: number): void {
    if (this.closed || this.draining) return
    const now = Date.now()
    this.draining = { code, reason, refuse, fallback, timer: undefined, refuseFrom: now + Math.min(FORWARD_WHILE_DRAINING_MS, maxWaitMs), deadline: now + maxWaitMs, refused: 0 }
    this.drainStep()
  }

  /**
   * While draining, after anything happened. With something unanswered either way, it waits (until the deadline).
   * With nothing unanswered it closes
   * - at once when REFUSALS_BEFORE_CLOSE of the peer's packets have been refused: it is waiting before its retry;
   * - else once the peer has sent nothing for QUIET_CLOSE_MS: it is idle.
   * Not merely when nothing is unanswered: ilp-plugin-btp loses a packet written while its socket closes or before it
   * has reconnected (it then waits its response timeout, and STREAM gives the connection up), and a STREAM sender
   * writes its next packet within a few ms of an answer.
   */
  private drainStep(): void {
    const drain = this.draining!
    clearTimeout(drain.timer)
    drain.timer = undefined
    const close = () => this.close(drain.code, drain.reason)
    const left = Math.max(0, drain.deadline - Date.now())
    if (this.unanswered > 0 || this.pending.size > 0) {
      drain.timer = setTimeout(close, left)
    } else if (drain.refused >= REFUSALS_BEFORE_CLOSE) {
      // After the refusal's frame: the socket writes in order, so the peer reads its answer before the close.
      queueMicrotask(close)
      return
    } else {
      drain.timer = setTimeout(close, Math.min(QUIET_CLOSE_MS, left))
    }
    drain.timer.unref?.()
  }

  private receiveResponse(requestId: number, protocolData: Btp.ProtocolData[]): void {
    const cb = this.pending.get(requestId)
    if (cb) {
      this.pending.delete(requestId)
      const ilp = findIlp(protocolData)
      if (ilp) cb(null, ilp)
      else cb(new Error('the BTP Response to a prepare carried no ILP packet'))
      if (this.draining) this.drainStep()
      return
    }
    const requestCb = this.requests.get(requestId)
    if (requestCb) {
      this.requests.delete(requestId)
      requestCb(null, protocolData)
    }
  }
}

function findIlp(protocolData: Btp.ProtocolData[]): Buffer | undefined {
  for (let i = 0; i < protocolData.length; i++) {
    if (protocolData[i].protocolName === 'ilp') return protocolData[i].data
  }
  return undefined
}
