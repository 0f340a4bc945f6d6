// The per-app spend chart of the Overview: every app's spend as stacked areas over the picked range (one colour per
// app, as everywhere), with a legend of exact totals. Also reports the range's points to its parent (top apps).
import { useEffect, useMemo, useState } from 'react'
import type { SeriesResolution, SpendPointView } from '../../../shared/api-types'
import { useApps } from '../store/apps'
import { useAsset } from '../store/status'
import { useCall } from '../store/use-call'
import { AmountChart, seriesTotal, type ChartPoint } from './AmountChart'
import { appColor } from './app-colors'
import { appDisplayName } from './AppLabel'
import { Card } from './Card'
import { rangeInfo, rangeWindow, RESOLUTION_MS, type ChartRange } from './chart-range'
import { EmptyState } from './EmptyState'
import { LoadState } from './LoadState'
import { RangePicker } from './RangePicker'

/** How often the chart is read again while the page is open. */
const REFRESH_MS = 30_000

export function useRangeWindow(range: ChartRange): RangeWindow {
  const [tick, setTick] = useState(0)
  useEffect(() => {
    const t = setInterval(() => setTick((n) => n + 1), REFRESH_MS)
    return () => clearInterval(t)
  }, [])
  // A new window only when the range changes or the refresh ticks, not on every render.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  return useMemo(() => rangeWindow(range, Date.now()), [range, tick])
}

export interface RangeWindow {
  from: number
  to: number
  resolution: SeriesResolution
}

export function SpendChartCard({
  range,
  window,
  onRange,
  onPoints,
}: {
  range: ChartRange
  /** The range as times (useRangeWindow), shared with the cards that list the same range. */
  window: RangeWindow
  onRange: (r: ChartRange) => void
  onPoints?: (p: SpendPointView[] | undefined) => void
}) {
  const call = useCall('ledgerSpendSeries', window)
  const asset = useAsset()
  const apps = useApps((s) => s.apps)
  useEffect(() => onPoints?.(call.data), [call.data, onPoints])

  const points: ChartPoint[] = useMemo(() => (call.data ?? []).map((p) => ({ start: p.start, values: p.spent })), [call.data])
  const series = useMemo(() => {
    const ids = new Set<string>()
    for (const p of points) for (const id of Object.keys(p.values)) ids.add(id)
    return [...ids]
      .map((id) => ({ id, label: appDisplayName(apps?.find((a) => a.id === id), id), color: appColor(id), total: seriesTotal(points, id) }))
      .sort((a, b) => (b.total > a.total ? 1 : b.total < a.total ? -1 : a.id.localeCompare(b.id)))
  }, [points, apps])
  const info = rangeInfo(range)

  return (
    <Card title={`Spend per app — ${info.words}`} actions={<RangePicker value={range} onChange={onRange} />}>
      <LoadState loading={call.loading} error={call.error} onRetry={call.reload} what="the spend chart" ready={call.data !== undefined && asset !== null}>
        {series.length === 0 ? (
          <EmptyState title={`No spending in ${info.words}`}>
            <p>When apps pay through Junction, their spend shows here, one colour per app.</p>
          </EmptyState>
        ) : (
          <>
            <AmountChart
              series={series}
              points={points}
              from={window.from}
              to={window.to}
              step={RESOLUTION_MS[window.resolution]}
              asset={asset!}
              stacked
              label={`Spend per app over ${info.words}, stacked; per ${window.resolution}`}
            />
            <ul className="chart-legend" aria-label="Apps in the chart">
              {series.map((s) => (
                <li key={s.id}>
                  <span className="swatch" style={{ background: s.color }} aria-hidden="true" />
                  {s.label}
                </li>
              ))}
            </ul>
          </>
        )}
      </LoadState>
    </Card>
  )
}
