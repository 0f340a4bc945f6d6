// Overview: am I connected, who is spending my money, is anything wrong. Summary cards (provider balance, spent and
// earned today, packets/s now), warnings before limits bite, the per-app spend chart, then top apps and top
// destinations over the chart's range.
import { Activity, ArrowDownLeft, ArrowUpRight, Wallet } from 'lucide-react'
import { useCallback, useMemo, useState } from 'react'
import type { SpendPointView } from '../../../shared/api-types'
import { Amount } from '../components/Amount'
import { AppLabel, appDisplayName } from '../components/AppLabel'
import { Banner } from '../components/Banner'
import { budgetLevel, budgetPercent } from '../components/BudgetBar'
import { Card, SummaryCard } from '../components/Card'
import { rangeInfo, type ChartRange } from '../components/chart-range'
import { DataTable } from '../components/DataTable'
import { EmptyState } from '../components/EmptyState'
import { LoadState } from '../components/LoadState'
import { PageHeader } from '../components/PageHeader'
import { providerHost, providerLimitWarning } from '../components/provider-words'
import { SpendChartCard, useRangeWindow, type RangeWindow } from '../components/SpendChartCard'
import { useApps } from '../store/apps'
import { sumTotals, useLedger } from '../store/ledger'
import { useStatus } from '../store/status'
import { useCall } from '../store/use-call'

export function OverviewPage() {
  const status = useStatus((s) => s.status)
  const statusError = useStatus((s) => s.error)
  const loadStatus = useStatus((s) => s.load)
  const [range, setRange] = useState<ChartRange>('day')
  const [points, setPoints] = useState<SpendPointView[] | undefined>()
  const onPoints = useCallback((p: SpendPointView[] | undefined) => setPoints(p), [])
  const window = useRangeWindow(range)

  return (
    <>
      <PageHeader title="Overview" description="Your connection, who is spending, and anything that needs you." />
      <LoadState loading={!status && !statusError} error={status ? null : statusError} onRetry={loadStatus} what="Junction's status" ready={status !== null}>
        <Warnings />
        <SummaryCards />
        <SpendChartCard range={range} window={window} onRange={setRange} onPoints={onPoints} />
        <div className="two-columns">
          <TopApps points={points} range={range} />
          <TopDestinations range={range} window={window} />
        </div>
      </LoadState>
    </>
  )
}

