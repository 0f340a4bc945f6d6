// One app (#/apps/<id>): its name (editable), address, status and actions at the top; its budget and totals; its
// chart of spent and earned over a picked range; where its money went; its latest packets.
import { ArrowLeft, Pencil } from 'lucide-react'
import { useState } from 'react'
import type { AppView } from '../../../shared/api-types'
import { Amount } from '../components/Amount'
import { AmountChart } from '../components/AmountChart'
import { AppActions, BudgetDialog, RenameDialog, backToApps } from '../components/app-actions'
import { appColor } from '../components/app-colors'
import { appDisplayName } from '../components/AppLabel'
import { Banner } from '../components/Banner'
import { BudgetBar, budgetLevel } from '../components/BudgetBar'
import { Card } from '../components/Card'
import { rangeInfo, RESOLUTION_MS, type ChartRange } from '../components/chart-range'
import { CopyButton } from '../components/CopyButton'
import { DataTable } from '../components/DataTable'
import { EmptyState } from '../components/EmptyState'
import { LoadState } from '../components/LoadState'
import { RangePicker } from '../components/RangePicker'
import { RelativeTime } from '../components/RelativeTime'
import { useRangeWindow, type RangeWindow } from '../components/SpendChartCard'
import { StatusDot } from '../components/StatusDot'
import { explainReject } from '../format/reject-codes'
import { useApp, useApps } from '../store/apps'
import { useLedger } from '../store/ledger'
import { useAsset } from '../store/status'
import { useCall } from '../store/use-call'
import { APP_STATUS_WORDS } from './AppsPage'

export function AppPage({ id }: { id: string }) {
  const app = useApp(id)
  const apps = useApps((s) => s.apps)
  const error = useApps((s) => s.error)
  const loading = useApps((s) => s.loading)
  const load = useApps((s) => s.load)
  return (
    <>
      <a className="back-link" href="#/apps">
        <ArrowLeft size={14} aria-hidden="true" /> All apps
      </a>
      <LoadState loading={loading} error={error} onRetry={load} what="the app" ready={apps !== null}>
        {app ? (
          <AppDetails app={app} />
        ) : (
          <EmptyState title="No such app" action={<a className="button" href="#/apps">Back to the apps</a>}>
            <p>
              Junction does not know an app <code>{id}</code>: it may have been forgotten. Its ledger history, if any, stays in the totals.
            </p>
          </EmptyState>
        )}
      </LoadState>
    </>
  )
}

