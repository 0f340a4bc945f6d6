// Settlements: for every account, where its balance stands between its limits and what happens when it reaches one
// (packets refused), with the room left on each side. Settling balances (thresholds, history) comes in a later version;
// the page says so rather than offering buttons that do nothing.
import { Info, Scale } from 'lucide-react'
import { useEffect, useMemo } from 'react'
import type { AccountView } from '../../../shared/api-types'
import { Amount } from '../components/Amount'
import { Card } from '../components/Card'
import { DataTable, type Column } from '../components/DataTable'
import { EmptyState } from '../components/EmptyState'
import { LoadState } from '../components/LoadState'
import { PageHeader } from '../components/PageHeader'
import { useNetwork } from '../store/network'
import { accountName, RELATION_RANK, RELATION_WORDS } from './account-words'
import { BalanceBar, balancePosition } from './BalanceBar'
import './settlements.css'

export function SettlementsPage() {
  const accounts = useNetwork((s) => s.accounts)
  const loadAccounts = useNetwork((s) => s.loadAccounts)
  useEffect(() => useNetwork.getState().start(), [])
  return (
    <div className="settlements-page">
      <PageHeader
        title="Settlements"
        description="What each account owes, and how much room is left before its packets are refused."
      />
      <p className="settlements-later" role="note">
        <Info aria-hidden="true" size={14} /> Settling balances — thresholds that trigger a settlement, and the history of
        settlements — comes in a later version of Junction. Until then a balance moves only with packets, and an account at a limit
        stays there.
      </p>
      <Card title="Balances against limits">
        <LoadState
          what="the accounts"
          loading={accounts.status === 'idle' || accounts.status === 'loading'}
          error={accounts.error}
          onRetry={() => void loadAccounts()}
          ready={accounts.status === 'ready'}
        >
          <SettlementsTable accounts={accounts.items} />
        </LoadState>
      </Card>
    </div>
  )
}

function LimitCell({ limit, room, name, side }: { limit: string | null; room: bigint | null; name: string; side: 'from' | 'to' }) {
  if (limit === null || room === null) return <span className="muted">no limit: never refused for the balance</span>
  return (
    <div className="settlement-limit">
      <span>
        Packets {side} {name} are refused {side === 'from' ? 'above' : 'below'} <Amount units={limit} />
      </span>
      <span className={room === 0n ? 'settlement-room none' : 'settlement-room'}>
        {room === 0n ? 'no room left' : <>room left: <Amount units={room} /></>}
      </span>
    </div>
  )
}

function SettlementsTable({ accounts }: { accounts: AccountView[] }) {
  const columns = useMemo<Column<AccountView>[]>(
    () => [
      {
        key: 'name',
        header: 'Account',
        sortValue: (a) => RELATION_RANK[a.relation] + ':' + accountName(a),
        cell: (a) => (
          <div className="account-name">
            <span>{accountName(a)}</span>
            <span className="muted">{RELATION_WORDS[a.relation].label}</span>
          </div>
        ),
      },
      {
        key: 'balance',
        header: 'Balance',
        sortValue: (a) => BigInt(a.balance),
        className: 'account-balance',
        cell: (a) => <BalanceBar account={a} name={accountName(a)} />,
      },
      {
        key: 'up',
        header: 'Upper limit (packets from it)',
        sortValue: (a) => balancePosition(a).roomUp,
        cell: (a) => <LimitCell limit={a.maxBalance} room={balancePosition(a).roomUp} name={accountName(a)} side="from" />,
      },
      {
        key: 'down',
        header: 'Lower limit (packets to it)',
        sortValue: (a) => balancePosition(a).roomDown,
        cell: (a) => <LimitCell limit={a.minBalance} room={balancePosition(a).roomDown} name={accountName(a)} side="to" />,
      },
    ],
    [],
  )
  return (
    <>
      <DataTable
        label="Balances against limits"
        rows={accounts}
        columns={columns}
        rowKey={(a) => a.id}
        searchText={(a) => `${a.id} ${a.label ?? ''}`}
        searchPlaceholder="Search accounts"
        initialSort={{ key: 'name', direction: 'asc' }}
        empty={
          <EmptyState icon={<Scale size={28} />} title="No accounts to settle">
            Junction has no provider and no app connected yet. Each account appears here with its balance once it exists.
          </EmptyState>
        }
      />
      {accounts.length > 0 && (
        <p className="table-note">
          Balances are Junction's view: positive means the other side owes Junction. A packet from an account raises its balance; a
          packet to it lowers it.
        </p>
      )}
    </>
  )
}
