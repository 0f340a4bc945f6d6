// BTP URLs: `btp+ws://user:secret@host:port/path` (or btp+wss). The credentials become BTP auth, the rest the
// WebSocket URL.

export interface BtpEndpoint {
  /** ws:// or wss:// URL without credentials. */
  wsUrl: string
  username: string
  token: string
  /** The URL with the secret masked, safe for logs and the UI. */
  display: string
}

export function parseBtpUrl(url: string): BtpEndpoint {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    throw new Error(`invalid provider URL ${JSON.stringify(url)}: expected btp+ws://user:secret@host:port`)
  }
  if (u.protocol !== 'btp+ws:' && u.protocol !== 'btp+wss:') {
    throw new Error(`invalid provider URL: the scheme must be btp+ws: or btp+wss:, not ${u.protocol}`)
  }
  if (!u.hostname) throw new Error('invalid provider URL: it has no host')
  const username = decodeURIComponent(u.username)
  const token = decodeURIComponent(u.password)
  const scheme = u.protocol === 'btp+wss:' ? 'wss:' : 'ws:'
  const hostPort = u.port ? `${u.hostname}:${u.port}` : u.hostname
  const path = u.pathname === '/' ? '' : u.pathname
  return {
    wsUrl: `${scheme}//${hostPort}${path}${u.search}`,
    username,
    token,
    display: `${u.protocol}//${username ? username + ':***@' : ''}${hostPort}${path}`,
  }
}
