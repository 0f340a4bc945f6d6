// Hour / Day / Week / Month: a group of toggle buttons (aria-pressed), reachable with Tab like any button.
import { RANGES, type ChartRange } from './chart-range'

export function RangePicker({ value, onChange, label = 'Chart range' }: { value: ChartRange; onChange: (r: ChartRange) => void; label?: string }) {
  return (
    <div className="range-picker" role="group" aria-label={label}>
      {RANGES.map((r) => (
        <button key={r.range} type="button" aria-pressed={r.range === value} onClick={() => onChange(r.range)} title={r.words}>
          {r.label}
        </button>
      ))}
    </div>
  )
}
