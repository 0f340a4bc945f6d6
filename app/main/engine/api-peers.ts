// The engine API's peer methods (listPeers, addPeer, updatePeer, removePeer), spread into createEngineApi (api.ts). Views never
// carry a secret: the URL is shown with its secret masked, the incoming token not at all.
import { z } from 'zod'
import { type ApiSchemas, apiSchemas } from '../../shared/api-schemas'
import { ApiError, type JunctionApi, type PeerView, type ProviderLinkState } from '../../shared/api-types'
import { displayLinkUrl, linkTransport } from './links/link-url'
import type { Connector } from './connector'
import { peerAccountId } from './peers/peer-config'
import type { PeerRow } from './peers/peer-store'
import { PeerError } from './peers/peers'

export type PeersApi = Pick<JunctionApi, 'listPeers' | 'addPeer' | 'updatePeer' | 'removePeer'>

export function peersApi(connector: Connector): PeersApi {
  const peers = connector.peers

  const view = (row: PeerRow): PeerView => {
    const accountId = peerAccountId(row.id)
    const account = connector.accounts.get(accountId)
    const transport = row.url === null ? null : linkTransport(row.url)
    return {
      id: row.id,
      name: row.name,
      accountId,
      url: row.url === null ? null : shownUrl(row.url),
      transport,
      incoming: row.incoming,
      connected: peers.connected(row.id),
      state: peers.state(row.id) as ProviderLinkState | null,
      assetCode: account?.assetCode ?? row.assetCode ?? connector.own.assetCode,
      assetScale: account?.assetScale ?? row.assetScale ?? connector.own.assetScale,
      balance: (account?.balance ?? 0n).toString(),
      routes: peers.routeCount(row.id),
      createdAt: row.createdAt,
      fromConfig: peers.isFromConfig(row.id),
    }
  }

  return {
    async listPeers() {
      return peers.list().map(view)
    },

    async addPeer(input) {
      const peer = parse('addPeer', input)
      return view(runPeer(() => peers.add(peer)))
    },

    async updatePeer(input) {
      const { id, ...change } = parse('updatePeer', input)
      return view(runPeer(() => peers.update(id, change)))
    },

    async removePeer(input) {
      const { id } = parse('removePeer', input)
      runPeer(() => peers.remove(id))
    },
  }
}

/** The stored URL (its secret already left out) as the UI shows it: masked like any link URL. */
function shownUrl(stored: string): string {
  try {
    const u = new URL(stored)
    if (!u.password) u.password = 'secret'
    return displayLinkUrl(u.toString())
  } catch {
    return '(invalid URL)'
  }
}

function parse<M extends keyof ApiSchemas>(method: M, input: unknown): z.output<ApiSchemas[M]> {
  const result = apiSchemas[method].safeParse(input)
  if (result.success) return result.data as z.output<ApiSchemas[M]>
  const issues = result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }))
  throw new ApiError('invalid-input', `${method}: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`, issues)
}

/** Turns the peers' errors into ApiErrors naming the field; a failed database or secret write is 'unavailable'. */
function runPeer<T>(op: () => T): T {
  try {
    return op()
  } catch (err) {
    if (err instanceof PeerError) {
      const code = err.kind === 'invalid' ? 'invalid-input' : err.kind
      const issues = err.field ? [{ path: err.field, message: err.message }] : undefined
      throw new ApiError(code, err.field ? `${err.field}: ${err.message}` : err.message, issues)
    }
    const e = err as { code?: unknown; message?: string }
    if (typeof e?.code === 'string' && e.code.startsWith('SQLITE_')) throw new ApiError('unavailable', `the database could not be written: ${e.message}`)
    throw new ApiError('unavailable', `the peer could not be saved: ${(err as Error).message}`)
  }
}
