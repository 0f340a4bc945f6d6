// The receiving half of an ILP-over-HTTP link: an HTTP server a provider (or peer) POSTs prepares to, answered with
// the Fulfill or Reject as the response body. It exists only when the user binds it explicitly (host and port), since
// a desktop behind NAT is usually unreachable and Junction otherwise listens on loopback only; without it an HTTP
// provider is send-only.
//
// What it accepts is what ilp-plugin-http 1.6 sends: POST with `Authorization: Bearer <token>` or the bare token,
// any path, a body of one ILP Prepare (it sends `application/ilp+octet-stream`, RFC 35 says
// `application/octet-stream`; the type is not checked). Everything else gets a status and a plain-text reason:
// 401 without the right token, 400 for a body that is not a Prepare, 413 above 32767 bytes, 405 for other methods.
// GET answers 200 so a provider's health check sees the endpoint alive.
import { createHash, timingSafeEqual } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { PrepareHandler } from '../btp/btp-session'
import type { Logger } from '../log'
import { TYPE_PREPARE } from '../ilp/packets'
import { MAX_ILP_PACKET } from './http-client'


export interface HttpReceiverOptions {
  host: string
  port: number
  /** The token the sender must present. */
  token: string
  log: Logger
  onPrepare: PrepareHandler
}

export class HttpReceiver {
  private server: http.Server | undefined
  private readonly tokenDigest: Buffer
  /** Why the last start failed, or null. */
  error: string | null = null

  constructor(private readonly opts: HttpReceiverOptions) {
    this.tokenDigest = digest(opts.token)
  }

  get listening(): boolean {
    return this.server?.listening ?? false
  }

  /** The bound port (the one asked for, or the one the OS chose for port 0). */
  get port(): number {
    const address = this.server?.address() as AddressInfo | null | undefined
    return address?.port ?? this.opts.port
  }

  get bind(): string {
    return formatHostPort(this.opts.host, this.port)
  }

  /** Where the sender must POST: give this URL to the provider. */
  get url(): string {
    return `http://${this.bind}/ilp`
  }

  async start(): Promise<void> {
    if (this.server) return
    const server = http.createServer((req, res) => this.serve(req, res))
    server.keepAliveTimeout = 30_000
    server.headersTimeout = 10_000
    server.requestTimeout = 120_000
    this.server = server
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject)
        server.listen(this.opts.port, this.opts.host, () => {
          server.off('error', reject)
          resolve()
        })
      })
      this.error = null
      server.on('error', (err) => this.opts.log.warn(`ILP-over-HTTP receiver on ${this.bind}: ${err.message}`))
      this.opts.log.info(`receiving ILP-over-HTTP packets at ${this.url}`)
    } catch (err) {
      this.server = undefined
      this.error = bindProblem(err as NodeJS.ErrnoException, this.bind)
      throw new Error(this.error)
    }
  }

  async stop(): Promise<void> {
    const server = this.server
    if (!server) return
    this.server = undefined
    await new Promise<void>((resolve) => {
      server.close(() => resolve())
      server.closeAllConnections()
    })
  }

  private serve(req: http.IncomingMessage, res: http.ServerResponse): void {
    const fail = (status: number, reason: string) => {
      if (res.headersSent) return
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', connection: status === 413 ? 'close' : 'keep-alive' })
      res.end(reason)
    }
    if (req.method === 'GET' || req.method === 'HEAD') {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' })
      res.end(req.method === 'GET' ? 'Junction ILP-over-HTTP endpoint: POST an ILP Prepare\n' : undefined)
      return
    }
    if (req.method !== 'POST') {
      res.setHeader('allow', 'GET, POST')
      fail(405, 'POST an ILP Prepare')
      req.resume()
      return
    }
    if (!this.authorized(req.headers.authorization)) {
      fail(401, 'invalid authorization: send Authorization: Bearer <token>')
      req.resume()
      return
    }
    answerPreparePost(req, res, fail, this.opts.onPrepare)
  }

  private authorized(header: string | undefined): boolean {
    if (!header) return false
    const token = header.startsWith('Bearer ') ? header.slice(7) : header
    // Digests have one length, so the comparison takes the same time whatever was sent.
    return timingSafeEqual(digest(token), this.tokenDigest)
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest()
}

export function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
}

function bindProblem(err: NodeJS.ErrnoException, bind: string): string {
  if (err.code === 'EADDRINUSE') return `cannot receive at ${bind}: the port is already in use; choose another port`
  if (err.code === 'EADDRNOTAVAIL') return `cannot receive at ${bind}: this computer has no such address`
  if (err.code === 'EACCES') return `cannot receive at ${bind}: ports below 1024 need administrator rights; choose a port above 1024`
  return `cannot receive at ${bind}: ${err.message}`
}

/**
 * The body of an authorized ILP-over-HTTP POST, answered: at most MAX_ILP_PACKET bytes (else 413, and the socket
 * closes), an ILP Prepare (else 400), handed to `handle`; its reply goes back as the 200 response
 * (application/octet-stream). A handler that throws is a 500. Shared by the HTTP provider's receiver and the app port.
 */
export function answerPreparePost(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  fail: (status: number, reason: string, close?: boolean) => void,
  handle: PrepareHandler,
): void {
  const tooLarge = () => {
    fail(413, `an ILP packet has at most ${MAX_ILP_PACKET} bytes`, true)
    req.destroy()
  }
  if (Number(req.headers['content-length'] ?? 0) > MAX_ILP_PACKET) return tooLarge()
  const chunks: Buffer[] = []
  let size = 0
  req.on('data', (chunk: Buffer) => {
    size += chunk.length
    if (size > MAX_ILP_PACKET) tooLarge()
    else chunks.push(chunk)
  })
  req.on('error', () => {})
  req.on('end', () => {
    if (res.headersSent) return
    const body = Buffer.concat(chunks)
    if (body[0] !== TYPE_PREPARE) {
      return fail(400, body.length === 0 ? 'the body is empty: POST an ILP Prepare' : `the body is not an ILP Prepare (type ${body[0]})`)
    }
    try {
      handle(body, (reply) => {
        if (res.headersSent || res.destroyed) return
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(reply.length) })
        res.end(reply)
      })
    } catch (err) {
      fail(500, `Junction failed to handle the packet: ${(err as Error).message}`)
    }
  })
}
