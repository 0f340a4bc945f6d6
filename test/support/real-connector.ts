// A real ilp-connector 23 in the test process (`createApp(opts, reduct())`), set up the way every interop test wants
// it: test env, one-to-one backend, memory store, no rate limit, its admin API on 127.0.0.1 (GET /balance, /routing),
// and a stop() that closes what ilp-connector's shutdown() leaves open, so a test file exits on its own. Account
// builders for the plugins the tests use: ilp-plugin-mini-accounts children, ilp-plugin-btp listeners and clients,
// ilp-plugin-http links.
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { createServer as createNetServer } from 'node:net'

const require = createRequire(import.meta.url)
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any
const { createApp } = require('ilp-connector') as { createApp: (opts: Any, container?: Any) => Any }
// ilp-connector's own dependency container: the only way to reach its admin API server and its list of accounts.
const reduct = require('reduct') as Any
const AdminApi = require('ilp-connector/dist/services/admin-api').default
const Accounts = require('ilp-connector/dist/services/accounts').default

/** A free TCP port on 127.0.0.1 (closed again before returning). */
export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const srv = createNetServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo
      srv.close(() => resolve(port))
    })
  })
}

export interface Asset {
  code: string
  scale: number
}

export const XRP: Asset = { code: 'XRP', scale: 9 }

/** ilp-connector throttles every account to 10,000 packets/min by default; a test connector must not. */
export const NO_RATE_LIMIT = { refillCount: 10_000_000, capacity: 10_000_000 }

/** One entry of ilp-connector's `accounts`; add its other keys (balance, maxPacketAmount, sendRoutes…) by spreading. */
export type AccountConfig = Record<string, unknown>

export interface LinkOptions {
  /** 'peer' unless given. */
  relation?: 'parent' | 'peer' | 'child'
  /** XRP at scale 9 unless given. */
  asset?: Asset
  /** ilp-plugin-btp: how long a request waits for its answer (the plugin's default is 35 s). */
  responseTimeout?: number
}

function account(plugin: string, options: AccountConfig, link: LinkOptions = {}): AccountConfig {
  const asset = link.asset ?? XRP
  return { relation: link.relation ?? 'peer', assetCode: asset.code, assetScale: asset.scale, plugin, options, rateLimit: NO_RATE_LIMIT }
}

/** Children on ilp-plugin-mini-accounts at `btp+ws://<user>:<token>@127.0.0.1:<port>`, each `<address>.<id>.<user>`. */
export function miniAccountsChild(port: number, asset: Asset = XRP): AccountConfig {
  return account('ilp-plugin-mini-accounts', { wsOpts: { host: '127.0.0.1', port } }, { relation: 'child', asset })
}

/** ilp-plugin-btp listening on 127.0.0.1:`port` for one client, which authenticates with `secret`. */
export function btpListener(port: number, secret: string, link: LinkOptions = {}): AccountConfig {
  const timeout = link.responseTimeout !== undefined ? { responseTimeout: link.responseTimeout } : {}
  return account('ilp-plugin-btp', { listener: { port, secret, wsOpts: { host: '127.0.0.1', port } }, ...timeout }, link)
}

/** ilp-plugin-btp as a client of `server` (`btp+ws://<name>:<secret>@host:port`). */
export function btpClient(server: string, link: LinkOptions = {}): AccountConfig {
  const timeout = link.responseTimeout !== undefined ? { responseTimeout: link.responseTimeout } : {}
  return account('ilp-plugin-btp', { server, ...timeout }, link)
}

/**
 * ilp-plugin-http 1.6: it takes POSTs on `incoming.port` bearing `incoming.token`, and POSTs its own packets to
 * `outgoing.url` with `outgoing.token` and `ILP-Peer-Name: <outgoing.name>`.
 */
export function httpLink(incoming: { port: number; token: string }, outgoing: { url: string; token: string; name: string }, link: LinkOptions = {}): AccountConfig {
  return account(
    'ilp-plugin-http',
    { incoming: { port: incoming.port, staticToken: incoming.token }, outgoing: { url: outgoing.url, staticToken: outgoing.token, name: outgoing.name } },
    link,
  )
}

