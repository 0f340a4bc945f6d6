// A real ILSP with books: ilp-connector 23 serving Junction on a dedicated ilp-plugin-btp account (`junction`, with
// ilp-connector's balance middleware on) and its other clients as ilp-plugin-mini-accounts children (`shop`). Its own
// balance for Junction is read from its admin API (GET /balance), so tests can compare the ILSP's books with
// Junction's. Shared by the provider tests.
import { randomToken } from './junction'
import { btpClient, btpListener, freePort, httpLink, miniAccountsChild, startRealConnector } from './real-connector'

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
  const [btpPort, childPort] = opts.again ? [opts.again.btpPort, opts.again.childPort] : [await freePort(), await freePort()]
  const secret = opts.again?.secret ?? randomToken()
  const http = opts.junctionOverHttp
  const junction = http
    ? httpLink(
        { port: btpPort, token: secret },
        { url: http.sendTo?.url ?? `http://127.0.0.1:${await freePort()}/ilp`, token: http.sendTo?.token ?? randomToken(), name: address },
        { relation: 'child' },
      )
    : btpListener(btpPort, secret, { relation: 'child' })
  const ilsp = await startRealConnector({
    address,
    adminPort: opts.again?.adminPort,
    routes: opts.peerPrefix ? [{ targetPrefix: opts.peerPrefix, peerId: 'peer' }] : undefined,
    accounts: {
      junction: { ...junction, balance: { minimum: '-1000000000000', maximum: '1000000000000' } },
      shop: miniAccountsChild(childPort),
      ...(opts.peerListen && { peer: btpListener(opts.peerListen.port, opts.peerListen.secret) }),
      ...(opts.peerWith && { peer: btpClient(opts.peerWith) }),
    },
  })
  await ilsp.listening
  return {
    address,
    junctionUrl: http ? `http://junction:${secret}@127.0.0.1:${btpPort}/` : `btp+ws://junction:${secret}@127.0.0.1:${btpPort}`,
    childUrl: (user) => `btp+ws://${user}:${user}-secret@127.0.0.1:${childPort}`,
    restart: { btpPort, childPort, adminPort: ilsp.adminPort!, secret },
    junctionBalance: () => ilsp.balance('junction'),
    stop: ilsp.stop,
  }
}
