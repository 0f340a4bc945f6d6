// Peers & Routes: the stored peers with add and remove (PeerList.tsx, store/peers.ts), the node's accounts (the
// provider, apps, peers) with their link and their balance against its limits, and the routing table that decides
// where a packet goes next. Accounts and routes come from store/network.ts, which fetches the routes again on
// `routesChanged` and the balances while packets move.
import { Network, Route as RouteIcon } from 'lucide-react'
import { useEffect, useMemo } from 'react'
import type { AccountView, RouteView } from '../../../shared/api-types'
import { Card } from '../components/Card'
import { DataTable, type Column } from '../components/DataTable'
import { EmptyState } from '../components/EmptyState'
import { LoadState } from '../components/LoadState'
import { PageHeader } from '../components/PageHeader'
import { StatusDot } from '../components/StatusDot'
import { useNow } from '../components/use-now'
import { absoluteTime, relativeTime } from '../format/time'
import { useNetwork } from '../store/network'
import { accountName, LINK_WORDS, RELATION_RANK, RELATION_WORDS } from './account-words'
import { BalanceBar } from './BalanceBar'
import { PeerList } from './PeerList'
import { QuotePanel } from './QuotePanel'
import './peers-routes.css'

const SOURCE_WORDS: Record<RouteView['source'], string> = {
  configured: 'configured (fixed at start)',
  local: 'local (Junction itself)',
  child: 'app (its own address)',
  peer: 'learned from a peer',
  parent: 'provider (default route)',
}

export function PeersRoutesPage() {
  const { accounts, routes, loadAccounts, loadRoutes } = useNetwork()
  useEffect(() => useNetwork.getState().start(), [])
  return (
    <div className="peers-routes-page">
      <PageHeader title="Peers & Routes" description="Who Junction is connected to, what each owes, and where it sends packets for each address." />
      <PeerList />
      <Card title="Accounts">
        <LoadState what="the accounts" loading={accounts.status === 'idle' || accounts.status === 'loading'} error={accounts.error} onRetry={() => void loadAccounts()} ready={accounts.status === 'ready'}>
          <AccountsTable accounts={accounts.items} />
        </LoadState>
      </Card>
      <Card title="Routing table">
        <p className="card-intro">
          A packet goes to the route with the longest prefix of its destination. Routes change as apps connect and the provider
          announces them; this table follows.
        </p>
        <LoadState what="the routes" loading={routes.status === 'idle' || routes.status === 'loading'} error={routes.error} onRetry={() => void loadRoutes()} ready={routes.status === 'ready'}>
          <RoutesTable routes={routes.items} />
        </LoadState>
      </Card>
      <QuotePanel />
    </div>
  )
}

function AccountsTable({ accounts }: { accounts: AccountView[] }) {
  const columns = useMemo<Column<AccountView>[]>(
    () => [
      {
        key: 'name',
        header: 'Account',
        sortValue: accountName,
        cell: (a) => (
          <div className="account-name">
            <span>{accountName(a)}</span>
            {accountName(a) !== a.id && <code className="account-id">{a.relation === 'parent' && a.label ? a.label : a.id}</code>}
          </div>
        ),
      },
      {
        key: 'relation',
        header: 'Relation',
        sortValue: (a) => RELATION_RANK[a.relation],
        cell: (a) => <span title={RELATION_WORDS[a.relation].meaning}>{RELATION_WORDS[a.relation].label}</span>,
      },
      {
        key: 'link',
        header: 'Link',
        sortValue: (a) => a.link,
        cell: (a) => <StatusDot tone={LINK_WORDS[a.link].tone} label={LINK_WORDS[a.link].label} />,
      },
      {
        key: 'balance',
        header: 'Balance (min – max)',
        sortValue: (a) => BigInt(a.balance),
        className: 'account-balance',
        cell: (a) => <BalanceBar account={a} name={accountName(a)} />,
      },
      {
        key: 'fulfilled',
        header: 'Fulfilled',
        align: 'right',
        sortValue: (a) => a.packets.fulfilled,
        cell: (a) => a.packets.fulfilled.toLocaleString(),
      },
      {
        key: 'rejected',
        header: 'Rejected',
        align: 'right',
        sortValue: (a) => a.packets.rejected,
        cell: (a) => a.packets.rejected.toLocaleString(),
      },
    ],
    [],
  )
  return (
    <>
      <DataTable
        label="Accounts"
        rows={accounts}
        columns={columns}
        rowKey={(a) => a.id}
        searchText={(a) => `${a.id} ${a.label ?? ''} ${RELATION_WORDS[a.relation].label}`}
        searchPlaceholder="Search accounts"
        initialSort={{ key: 'relation', direction: 'asc' }}
        empty={
          <EmptyState icon={<Network size={28} />} title="No accounts yet">
            Junction has no provider and no app connected. Apps appear here as soon as they connect; the provider once Junction is
            started with one (<code>--parent</code>).
          </EmptyState>
        }
      />
      {accounts.length > 0 && (
        <p className="table-note">
          Balances are Junction's view: positive means the other side owes Junction. Packet counts are since Junction started.
        </p>
      )}
    </>
  )
}

function RoutesTable({ routes }: { routes: RouteView[] }) {
  const now = useNow(10_000)
  const columns = useMemo<Column<RouteView>[]>(
    () => [
      { key: 'prefix', header: 'Prefix', sortValue: (r) => r.prefix, cell: (r) => <code>{r.prefix}</code> },
      { key: 'nextHop', header: 'Next hop', sortValue: (r) => r.nextHop, cell: (r) => <code>{r.nextHop}</code> },
      { key: 'source', header: 'Source', sortValue: (r) => r.source, cell: (r) => SOURCE_WORDS[r.source] },
      {
        key: 'path',
        header: 'Path',
        sortValue: (r) => r.path.length,
        cell: (r) =>
          r.path.length === 0 ? (
            <span className="muted">direct</span>
          ) : (
            <span className="route-path">
              {r.path.map((hop, i) => (
                <span key={i}>
                  {i > 0 && <span aria-hidden="true"> → </span>}
                  <code>{hop}</code>
                </span>
              ))}
            </span>
          ),
      },
      {
        key: 'expires',
        header: 'Expires',
        // Never-expiring routes sort after every dated one.
        sortValue: (r) => r.expiresAt ?? Number.MAX_SAFE_INTEGER,
        cell: (r) =>
          r.expiresAt === null ? (
            <span className="muted">never</span>
          ) : (
            <time dateTime={new Date(r.expiresAt).toISOString()} title={absoluteTime(r.expiresAt)}>
              {relativeTime(r.expiresAt, now)}
            </time>
          ),
      },
    ],
    [now],
  )
  return (
    <DataTable
      label="Routes"
      rows={routes}
      columns={columns}
      rowKey={(r) => r.prefix}
      searchText={(r) => `${r.prefix} ${r.nextHop} ${r.path.join(' ')}`}
      searchPlaceholder="Search prefixes and next hops"
      initialSort={{ key: 'prefix', direction: 'asc' }}
      empty={
        <EmptyState icon={<RouteIcon size={28} />} title="No routes yet">
          Junction has no address yet, so it has nothing to route: routes appear once the provider has answered (or, in local mode,
          at start) and as apps connect.
        </EmptyState>
      }
    />
  )
}
