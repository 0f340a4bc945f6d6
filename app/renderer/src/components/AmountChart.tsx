// Amounts over time as areas (stacked for the per-app spend, overlaid for one app's spent vs earned). Values become
// numbers for drawing only: the tooltip and every label show the exact amounts kept beside them.
import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import { absoluteTime, tickTime } from '../format/time'
import type { Asset } from '../store/status'
import { Amount } from './Amount'

export interface ChartSeries {
  id: string
  label: string
  color: string
}

export interface ChartPoint {
  start: number
  /** series id → base units (decimal string); missing = 0. */
  values: Record<string, string>
}

interface Row {
  start: number
  /** For drawing. */
  drawn: Record<string, number>
  /** Exact, for the tooltip. */
  exact: Record<string, string>
}

/** Base units → a number in asset units, for the chart's geometry only (may round; never shown as an amount). */
function toDrawn(units: string, scale: number): number {
  return Number(units) / 10 ** scale
}

/** Rows for the chart: the engine's points plus zero points at gaps, so areas fall to 0 where nothing was spent. */
export function chartRows(points: ChartPoint[], series: ChartSeries[], step: number, scale: number): Row[] {
  const sorted = [...points].sort((a, b) => a.start - b.start)
  const rows: Row[] = []
  const zero = (start: number): Row => ({ start, drawn: Object.fromEntries(series.map((s) => [s.id, 0])), exact: {} })
  for (const p of sorted) {
    const prev = rows[rows.length - 1]
    if (prev && p.start - prev.start > step) {
      rows.push(zero(prev.start + step))
      if (p.start - step > prev.start + step) rows.push(zero(p.start - step))
    } else if (!prev) {
      rows.push(zero(p.start - step))
    }
    const drawn: Record<string, number> = {}
    for (const s of series) drawn[s.id] = p.values[s.id] ? toDrawn(p.values[s.id]!, scale) : 0
    rows.push({ start: p.start, drawn, exact: { ...p.values } })
  }
  const last = rows[rows.length - 1]
  if (last && last.exact && Object.keys(last.exact).length > 0) rows.push(zero(last.start + step))
  return rows
}

export interface AmountChartProps {
  series: ChartSeries[]
  points: ChartPoint[]
  from: number
  to: number
  /** Bucket size in ms. */
  step: number
  asset: Asset
  stacked?: boolean
  /** Names the chart for screen readers ("Spend per app over the last hour"). */
  label: string
}

export function AmountChart({ series, points, from, to, step, asset, stacked, label }: AmountChartProps) {
  const rows = chartRows(points, series, step, asset.assetScale)
  const span = to - from
  return (
    <div className="chart" role="img" aria-label={label}>
      <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 600, height: 260 }}>
        <AreaChart data={rows} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
          <CartesianGrid vertical={false} />
          <XAxis dataKey="start" type="number" scale="time" domain={[from, to]} ticks={evenTicks(from, to, 6)} tickFormatter={(t: number) => tickTime(t, span)} minTickGap={40} />
          <YAxis width={72} tickFormatter={(v: number) => axisNumber(v)} />
          <Tooltip content={<ChartTooltip series={series} asset={asset} step={step} />} isAnimationActive={false} />
          {series.map((s) => (
            <Area
              key={s.id}
              type="monotone"
              name={s.label}
              dataKey={(row: Row) => row.drawn[s.id] ?? 0}
              stackId={stacked ? 'spend' : undefined}
              stroke={s.color}
              fill={s.color}
              fillOpacity={stacked ? 0.55 : 0.25}
              strokeWidth={1.5}
              isAnimationActive={false}
              dot={false}
            />
          ))}
        </AreaChart>
      </ResponsiveContainer>
    </div>
  )
}

/** Ticks spread over the whole range (recharts would otherwise place them only where data is). */
function evenTicks(from: number, to: number, count: number): number[] {
  const step = (to - from) / count
  return Array.from({ length: count + 1 }, (_, i) => Math.round(from + i * step))
}

function bucketWords(step: number): string {
  if (step >= 86_400_000) return 'that day'
  if (step >= 3_600_000) return 'that hour'
  return 'that minute'
}

/** Axis ticks are positions on a drawn scale, not amounts of anyone's money: a short number is enough. */
function axisNumber(v: number): string {
  if (v === 0) return '0'
  return v.toLocaleString(undefined, { maximumSignificantDigits: 4 })
}

function ChartTooltip({ active, payload, series, asset, step }: { active?: boolean; payload?: { payload?: Row }[]; series: ChartSeries[]; asset: Asset; step: number }) {
  const row = payload?.[0]?.payload
  if (!active || !row) return null
  const items = series
    .filter((s) => row.exact[s.id] && row.exact[s.id] !== '0')
    .sort((a, b) => (BigInt(row.exact[b.id]!) > BigInt(row.exact[a.id]!) ? 1 : -1))
  return (
    <div className="chart-tooltip">
      <div>
        {absoluteTime(row.start)} <span className="muted">({bucketWords(step)})</span>
      </div>
      {items.length === 0 ? (
        <div className="muted">Nothing in this interval</div>
      ) : (
        <ul>
          {items.map((s) => (
            <li key={s.id}>
              <span className="app-label">
                <span className="swatch" style={{ background: s.color }} aria-hidden="true" />
                {s.label}
              </span>
              <Amount units={row.exact[s.id]} asset={asset} />
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}

/** Exact sum of a series over the points, as text: for legends and "top apps". */
export function seriesTotal(points: ChartPoint[], id: string): bigint {
  let sum = 0n
  for (const p of points) if (p.values[id]) sum += BigInt(p.values[id]!)
  return sum
}