function AppDetails({ app }: { app: AppView }) {
  const [renaming, setRenaming] = useState(false)
  const [budgeting, setBudgeting] = useState(false)
  const [range, setRange] = useState<ChartRange>('day')
  const window = useRangeWindow(range)
  const warned = useApps((s) => s.warnings[app.id])
  const totals = useLedger((s) => s.totals)
  const name = appDisplayName(app)
  const level = budgetLevel(app.budget)
  return (
    <>
      <header className="page-header">
        <div>
          <div className="title-row">
            <span className="swatch large" style={{ background: appColor(app.id) }} aria-hidden="true" />
            <h1 className="page-title">{name}</h1>
            <button type="button" className="button ghost small" onClick={() => setRenaming(true)} aria-label={`Edit the name of ${name}`}>
              <Pencil size={14} aria-hidden="true" /> Edit name
            </button>
          </div>
          <p className="page-description title-row">
            <StatusDot {...APP_STATUS_WORDS[app.status]} />
            {app.connected ? <StatusDot tone="ok" label="Connected" /> : <StatusDot tone="off" label="Offline" />}
            {app.address && (
              <span className="strip-address">
                <code>{app.address}</code>
                <CopyButton text={app.address} label="Copy address" />
              </span>
            )}
          </p>
        </div>
        <div className="page-actions">
          <AppActions app={app} afterForget={backToApps} />
        </div>
      </header>

      {app.status === 'pending' && <Banner kind="warn">{name} waits for your approval: its payments are refused until you approve it.</Banner>}
      {app.status === 'blocked' && <Banner kind="error">{name} is blocked: it is refused at every connection until you approve it again.</Banner>}
      {(level === 'near' || level === 'reached' || warned) && (
        <Banner kind="warn" action={<button type="button" className="button small" onClick={() => setBudgeting(true)}>Change budget</button>}>
          {level === 'reached' || warned === 'reached'
            ? `${name} has used its whole budget: its payments are refused (T04) until the period ends or you raise it.`
            : `${name} has used over 80 % of its budget.`}
        </Banner>
      )}

      <div className="two-columns">
        <Card title="Details">
          <dl className="details">
            <dt>App id</dt>
            <dd>
              <code>{app.id}</code>
            </dd>
            <dt>Address</dt>
            <dd>{app.address ? <code>{app.address}</code> : <span className="muted">none until Junction has its own address</span>}</dd>
            <dt>Last seen</dt>
            <dd>{app.connected ? 'now' : <RelativeTime time={app.lastSeenAt} />}</dd>
            <dt>First seen</dt>
            <dd>
              <RelativeTime time={app.createdAt} />
            </dd>
            <dt>Balance</dt>
            <dd>
              <Amount units={app.balance} signed /> <span className="muted">(positive: it spent more than it earned)</span>
            </dd>
            <dt>Max per packet</dt>
            <dd>{app.limits.maxPacketAmount ? <Amount units={app.limits.maxPacketAmount} /> : <span className="muted">Junction's default</span>}</dd>
            <dt>Max packets/s</dt>
            <dd>{app.limits.maxPacketsPerSecond ?? <span className="muted">Junction's default</span>}</dd>
            <dt>Token</dt>
            <dd>{app.registered ? 'Registered with a token' : app.named ? 'Connects with its own secret' : 'Unnamed: a new app every run'}</dd>
          </dl>
        </Card>
        <Card
          title="Budget and spend"
          actions={
            <button type="button" className="button small" onClick={() => setBudgeting(true)}>
              {app.budget ? 'Change budget' : 'Set a budget'}
            </button>
          }
        >
          <BudgetBar budget={app.budget} />
          <dl className="details spaced">
            <dt>Spent today</dt>
            <dd>
              <Amount units={totals ? (totals.today[app.id]?.spent.amountApp ?? '0') : app.spent.day} />
            </dd>
            <dt>Last 7 days</dt>
            <dd>
              <Amount units={totals ? (totals.week[app.id]?.spent.amountApp ?? '0') : null} />
            </dd>
            <dt>All time</dt>
            <dd>
              <Amount units={totals ? (totals.all[app.id]?.spent.amountApp ?? '0') : null} />
            </dd>
            <dt>Earned, all time</dt>
            <dd>
              <Amount units={totals ? (totals.all[app.id]?.earned.amountApp ?? '0') : null} />
            </dd>
          </dl>
        </Card>
      </div>

      <div className="stack spaced">
        <AppChart id={app.id} range={range} window={window} onRange={setRange} />
        <AppDestinations id={app.id} range={range} window={window} />
        <AppPackets id={app.id} />
      </div>

      {renaming && <RenameDialog app={app} onClose={() => setRenaming(false)} />}
      {budgeting && <BudgetDialog app={app} onClose={() => setBudgeting(false)} />}
    </>
  )
}

function AppChart({ id, range, window, onRange }: { id: string; range: ChartRange; window: RangeWindow; onRange: (r: ChartRange) => void }) {
  const call = useCall('ledgerSeries', { id, ...window })
  const asset = useAsset()
  const info = rangeInfo(range)
  const points = (call.data ?? []).map((p) => ({ start: p.start, values: { spent: p.spent.amountApp, earned: p.earned.amountApp } }))
  const any = points.some((p) => p.values.spent !== '0' || p.values.earned !== '0')
  return (
    <Card title={`Spent and earned — ${info.words}`} actions={<RangePicker value={range} onChange={onRange} />}>
      <LoadState loading={call.loading} error={call.error} onRetry={call.reload} what="the chart" ready={call.data !== undefined && asset !== null}>
        {!any ? (
          <EmptyState title={`Nothing spent or earned in ${info.words}`} />
        ) : (
          <>
            <AmountChart
              series={[
                { id: 'spent', label: 'Spent', color: appColor(id) },
                { id: 'earned', label: 'Earned', color: 'var(--ok)' },
              ]}
              points={points}
              from={window.from}
              to={window.to}
              step={RESOLUTION_MS[window.resolution]}
              asset={asset!}
              label={`Spent and earned over ${info.words}, per ${window.resolution}`}
            />
            <ul className="chart-legend" aria-label="Lines in the chart">
              <li>
                <span className="swatch" style={{ background: appColor(id) }} aria-hidden="true" />
                Spent
              </li>
              <li>
                <span className="swatch" style={{ background: 'var(--ok)' }} aria-hidden="true" />
                Earned
              </li>
            </ul>
          </>
        )}
      </LoadState>
    </Card>
  )
}

function AppDestinations({ id, range, window }: { id: string; range: ChartRange; window: RangeWindow }) {
  const call = useCall('ledgerTopDestinations', { id, from: window.from, to: window.to, limit: 10 })
  return (
    <Card title={`Where its money went — ${rangeInfo(range).words}`}>
      <LoadState loading={call.loading} error={call.error} onRetry={call.reload} what="the destinations" ready={call.data !== undefined}>
        <DataTable
          label="Destinations"
          rows={call.data ?? []}
          rowKey={(d) => d.prefix}
          initialSort={{ key: 'amount', direction: 'desc' }}
          columns={[
            { key: 'prefix', header: 'Destination', cell: (d) => <code>{d.prefix}</code>, sortValue: (d) => d.prefix },
            { key: 'packets', header: 'Packets', align: 'right', cell: (d) => <span className="amount">{Number(d.packets).toLocaleString()}</span>, sortValue: (d) => BigInt(d.packets) },
            { key: 'amount', header: 'Amount', align: 'right', cell: (d) => <Amount units={d.amountApp} />, sortValue: (d) => BigInt(d.amountApp) },
          ]}
          empty={<EmptyState title="No payments out in this range" />}
        />
      </LoadState>
    </Card>
  )
}

function AppPackets({ id }: { id: string }) {
  const call = useCall('recentPackets', { limit: 200 })
  const mine = (call.data ?? []).filter((p) => p.app === id).slice(0, 10)
  return (
    <Card title="Latest packets" actions={<a className="button small" href="#/activity">All activity</a>}>
      <LoadState loading={call.loading} error={call.error} onRetry={call.reload} what="the packets" ready={call.data !== undefined}>
        <DataTable
          label="Latest packets"
          rows={mine}
          rowKey={(p) => String(p.seq)}
          columns={[
            { key: 'time', header: 'When', cell: (p) => <RelativeTime time={p.time} /> },
            { key: 'dir', header: 'Way', cell: (p) => (p.direction === 'out' ? 'Paid' : 'Received') },
            {
              key: 'dest',
              header: 'Destination',
              cell: (p) => (
                <code className="truncate" title={p.destination}>
                  {p.destination}
                </code>
              ),
            },
            { key: 'amount', header: 'Amount', align: 'right', cell: (p) => <Amount units={p.amount} /> },
            {
              key: 'result',
              header: 'Result',
              cell: (p) => (p.result === 'fulfilled' ? <StatusDot tone="ok" label="Fulfilled" /> : <span title={p.message}><StatusDot tone="bad" label={explainReject(p.result)} /></span>),
            },
          ]}
          empty={<EmptyState title="No recent packets from this app" />}
        />
      </LoadState>
    </Card>
  )
}
