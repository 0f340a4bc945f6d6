// A link URL names how Junction reaches a provider or peer: BTP/2.0 over a WebSocket
// (`btp+ws(s)://user:secret@host:port/path`) or ILP-over-HTTP, RFC 35 (`http(s)://name:token@host:port/path`, the
// token sent as a bearer token and the name, when given, as ilp-plugin-http's `ILP-Peer-Name` header).
// One parser for both, so the rest of the engine asks "which transport, shown how, same account as which other URL".
import { type BtpEndpoint, parseBtpUrl } from '../btp/btp-url'

export interface HttpEndpoint {
  /** The URL packets are POSTed to, without credentials. */
  url: string
  /** Sent as `ILP-Peer-Name` (ilp-plugin-http's multilateral mode names the child by it); empty = not sent. */
  peerName: string
  /** Sent as `Authorization: Bearer <token>`. */
  token: string
  /** The URL with the token masked, safe for logs and the UI. */
  display: string
}

export type LinkEndpoint = { transport: 'btp'; btp: BtpEndpoint; display: string } | { transport: 'http'; http: HttpEndpoint; display: string }

export function linkTransport(url: string): 'btp' | 'http' {
  return /^https?:/i.test(url.trim()) ? 'http' : 'btp'
}

export function parseHttpUrl(url: string): HttpEndpoint {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    throw new Error(`invalid ILP-over-HTTP URL ${JSON.stringify(url)}: expected https://name:token@host/path`)
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new Error(`invalid ILP-over-HTTP URL: the scheme must be http: or https:, not ${u.protocol}`)
  }
  if (!u.hostname) throw new Error('invalid ILP-over-HTTP URL: it has no host')
  const token = decodeURIComponent(u.password)
  if (!token) throw new Error('invalid ILP-over-HTTP URL: it carries no token (https://name:token@host/path)')
  const peerName = decodeURIComponent(u.username)
  const hostPort = u.port ? `${u.hostname}:${u.port}` : u.hostname
  return {
    url: `${u.protocol}//${hostPort}${u.pathname}${u.search}`,
    peerName,
    token,
    display: `${u.protocol}//${peerName}:***@${hostPort}${u.pathname === '/' ? '' : u.pathname}`,
  }
}

/** Parses either kind; the error names what is wrong. */
export function parseLinkUrl(url: string): LinkEndpoint {
  if (linkTransport(url) === 'http') {
    const http = parseHttpUrl(url)
    return { transport: 'http', http, display: http.display }
  }
  const btp = parseBtpUrl(url)
  return { transport: 'btp', btp, display: btp.display }
}

/** The URL with its secret masked; a URL that does not parse is not shown at all. */
export function displayLinkUrl(url: string): string {
  try {
    return parseLinkUrl(url).display
  } catch {
    return '(invalid URL)'
  }
}

/** Same place and name whatever the secret: the same account with the provider or peer. */
export function sameLinkEndpoint(a: string, b: string): boolean {
  try {
    return endpointKey(parseLinkUrl(a)) === endpointKey(parseLinkUrl(b))
  } catch {
    return false
  }
}

function endpointKey(e: LinkEndpoint): string {
  return e.transport === 'btp' ? `btp ${e.btp.wsUrl} ${e.btp.username}` : `http ${e.http.url} ${e.http.peerName}`
}
