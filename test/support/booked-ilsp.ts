// A real ILSP with books: ilp-connector 23 serving Junction on a dedicated ilp-plugin-btp account (`junction`, with
// ilp-connector's balance middleware on) and its other clients as ilp-plugin-mini-accounts children (`shop`). Its own
// balance for Junction is read from its admin API (GET /balance), so tests can compare the ILSP's books with
// Junction's. Shared by the provider tests.
import { createRequire } from 'node:module'
import { freePort } from './ilsp'
import { randomToken } from './junction'

const require = createRequire(import.meta.url)
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any
const { createApp } = require('ilp-connector') as { createApp: (opts: Any, container?: Any) => Any }
const reduct = require('reduct') as Any
const AdminApi = require('ilp-connector/dist/services/admin-api').default

export interface BookedIlsp {
  address: string
  /** What Junction connects with (its own account `junction` on this ILSP). */
  junctionUrl: string
  /** A mini-accounts child of this ILSP (receivers, outside senders). */
  childUrl(user: string): string
  /** The ILSP's own balance for Junction's account (positive = Junction owes the ILSP). */
  junctionBalance(): Promise<bigint>
  stop(): Promise<void>
  /** What `again` needs to start this ILSP anew at the same URLs after it was stopped. */
  restart: { btpPort: number; childPort: number; adminPort: number; secret: string }
}

export interface BookedIlspOptions {
  /** Peer with other ILSPs (ilp-connector peers over ilp-plugin-btp, routes by CCP): listen for them here… */
  peerListen?: { port: number; secret: string }
  /** …or connect to one listening (`btp+ws://:secret@127.0.0.1:port`). */
  peerWith?: string
  /** The peer's address prefix: a static route to it (CCP between ilp-connector peers takes its time to converge). */
  peerPrefix?: string
  /**
   * Serve Junction over ILP-over-HTTP (ilp-plugin-http 1.6) instead of BTP: `junctionUrl` is then
   * `http://junction:<token>@127.0.0.1:<port>/`; the ILSP POSTs Junction's incoming packets to `sendTo` with its token
   * (omit `sendTo` for an ILSP that cannot reach Junction: it posts to a closed port).
   */
  junctionOverHttp?: { sendTo?: { url: string; token: string } }
  /** Start again where a stopped ILSP was (its `restart` info): same ports and secret, so the same URLs work. */
  again?: BookedIlsp['restart']
}

export async function startBookedIlsp(address: string, opts: BookedIlspOptions = {}): Promise<BookedIlsp> {
  const [btpPort, childPort, adminPort] = opts.again ? [opts.again.btpPort, opts.again.childPort, opts.again.adminPort] : [await freePort(), await freePort(), await freePort()]
  const secret = opts.again?.secret ?? randomToken()
  const noRateLimit = { refillCount: 10_000_000, capacity: 10_000_000 }
  // ilp-connector's own dependency container, to reach the admin API's HTTP server when stopping.
  const deps = (reduct.default ?? reduct)()
  const app = createApp(
    {
      ilpAddress: address,
      env: 'test',
      backend: 'one-to-one',
      spread: 0,
      store: 'memory',
      adminApi: true,
      adminApiHost: '127.0.0.1',
      adminApiPort: adminPort,
      ...(opts.peerPrefix && { routes: [{ targetPrefix: opts.peerPrefix, peerId: 'peer' }] }),
      accounts: {
        junction: {
          relation: 'child',
          assetCode: 'XRP',
          assetScale: 9,
          ...(opts.junctionOverHttp
            ? {
                plugin: 'ilp-plugin-http',
                options: {
                  incoming: { port: btpPort, staticToken: secret },
                  outgoing: {
                    url: opts.junctionOverHttp.sendTo?.url ?? `http://127.0.0.1:${await freePort()}/ilp`,
                    staticToken: opts.junctionOverHttp.sendTo?.token ?? randomToken(),
                    name: address,
                  },
                },
              }
            : { plugin: 'ilp-plugin-btp', options: { listener: { port: btpPort, secret } } }),
          balance: { minimum: '-1000000000000', maximum: '1000000000000' },
          rateLimit: noRateLimit,
        },
        shop: {
          relation: 'child',
          assetCode: 'XRP',
          assetScale: 9,
          plugin: 'ilp-plugin-mini-accounts',
          options: { wsOpts: { host: '127.0.0.1', port: childPort } },
          rateLimit: noRateLimit,
        },
        ...(opts.peerListen && {
          peer: {
            relation: 'peer',
            assetCode: 'XRP',
            assetScale: 9,
            plugin: 'ilp-plugin-btp',
            options: { listener: opts.peerListen },
            rateLimit: noRateLimit,
          },
        }),
        ...(opts.peerWith && {
          peer: {
            relation: 'peer',
            assetCode: 'XRP',
            assetScale: 9,
            plugin: 'ilp-plugin-btp',
            options: { server: opts.peerWith },
            rateLimit: noRateLimit,
          },
        }),
      },
    },
    deps,
  )
  await app.listen()
  let stopped: Promise<void> | undefined
  return {
    address,
    junctionUrl: opts.junctionOverHttp ? `http://junction:${secret}@127.0.0.1:${btpPort}/` : `btp+ws://junction:${secret}@127.0.0.1:${btpPort}`,
    childUrl: (user) => `btp+ws://${user}:${user}-secret@127.0.0.1:${childPort}`,
    restart: { btpPort, childPort, adminPort, secret },
    junctionBalance: async () => {
      const res = await fetch(`http://127.0.0.1:${adminPort}/balance`)
      const body = (await res.json()) as { accounts: Record<string, { balance: string }> }
      return BigInt(body.accounts.junction?.balance ?? '0')
    },
    // Idempotent: a test may kill the ILSP and its cleanup stop it again.
    stop: () =>
      (stopped ??= (async () => {
        // Neither shutdown() nor ilp-plugin-btp's disconnect() closes these two HTTP servers: closed here, or the test
        // process never exits.
        const servers = ['junction', ...(opts.peerListen ? ['peer'] : [])].map((id) => app.getPlugin(id)?._wss?._server)
        await app.shutdown()
        for (const server of servers) {
          server?.closeAllConnections?.()
          server?.close()
        }
        const adminServer = deps(AdminApi).server
        adminServer?.closeAllConnections()
        adminServer?.close()
      })()),
  }
}
