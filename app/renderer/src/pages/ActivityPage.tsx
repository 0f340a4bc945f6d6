// Activity: the packets Junction answered, newest first and live — who sent what where, and whether it was fulfilled
// or why it was refused. Filters by app, by result and by destination; a pause holds the list still for reading
// while new packets are kept aside (the store bounds both, store/activity.ts).
import { ArrowDownLeft, ArrowUpRight, Pause, Play, X } from 'lucide-react'
import { useEffect, useId, useMemo, useState } from 'react'
import type { AppView, PacketView } from '../../../shared/api-types'
import { Amount } from '../components/Amount'
import { appDisplayName, AppLabel } from '../components/AppLabel'
import { DataTable, type Column } from '../components/DataTable'
import { EmptyState } from '../components/EmptyState'
import { LoadState } from '../components/LoadState'
import { PageHeader } from '../components/PageHeader'
import { StatusDot } from '../components/StatusDot'
import { useNow } from '../components/use-now'
import { explainReject, rejectWords } from '../format/reject-codes'
import { absoluteTime, timeAgo } from '../format/time'
import { MAX_PACKETS, packetKey, useActivity } from '../store/activity'
import { useApps } from '../store/apps'
import './activity.css'

/** Rows drawn at once: enough to read, few enough to redraw ten times a second. Filters reach the rest. */
const SHOWN_ROWS = 200

type Apps = Record<string, AppView>

type ResultFilter = 'all' | 'fulfilled' | 'rejected' | `code:${string}`

export interface PacketFilter {
  app: string
  result: ResultFilter
  destination: string
}

export function matchesFilter(p: PacketView, f: PacketFilter): boolean {
  if (f.app !== 'all' && p.app !== f.app) return false
  if (f.result === 'fulfilled' && p.result !== 'fulfilled') return false
  if (f.result === 'rejected' && p.result === 'fulfilled') return false
  if (f.result.startsWith('code:') && p.result !== f.result.slice(5)) return false
  const q = f.destination.trim().toLowerCase()
  return q === '' || p.destination.toLowerCase().includes(q)
}

const NO_FILTER: PacketFilter = { app: 'all', result: 'all', destination: '' }

export function ActivityPage() {
  const { status, error, packets, held, paused, reload, setPaused } = useActivity()
  // Names come from the apps store (kept fresh from app events by App); forgotten apps show by id.
  const appList = useApps((s) => s.apps)
  const apps = useMemo<Apps>(() => Object.fromEntries((appList ?? []).map((a) => [a.id, a])), [appList])
  useEffect(() => useActivity.getState().start(), [])
  const [filter, setFilter] = useState<PacketFilter>(NO_FILTER)
  const filtered = useMemo(() => packets.filter((p) => matchesFilter(p, filter)), [packets, filter])
  const filtering = filter.app !== 'all' || filter.result !== 'all' || filter.destination.trim() !== ''

  return (
    <div className="activity-page">
      <PageHeader
        title="Activity"
        description={`Every packet Junction answered, newest first: the last ${MAX_PACKETS} are kept.`}
        actions={
          status === 'ready' && (
            <button type="button" className="button" aria-pressed={paused} onClick={() => setPaused(!paused)}>
              {paused ? <Play aria-hidden="true" size={14} /> : <Pause aria-hidden="true" size={14} />}
              {paused ? `Resume${held.length > 0 ? ` (${held.length} new)` : ''}` : 'Pause list'}
            </button>
          )
        }
      />
      <LoadState what="the recent packets" loading={status === 'idle' || status === 'loading'} error={error} onRetry={() => void reload()} ready={status === 'ready'}>
        {paused && (
          <p className="activity-paused" role="status">
            <Pause aria-hidden="true" size={14} /> The list is paused so you can read it.{' '}
            {held.length === 0
              ? 'No new packets since.'
              : `${held.length} new packet${held.length === 1 ? '' : 's'} arrived since; resume to see them.`}
          </p>
        )}
        {packets.length === 0 ? (
          <EmptyState title="Nothing has moved yet">
            <p>
              Packets show up here the moment an app connected to Junction pays or is paid: when it was, which app, where it went, how
              much, and whether it arrived.
            </p>
            <p>
              No app yet? <a href="#/apps">Connect one on the Apps page.</a>
            </p>
          </EmptyState>
        ) : (
          <>
            <Filters packets={packets} apps={apps} filter={filter} onChange={setFilter} />
            <p className="activity-count" aria-live="polite">
              {filtering ? `${filtered.length} of ${packets.length} packets match.` : `${packets.length} packet${packets.length === 1 ? '' : 's'}.`}
              {filtered.length > SHOWN_ROWS && ` The newest ${SHOWN_ROWS} are shown; filter to see others.`}
            </p>
            {filtered.length === 0 ? (
              <div className="activity-no-match" role="status">
                <p>No packets match these filters.</p>
                <button type="button" className="button" onClick={() => setFilter(NO_FILTER)}>
                  Clear filters
                </button>
              </div>
            ) : (
              <PacketTable packets={filtered.slice(0, SHOWN_ROWS)} apps={apps} />
            )}
          </>
        )}
      </LoadState>
    </div>
  )
}

