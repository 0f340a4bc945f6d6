// The app port: a BTP/2.0 server on loopback (127.0.0.1 and ::1, since `localhost` resolves to either) where every
// local ILP app connects. It refuses browser origins the user did not allow, authenticates each connection (first
// frame: BTP auth), and hands the engine one BtpSession per app. It never listens on any other interface.
// A peer the user let connect (an incoming peer, peers/peers.ts) authenticates here too, as its id with its token,
// and becomes its peer account, never an app. A peer reached over ILP-over-HTTP POSTs its packets here (app-http.ts).
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import * as Btp from 'btp-packet'
import { type AppDirectory, sameTokenHash } from '../accounts/app-auth'
import { serveAppHttp } from './app-http'
import { BtpSession, btpErrorFrame, type PrepareHandler } from './btp-session'
import type { Logger } from '../log'

export const CLOSE_POLICY = 1008
export const CLOSE_RESTART = 1012
export const CLOSE_REPLACED = 4001

/** What the engine does with authenticated apps. */
export interface AppLinkHost {
  /** May this account connect now? Returns a refusal message, or undefined to admit. */
  admit(accountId: string, named: boolean): string | undefined
  prepareHandler(accountId: string): PrepareHandler
  attach(accountId: string, session: BtpSession): void
  detach(accountId: string, session: BtpSession): void
}

/**
 * Peers that connect to the app port (peers/peers.ts): a username that is an incoming peer's id is theirs alone —
 * the right token makes the connection that peer's account, a wrong one is refused; it never becomes an app.
 */
export interface IncomingPeerHost {
  /** Undefined when `username` is not an incoming peer's id. */
  identifyIncoming(username: string, token: string): { ok: true; accountId: string; tokenHash: Buffer } | { ok: false; code: 'F00'; message: string } | undefined
  incomingHandler(accountId: string): PrepareHandler
  attachIncoming(accountId: string, session: BtpSession): void
  detachIncoming(accountId: string, session: BtpSession): void
}

export interface AppServerOptions {
  port: number
  hosts: string[]
  allowOrigins: string[]
  directory: AppDirectory
  host: AppLinkHost
  peers?: IncomingPeerHost
  log: Logger
  authTimeoutMs?: number
}

interface LiveApp {
  session: BtpSession
  tokenHash: Buffer
  /** An incoming peer on the app port, not an app. */
  peer: boolean
}

/** Largest frame accepted: an ILP packet (≤ 32 KiB of data plus headers) in a BTP envelope, with room to spare. */
const MAX_FRAME_BYTES = 128 * 1024

