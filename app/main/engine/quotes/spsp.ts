// SPSP (RFC 9): a payment pointer to the receiver's ILP address and STREAM shared secret.
// `$host/path` → `https://host/path`, and `$host` (no path) → `https://host/.well-known/pay`; an http(s) URL given
// as such is used as it is (the contract's schema lets http:// through only as an explicit URL: local receivers,
// tests). One GET with the SPSP media types, bounded in time and size; every way it can fail is a SpspError whose
// message names the URL and says what went wrong.
import { isValidIlpAddress } from '../../../shared/ilp-address'

/** Answers larger than this are not SPSP responses. */
const MAX_BODY_BYTES = 64 * 1024

export class SpspError extends Error {
  constructor(
    message: string,
    /** `not-found` when the server says there is no such pointer; otherwise `unavailable`. */
    readonly kind: 'not-found' | 'unavailable',
  ) {
    super(message)
    this.name = 'SpspError'
  }
}

export interface SpspAnswer {
  /** The URL asked. */
  url: string
  destination: string
  sharedSecret: Buffer
}

/** The SPSP URL of a payment pointer (or the URL itself). */
export function spspUrl(pointer: string): string {
  if (!pointer.startsWith('$')) return new URL(pointer).href
  const url = new URL('https://' + pointer.slice(1))
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/.well-known/pay'
  return url.href
}

export async function resolvePaymentPointer(pointer: string, opts: { timeoutMs: number }): Promise<SpspAnswer> {
  const url = spspUrl(pointer)
  const seconds = `${Math.round(opts.timeoutMs / 100) / 10} s`
  let response: Response
  let body: Buffer
  try {
    response = await fetch(url, {
      headers: { accept: 'application/spsp4+json, application/spsp+json' },
      redirect: 'follow',
      signal: AbortSignal.timeout(opts.timeoutMs),
    })
    body = await readBody(response, url)
  } catch (err) {
    if (err instanceof SpspError) throw err
    const e = err as Error & { cause?: { code?: string; message?: string } }
    if (e.name === 'TimeoutError' || e.name === 'AbortError') {
      throw new SpspError(`the SPSP server at ${url} did not answer within ${seconds}`, 'unavailable')
    }
    const cause = e.cause?.code ?? e.cause?.message ?? e.message
    throw new SpspError(`could not reach the SPSP server at ${url} (${cause}); check the payment pointer`, 'unavailable')
  }

  if (response.status === 404) throw new SpspError(`the SPSP server at ${url} knows no such payment pointer (404 Not Found)`, 'not-found')
  if (!response.ok) throw new SpspError(`the SPSP server at ${url} answered ${response.status} ${response.statusText}`.trimEnd(), 'unavailable')

  let json: unknown
  try {
    json = JSON.parse(body.toString('utf8'))
  } catch {
    const type = response.headers.get('content-type') ?? 'no content type'
    throw new SpspError(`the SPSP server at ${url} answered something that is not JSON (${type}): it is not an SPSP receiver`, 'unavailable')
  }
  return { url, ...readSpspResponse(json, url) }
}

/** The two fields STREAM needs from an SPSP response (RFC 9), checked. */
export function readSpspResponse(json: unknown, url: string): { destination: string; sharedSecret: Buffer } {
  const notSpsp = (why: string) => new SpspError(`the SPSP server at ${url} answered JSON that is not an SPSP response: ${why}`, 'unavailable')
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw notSpsp('expected an object')
  const { destination_account: destination, shared_secret: secret } = json as Record<string, unknown>
  if (typeof destination !== 'string') throw notSpsp('destination_account is missing')
  if (!isValidIlpAddress(destination)) throw notSpsp(`destination_account ${JSON.stringify(destination.slice(0, 100))} is not an ILP address`)
  if (typeof secret !== 'string') throw notSpsp('shared_secret is missing')
  const sharedSecret = Buffer.from(secret, 'base64')
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(secret) || sharedSecret.length !== 32) {
    throw notSpsp('shared_secret is not 32 bytes in base64')
  }
  return { destination, sharedSecret }
}

async function readBody(response: Response, url: string): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length'))
  if (declared > MAX_BODY_BYTES) {
    await response.body?.cancel().catch(() => {})
    throw new SpspError(`the SPSP server at ${url} answered ${declared} bytes: too large for an SPSP response`, 'unavailable')
  }
  const chunks: Buffer[] = []
  let size = 0
  const reader = response.body?.getReader()
  if (reader === undefined) return Buffer.alloc(0)
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return Buffer.concat(chunks)
    size += value.length
    if (size > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => {})
      throw new SpspError(`the SPSP server at ${url} answered more than ${MAX_BODY_BYTES} bytes: too large for an SPSP response`, 'unavailable')
    }
    chunks.push(Buffer.from(value))
  }
}
