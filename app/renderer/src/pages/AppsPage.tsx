// Apps: every app Junction knows — status, address, connected or not, spend today / 7 days / all time, budget — with
// its actions. Apps waiting for approval come first and stand out; an empty list teaches how to connect one.
import { AppWindow, Plus } from 'lucide-react'
import { useState } from 'react'
import type { AppView } from '../../../shared/api-types'
import { Amount } from '../components/Amount'
import { AppActions } from '../components/app-actions'
import { AppLabel, appDisplayName } from '../components/AppLabel'
import { Banner } from '../components/Banner'
import { BudgetBar, budgetLevel, budgetPercent } from '../components/BudgetBar'
import { CopyButton } from '../components/CopyButton'
import { DataTable, type Column } from '../components/DataTable'
import { EmptyState } from '../components/EmptyState'
import { LoadState } from '../components/LoadState'
import { PageHeader } from '../components/PageHeader'
import { RelativeTime } from '../components/RelativeTime'
import { StatusDot, type Tone } from '../components/StatusDot'
import { useApps } from '../store/apps'
import { useLedger, type LedgerTotals } from '../store/ledger'
import { useStatus } from '../store/status'
import { ConnectAppDialog, credentialsSnippet } from './ConnectAppDialog'

export const APP_STATUS_WORDS: Record<AppView['status'], { tone: Tone; label: string }> = {
  approved: { tone: 'ok', label: 'Approved' },
  pending: { tone: 'warn', label: 'Waiting for approval' },
  blocked: { tone: 'bad', label: 'Blocked' },
}

const spentIn = (totals: LedgerTotals | null, window: 'today' | 'week' | 'all', id: string) => totals?.[window][id]?.spent.amountApp ?? (totals ? '0' : null)

export function AppsPage() {
  const apps = useApps((s) => s.apps)
  const error = useApps((s) => s.error)
  const loading = useApps((s) => s.loading)
  const load = useApps((s) => s.load)
  const warnings = useApps((s) => s.warnings)
  const totals = useLedger((s) => s.totals)
  const [connecting, setConnecting] = useState(false)

  const pending = apps?.filter((a) => a.status === 'pending') ?? []
  const nearBudget = apps?.filter((a) => warnings[a.id] || budgetLevel(a.budget) === 'near' || budgetLevel(a.budget) === 'reached') ?? []

  const columns: Column<AppView>[] = [
    {
      key: 'name',
      header: 'App',
      cell: (a) => (
        <span className="title-row">
          <AppLabel id={a.id} app={a} />
          {!a.named && <span className="badge" title="Connected without a name: a new app every run">unnamed</span>}
        </span>
      ),
      sortValue: (a) => appDisplayName(a),
    },
    {
      key: 'status',
      header: 'Status',
      // Access and link in one cell: approved/pending/blocked, then connected or when last seen.
      cell: (a) => (
        <span className="two-line">
          <StatusDot {...APP_STATUS_WORDS[a.status]} />
          {a.connected ? (
            <StatusDot tone="ok" label="Connected" className="small" />
          ) : (
            <span className="small">
              <StatusDot tone="off" label="Offline" /> <span className="muted">· seen <RelativeTime time={a.lastSeenAt} /></span>
            </span>
          )}
        </span>
      ),
      // Pending first when sorted ascending, then connected before offline.
      sortValue: (a) => ({ pending: 0, approved: 2, blocked: 4 })[a.status] + (a.connected ? 0 : 1),
    },
    { key: 'address', header: 'Address', cell: (a) =>
        a.address ? (
          <code className="truncate narrow" title={a.address}>
            {a.address}
          </code>
        ) : (
          <span className="muted">none yet</span>
        ), sortValue: (a) => a.address },
    {
      key: 'today',
      header: 'Spent today',
      align: 'right',
      cell: (a) => <Amount units={spentIn(totals, 'today', a.id)} />,
      sortValue: (a) => BigInt(spentIn(totals, 'today', a.id) ?? '0'),
    },
    {
      key: 'week',
      header: 'Last 7 days',
      align: 'right',
      cell: (a) => <Amount units={spentIn(totals, 'week', a.id)} />,
      sortValue: (a) => BigInt(spentIn(totals, 'week', a.id) ?? '0'),
    },
    {
      key: 'all',
      header: 'All time',
      align: 'right',
      cell: (a) => <Amount units={spentIn(totals, 'all', a.id)} />,
      sortValue: (a) => BigInt(spentIn(totals, 'all', a.id) ?? '0'),
    },
    { key: 'budget', header: 'Budget', cell: (a) => <BudgetBar budget={a.budget} compact />, sortValue: (a) => (a.budget ? budgetPercent(a.budget) : -1) },
    { key: 'actions', header: <span className="visually-hidden">Actions</span>, cell: (a) => <AppActions app={a} compact /> },
  ]

  return (
    <>
      <PageHeader
        title="Apps"
        description="Every app that pays through Junction, what it spent, and what it may spend."
        actions={
          <button type="button" className="button primary" onClick={() => setConnecting(true)}>
            <Plus size={14} aria-hidden="true" /> Connect an app
          </button>
        }
      />
      <LoadState loading={loading} error={error} onRetry={load} what="the apps" ready={apps !== null}>
        {pending.length > 0 && (
          <Banner kind="warn">
            {pending.length === 1
              ? `${appDisplayName(pending[0])} waits for your approval: its payments are refused until you approve it.`
              : `${pending.length} apps wait for your approval: their payments are refused until you approve them.`}
          </Banner>
        )}
        {nearBudget.map((a) => (
          <Banner key={a.id} kind="warn">
            {appDisplayName(a)} has used {a.budget ? `${budgetPercent(a.budget)} %` : 'most'} of its budget
            {budgetLevel(a.budget) === 'reached' || warnings[a.id] === 'reached' ? ': its payments are refused until the period ends or you raise it.' : '.'}
          </Banner>
        ))}
        <DataTable
          label="Apps"
          rows={apps ?? []}
          columns={columns}
          rowKey={(a) => a.id}
          searchText={(a) => `${appDisplayName(a)} ${a.id} ${a.address ?? ''}`}
          searchPlaceholder="Search by name, id or address"
          initialSort={{ key: 'status', direction: 'asc' }}
          rowClassName={(a) => (a.status === 'pending' ? 'row-pending' : undefined)}
          empty={<NoAppsYet onConnect={() => setConnecting(true)} />}
        />
      </LoadState>
      {connecting && <ConnectAppDialog onClose={() => setConnecting(false)} />}
    </>
  )
}

function NoAppsYet({ onConnect }: { onConnect: () => void }) {
  const port = useStatus((s) => s.status?.appPort ?? 7768)
  const url = `btp+ws://my-app:any-secret@127.0.0.1:${port}`
  return (
    <EmptyState
      icon={<AppWindow size={32} />}
      title="No apps yet"
      action={
        <button type="button" className="button primary" onClick={onConnect}>
          <Plus size={14} aria-hidden="true" /> Connect an app
        </button>
      }
    >
      <p>Apps pay through Junction by connecting to it over BTP. Either create a token for an app here (Connect an app), or point any ILP app at:</p>
      <div className="snippet">
        <code>{url}</code>
        <CopyButton text={url} label="Copy URL" />
      </div>
      <p>
        For apps using <code>ilp-plugin</code>, start them with:
      </p>
      <div className="snippet">
        <code>{credentialsSnippet(url)}</code>
        <CopyButton text={credentialsSnippet(url)} label="Copy snippet" />
      </div>
      <p>The app appears here when it connects; depending on your new-app setting, it may wait for your approval first.</p>
    </EmptyState>
  )
}