export interface RealConnectorOptions {
  address: string
  /** 0 unless given. */
  spread?: number
  accounts: Record<string, AccountConfig>
  /** Static routes (ilp-connector's `routes`). */
  routes?: Array<{ targetPrefix: string; peerId: string }>
  /** The admin API is on unless false; on a free port unless given (a restart at the same URL gives the old one). */
  adminApi?: boolean
  adminPort?: number
  /** Any other ilp-connector options: initialConnectTimeout, routeExpiry, routeBroadcastInterval… */
  extra?: Record<string, unknown>
}

export interface RealConnector {
  /** What createApp returned: getPlugin, removePlugin, … */
  app: Any
  /** undefined when the admin API is off. */
  adminPort: number | undefined
  /** app.listen(): resolves once every account connected, or after ilp-connector's initialConnectTimeout. */
  listening: Promise<void>
  /** ilp-connector's balance of an account (balance middleware on it; positive: the account owes the connector). */
  balance(accountId: string): Promise<bigint>
  /** GET /routing of the admin API. */
  routing(): Promise<Any>
  /** Idempotent: a test may stop the connector and its cleanup stop it again. */
  stop(): Promise<void>
}

/** Creates an ilp-connector and starts it listening (without waiting for that: see `listening`). */
export async function startRealConnector(opts: RealConnectorOptions): Promise<RealConnector> {
  const adminApi = opts.adminApi ?? true
  const adminPort = adminApi ? (opts.adminPort ?? (await freePort())) : undefined
  const deps = (reduct.default ?? reduct)()
  const app = createApp(
    {
      ilpAddress: opts.address,
      env: 'test',
      backend: 'one-to-one',
      spread: opts.spread ?? 0,
      store: 'memory',
      ...(adminApi && { adminApi: true, adminApiHost: '127.0.0.1', adminApiPort: adminPort }),
      ...(opts.routes && { routes: opts.routes }),
      ...opts.extra,
      accounts: opts.accounts,
    },
    deps,
  )
  const listening = app.listen() as Promise<void>
  const admin = async (path: string): Promise<Any> => {
    if (adminPort === undefined) throw new Error(`${opts.address} has no admin API`)
    return (await fetch(`http://127.0.0.1:${adminPort}${path}`)).json()
  }
  let stopped: Promise<void> | undefined
  return {
    app,
    adminPort,
    listening,
    balance: async (accountId) => {
      const body = (await admin('/balance')) as { accounts: Record<string, { balance: string }> }
      return BigInt(body.accounts[accountId]?.balance ?? '0')
    },
    routing: () => admin('/routing'),
    stop: () =>
      (stopped ??= (async () => {
        // The accounts it has now (not those removed with removePlugin: disconnected then).
        const plugins = (deps(Accounts).getAccountIds() as string[]).map((id) => app.getPlugin(id))
        const connected = plugins.map((plugin) => plugin.isConnected())
        // Neither shutdown() nor the plugins' disconnect() closes these HTTP servers: the one ws made for an
        // ilp-plugin-btp listener (and for mini-accounts), and ilp-plugin-http's; taken now, as disconnect() forgets them.
        const servers = plugins.flatMap((plugin) => [plugin._wss?._server, plugin._httpServer]).filter(Boolean)
        await app.shutdown()
        // shutdown() disconnects only the connected plugins: a listener whose client went first stays open, and a
        // client whose server went first keeps reconnecting.
        for (const [i, plugin] of plugins.entries()) {
          if (!connected[i]) await Promise.resolve().then(() => plugin.disconnect()).catch(() => {})
        }
        for (const server of servers) {
          server.closeAllConnections?.()
          server.close()
        }
        // shutdown() leaves the admin API listening.
        const adminServer = deps(AdminApi).server as import('node:http').Server | undefined
        if (adminServer) {
          adminServer.closeAllConnections()
          await new Promise((resolve) => adminServer.close(resolve))
        }
      })()),
  }
}