function Filters({
  packets,
  apps,
  filter,
  onChange,
}: {
  packets: PacketView[]
  apps: Apps
  filter: PacketFilter
  onChange: (f: PacketFilter) => void
}) {
  const appId = useId()
  const resultId = useId()
  const destId = useId()
  // Choices come from the list itself (plus the current one, so a filter never points at nothing).
  const appIds = useMemo(() => {
    const ids = new Set(packets.map((p) => p.app))
    if (filter.app !== 'all') ids.add(filter.app)
    return [...ids].sort((a, b) => appName(a, apps).localeCompare(appName(b, apps)))
  }, [packets, apps, filter.app])
  const codes = useMemo(() => {
    const set = new Set(packets.filter((p) => p.result !== 'fulfilled').map((p) => p.result))
    if (filter.result.startsWith('code:')) set.add(filter.result.slice(5))
    return [...set].sort()
  }, [packets, filter.result])
  return (
    <div className="activity-filters" role="search" aria-label="Filter packets">
      <div className="activity-filter">
        <label htmlFor={appId}>App</label>
        <select id={appId} className="input" value={filter.app} onChange={(e) => onChange({ ...filter, app: e.target.value })}>
          <option value="all">All apps</option>
          {appIds.map((id) => (
            <option key={id} value={id}>
              {appName(id, apps)}
            </option>
          ))}
        </select>
      </div>
      <div className="activity-filter">
        <label htmlFor={resultId}>Result</label>
        <select id={resultId} className="input" value={filter.result} onChange={(e) => onChange({ ...filter, result: e.target.value as ResultFilter })}>
          <option value="all">All results</option>
          <option value="fulfilled">Fulfilled</option>
          <option value="rejected">Rejected (any code)</option>
          {codes.map((code) => (
            <option key={code} value={`code:${code}`}>
              {explainReject(code)}
            </option>
          ))}
        </select>
      </div>
      <div className="activity-filter activity-filter-grow">
        <label htmlFor={destId}>Destination</label>
        <div className="activity-search">
          <input
            id={destId}
            className="input"
            type="search"
            placeholder="e.g. g.ilsp.merchant"
            autoComplete="off"
            spellCheck={false}
            value={filter.destination}
            onChange={(e) => onChange({ ...filter, destination: e.target.value })}
          />
          {filter.destination && (
            <button type="button" className="button ghost small" aria-label="Clear the destination search" onClick={() => onChange({ ...filter, destination: '' })}>
              <X aria-hidden="true" size={14} />
            </button>
          )}
        </div>
      </div>
    </div>
  )
}

function appName(id: string, apps: Apps): string {
  if (id === 'parent') return 'Provider'
  return appDisplayName(apps[id], id)
}

function PacketTable({ packets, apps }: { packets: PacketView[]; apps: Apps }) {
  // One clock for every row's "2 min ago" rather than a timer per row.
  const now = useNow(5000)
  const columns = useMemo<Column<PacketView>[]>(
    () => [
      {
        key: 'time',
        header: 'Time',
        sortValue: (p) => p.time,
        cell: (p) => (
          <time dateTime={new Date(p.time).toISOString()} title={absoluteTime(p.time)}>
            {timeAgo(p.time, now)}
          </time>
        ),
      },
      {
        key: 'app',
        header: 'App',
        sortValue: (p) => appName(p.app, apps),
        cell: (p) =>
          p.app === 'parent' ? (
            <span className="muted">Provider</span>
          ) : (
            <span className="activity-app">
              {p.direction === 'out' ? (
                <ArrowUpRight aria-hidden="true" size={14} className="activity-dir out" />
              ) : (
                <ArrowDownLeft aria-hidden="true" size={14} className="activity-dir in" />
              )}
              <AppLabel id={p.app} app={apps[p.app]} />
              <span className="visually-hidden">{p.direction === 'out' ? ' paid' : ' was paid'}</span>
            </span>
          ),
      },
      {
        key: 'destination',
        header: 'Destination',
        sortValue: (p) => p.destination,
        cell: (p) => (
          <code className="activity-destination" title={p.destination}>
            {p.destination}
          </code>
        ),
      },
      {
        key: 'amount',
        header: 'Amount',
        align: 'right',
        sortValue: (p) => BigInt(p.amount),
        cell: (p) => <Amount units={p.amount} />,
      },
      {
        key: 'result',
        header: 'Result',
        sortValue: (p) => p.result,
        cell: (p) => <Result packet={p} />,
      },
    ],
    [apps, now],
  )
  return (
    <DataTable
      label="Packets"
      rows={packets}
      columns={columns}
      rowKey={packetKey}
      initialSort={{ key: 'time', direction: 'desc' }}
      maxRows={SHOWN_ROWS}
      rowClassName={(p) => (p.result === 'fulfilled' ? undefined : 'activity-rejected')}
    />
  )
}

function Result({ packet }: { packet: PacketView }) {
  if (packet.result === 'fulfilled') return <StatusDot tone="ok" label="Fulfilled" />
  return (
    <span className="activity-reject" title={packet.message ? `${explainReject(packet.result)}\nMessage: ${packet.message}` : explainReject(packet.result)}>
      <StatusDot tone="bad" label={`Rejected ${packet.result}`} />
      <span className="activity-reject-words">{rejectWords(packet.result)}</span>
      {packet.message && <span className="activity-reject-message">“{packet.message}”</span>}
    </span>
  )
}