function Warnings() {
  const status = useStatus((s) => s.status)!
  const apps = useApps((s) => s.apps)
  const warned = useApps((s) => s.warnings)
  const limit = providerLimitWarning(status.provider)
  const near = (apps ?? []).filter((a) => warned[a.id] || budgetLevel(a.budget) === 'near' || budgetLevel(a.budget) === 'reached')
  const pending = status.apps.pending
  return (
    <>
      {status.paused && <Banner kind="warn">Junction is paused: every app's payments are refused until you resume (top right).</Banner>}
      {limit && (
        <Banner kind={limit.percent >= 100 ? 'error' : 'warn'}>
          {limit.side === 'min' ? (
            <>
              You have used {limit.percent} % of your credit with {providerHost(status.provider.url)} (limit <Amount units={limit.limit} />
              ). When it is used up, payments are refused (T04) until you settle or the provider raises the limit.
            </>
          ) : (
            <>
              {providerHost(status.provider.url)} owes you {limit.percent} % of the most it may (<Amount units={limit.limit} />
              ). Incoming payments stop at the limit until it settles.
            </>
          )}
        </Banner>
      )}
      {pending > 0 && (
        <Banner kind="warn" action={<a className="button small" href="#/apps">Review</a>}>
          {pending === 1 ? 'An app waits' : `${pending} apps wait`} for your approval.
        </Banner>
      )}
      {near.map((a) => (
        <Banner key={a.id} kind="warn" action={<a className="button small" href={`#/apps/${encodeURIComponent(a.id)}`}>Open</a>}>
          {appDisplayName(a)} has used {a.budget ? `${budgetPercent(a.budget)} %` : 'most'} of its budget.
        </Banner>
      ))}
    </>
  )
}

function SummaryCards() {
  const status = useStatus((s) => s.status)!
  const traffic = useStatus((s) => s.traffic)
  const totals = useLedger((s) => s.totals)
  const ledgerError = useLedger((s) => s.error)
  const p = status.provider
  const limit = providerLimitWarning(p)
  const today = (flow: 'spent' | 'earned') => (totals ? <Amount units={sumTotals(totals.today, flow)} /> : ledgerError ? 'unavailable' : '…')
  return (
    <div className="summary-cards">
      <SummaryCard
        label="Balance with provider"
        icon={<Wallet size={14} />}
        tone={limit ? (limit.percent >= 100 ? 'bad' : 'warn') : undefined}
        value={p.configured ? <Amount units={p.balance} signed /> : 'Local mode'}
        hint={
          !p.configured ? (
            'No provider configured'
          ) : p.minBalance !== null && BigInt(p.minBalance) < 0n ? (
            <>
              Credit limit <Amount units={p.minBalance.replace('-', '')} />
              {limit ? ` — ${limit.percent} % used` : ''}
            </>
          ) : (
            balanceWords(p.balance)
          )
        }
      />
      <SummaryCard label="Spent today" icon={<ArrowUpRight size={14} />} value={today('spent')} hint="By all apps, since midnight" />
      <SummaryCard label="Earned today" icon={<ArrowDownLeft size={14} />} value={today('earned')} hint="Paid to your apps, since midnight" />
      <SummaryCard
        label="Packets per second"
        icon={<Activity size={14} />}
        value={<span className="amount">{traffic ? traffic.packetsPerSecond.toLocaleString(undefined, { maximumFractionDigits: 1 }) : '0'}</span>}
        hint={traffic ? `${traffic.fulfilledPerSecond.toLocaleString(undefined, { maximumFractionDigits: 1 })} fulfilled per second` : 'Nothing moving right now'}
      />
    </div>
  )
}

function balanceWords(balance: string | null): string {
  if (balance === null) return 'Not known yet'
  const b = BigInt(balance)
  return b < 0n ? 'You owe the provider this much' : b > 0n ? 'The provider owes you this much' : 'Nothing owed either way'
}

function TopApps({ points, range }: { points: SpendPointView[] | undefined; range: ChartRange }) {
  const apps = useApps((s) => s.apps)
  const rows = useMemo(() => {
    const sums = new Map<string, bigint>()
    for (const p of points ?? []) for (const [id, v] of Object.entries(p.spent)) sums.set(id, (sums.get(id) ?? 0n) + BigInt(v))
    return [...sums].map(([id, spent]) => ({ id, spent })).sort((a, b) => (b.spent > a.spent ? 1 : b.spent < a.spent ? -1 : 0)).slice(0, 5)
  }, [points])
  return (
    <Card title={`Top apps — ${rangeInfo(range).words}`}>
      {points === undefined ? (
        <p className="muted">Waiting for the chart…</p>
      ) : (
        <DataTable
          label="Top apps"
          rows={rows}
          rowKey={(r) => r.id}
          columns={[
            { key: 'app', header: 'App', cell: (r) => <AppLabel id={r.id} app={apps?.find((a) => a.id === r.id)} /> },
            { key: 'spent', header: 'Spent', align: 'right', cell: (r) => <Amount units={r.spent} /> },
          ]}
          empty={<EmptyState title="No app spent anything">{null}</EmptyState>}
        />
      )}
    </Card>
  )
}

function TopDestinations({ range, window }: { range: ChartRange; window: RangeWindow }) {
  const call = useCall('ledgerDestinations', { from: window.from, to: window.to, limit: 5 })
  return (
    <Card title={`Top destinations — ${rangeInfo(range).words}`}>
      <LoadState loading={call.loading} error={call.error} onRetry={call.reload} what="the destinations" ready={call.data !== undefined}>
        <DataTable
          label="Top destinations"
          rows={call.data ?? []}
          rowKey={(d) => d.prefix}
          columns={[
            { key: 'prefix', header: 'Destination', cell: (d) => <code>{d.prefix}</code> },
            { key: 'packets', header: 'Packets', align: 'right', cell: (d) => <span className="amount">{Number(d.packets).toLocaleString()}</span> },
            { key: 'amount', header: 'Amount', align: 'right', cell: (d) => <Amount units={d.amountApp} /> },
          ]}
          empty={<EmptyState title="No payments went out">{null}</EmptyState>}
        />
      </LoadState>
    </Card>
  )
}