export class AppServer {
  private readonly servers: Server[] = []
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false })
  private readonly live = new Map<string, LiveApp>()
  private allowed: Set<string>
  boundPort = 0
  boundHosts: string[] = []

  constructor(private readonly opts: AppServerOptions) {
    this.allowed = new Set(opts.allowOrigins.map((o) => o.replace(/\/+$/, '')))
  }

  /** Replaces the browser origins allowed to connect; takes effect with the next WebSocket upgrade. */
  setAllowedOrigins(origins: string[]): void {
    this.allowed = new Set(origins.map((o) => o.replace(/\/+$/, '')))
  }

  async listen(): Promise<void> {
    let port = this.opts.port
    for (const host of this.opts.hosts) {
      const server = createServer((req, res) =>
        serveAppHttp(req, res, {
          peers: this.opts.peers,
          originAllowed: (origin) => this.allowed.has(origin),
          log: this.opts.log,
          hint: () => 'Junction app port: connect with BTP over WebSocket (btp+ws://name:token@localhost:' + this.boundPort + ')',
        }),
      )
      server.on('upgrade', (req, socket, head) => this.upgrade(req, socket, head))
      server.on('clientError', (_err, socket) => socket.destroy())
      try {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject)
          server.listen({ port, host, exclusive: true }, () => {
            server.off('error', reject)
            resolve()
          })
        })
      } catch (err) {
        const e = err as NodeJS.ErrnoException
        // A machine without IPv6 on loopback still serves apps on 127.0.0.1; a busy port is fatal.
        if (host.includes(':') && (e.code === 'EADDRNOTAVAIL' || e.code === 'EAFNOSUPPORT')) {
          this.opts.log.warn(`not listening on [${host}]: ${e.code}`)
          continue
        }
        await this.close()
        if (e.code === 'EADDRINUSE') {
          throw new Error(`port ${port} on ${host} is already in use (is another Junction or moneyd running?); choose another with --port`)
        }
        throw err
      }
      if (port === 0) port = (server.address() as AddressInfo).port
      this.servers.push(server)
      this.boundHosts.push(host)
    }
    this.boundPort = port
  }

  /** Closes every app connection with a reason (they reconnect and fetch their address again). */
  disconnectAll(code: number, reason: string): void {
    for (const { session } of this.live.values()) session.close(code, reason)
  }

  /**
   * Closes every app's connection at its first quiet moment (BtpSession.closeWhenAnswered: nothing unanswered either
   * way; a busy app's new packets get `refuse`'s temporary reject after a second, except what it lets through, e.g.
   * ILDCP; at most `maxWaitMs`). Incoming peers stay connected: they do not take their address from Junction.
   */
  reconnectApps(code: number, reason: string, refuse: (ilpPrepare: Buffer) => Buffer | undefined, fallback: (ilpPrepare: Buffer) => Buffer, maxWaitMs: number): void {
    for (const { session, peer } of this.live.values()) {
      if (!peer) session.closeWhenAnswered(code, reason, refuse, fallback, maxWaitMs)
    }
  }

  disconnect(accountId: string, code: number, reason: string): void {
    this.live.get(accountId)?.session.close(code, reason)
  }

  isConnected(accountId: string): boolean {
    return this.live.has(accountId)
  }

  async close(): Promise<void> {
    this.disconnectAll(1001, 'Junction is shutting down')
    for (const client of this.wss.clients) client.terminate()
    await Promise.all(
      this.servers.map(
        (s) =>
          new Promise<void>((resolve) => {
            s.close(() => resolve())
            s.closeAllConnections?.()
          }),
      ),
    )
    this.servers.length = 0
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const origin = req.headers.origin
    if (origin !== undefined && !this.allowed.has(origin)) {
      this.opts.log.warn(`refused a WebSocket from browser origin ${origin} (allow it in Settings, allowed origins, or with --allow-origin)`)
      const body = `origin ${origin} is not allowed to connect to Junction; the user can allow it in Junction's settings (allowed origins) or with --allow-origin\n`
      socket.end(
        `HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      )
      return
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.authenticate(ws))
  }

  /** The first frame must be a BTP Message whose first protocol is `auth`, with `auth_token` (RFC 23). */
  private authenticate(ws: WebSocket): void {
    const timer = setTimeout(() => ws.close(CLOSE_POLICY, `no BTP auth within ${this.opts.authTimeoutMs ?? 10_000} ms`), this.opts.authTimeoutMs ?? 10_000)
    ws.on('error', () => {})
    ws.once('close', () => clearTimeout(timer))
    ws.once('message', (data, isBinary) => {
      clearTimeout(timer)
      const refuse = (requestId: number, code: string, message: string) => {
        this.opts.log.info(`refused a connection to the app port: ${message}`)
        ws.send(btpErrorFrame(requestId, code, code === 'F01' ? 'InvalidFieldsError' : 'NotAcceptedError', message))
        ws.close(CLOSE_POLICY, message.slice(0, 120))
      }
      if (!isBinary || !Buffer.isBuffer(data)) return refuse(0, 'F01', 'the first frame must be a binary BTP auth message')
      let packet: ReturnType<typeof Btp.deserialize>
      try {
        packet = Btp.deserialize(data)
      } catch (err) {
        return refuse(data.length >= 5 ? data.readUInt32BE(1) : 0, 'F01', `invalid BTP frame: ${(err as Error).message}`)
      }
      const requestId = packet.requestId
      if (packet.type !== Btp.TYPE_MESSAGE) return refuse(requestId, 'F01', 'the first frame must be a BTP Message carrying auth')
      const pd = (packet.data as Btp.BtpMessage).protocolData
      if (pd.length === 0 || pd[0].protocolName !== 'auth') {
        return refuse(requestId, 'F01', "the first frame's first protocol must be 'auth'")
      }
      const tokenEntry = pd.find((p) => p.protocolName === 'auth_token')
      if (!tokenEntry) return refuse(requestId, 'F01', 'auth_token is missing')
      const usernameEntry = pd.find((p) => p.protocolName === 'auth_username')
      const token = tokenEntry.data.toString('utf8')
      const username = usernameEntry ? usernameEntry.data.toString('utf8') : ''

      // An incoming peer's id is checked first: its name never falls through to app registration.
      const peers = this.opts.peers
      const peer = username === '' ? undefined : peers?.identifyIncoming(username, token)
      if (peer && !peer.ok) return refuse(requestId, peer.code, peer.message)
      const identity = peer ?? this.opts.directory.identify(username, token)
      if (!identity.ok) return refuse(requestId, identity.code, identity.message)
      const { accountId, tokenHash } = identity
      const kind = peer ? 'peer' : 'app'

      // One connection per account (apps and peers alike): the same credentials replace it, others are refused.
      const current = this.live.get(accountId)
      if (current && !sameTokenHash(current.tokenHash, tokenHash)) {
        return refuse(requestId, 'F00', `${kind} "${accountId}" is already connected with a different token`)
      }
      if (!peer) {
        const refusal = this.opts.host.admit(accountId, 'named' in identity && identity.named === true)
        if (refusal) return refuse(requestId, 'F00', refusal)
      }

      if (current) {
        // Same name and token: the app (or peer) restarted. Prepares go to the newest connection only.
        this.opts.log.info(`${kind} ${accountId} reconnected; closing its previous connection`)
        this.live.delete(accountId)
        current.session.close(CLOSE_REPLACED, 'replaced by a newer connection with the same credentials')
      }
      const session: BtpSession = new BtpSession(
        ws,
        peer ? peers!.incomingHandler(accountId) : this.opts.host.prepareHandler(accountId),
        () => {
          if (this.live.get(accountId)?.session === session) this.live.delete(accountId)
          if (peer) peers!.detachIncoming(accountId, session)
          else this.opts.host.detach(accountId, session)
        },
        (problem) => this.opts.log.debug(`${kind} ${accountId}: ${problem}`),
      )
      this.live.set(accountId, { session, tokenHash, peer: Boolean(peer) })
      ws.send(Btp.serializeResponse(requestId, []))
      if (peer) peers!.attachIncoming(accountId, session)
      else this.opts.host.attach(accountId, session)
    })
  }
}
