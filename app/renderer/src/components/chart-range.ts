// The chart ranges people pick (last hour, day, week, month) and the bucket size each is drawn at: fine enough to
// see bursts, coarse enough to stay a few hundred points.
import type { SeriesResolution } from '../../../shared/api-types'
import { DURATION } from '../format/time'

export type ChartRange = 'hour' | 'day' | 'week' | 'month'

export const RANGES: { range: ChartRange; label: string; words: string; span: number; resolution: SeriesResolution }[] = [
  { range: 'hour', label: 'Hour', words: 'the last hour', span: DURATION.HOUR, resolution: 'minute' },
  // Hours, not minutes: 1440 minute points make a day of sparse payments a row of invisible spikes.
  { range: 'day', label: 'Day', words: 'the last 24 hours', span: DURATION.DAY, resolution: 'hour' },
  { range: 'week', label: 'Week', words: 'the last 7 days', span: 7 * DURATION.DAY, resolution: 'hour' },
  { range: 'month', label: 'Month', words: 'the last 30 days', span: 30 * DURATION.DAY, resolution: 'day' },
]

export const RESOLUTION_MS: Record<SeriesResolution, number> = { minute: DURATION.MINUTE, hour: DURATION.HOUR, day: DURATION.DAY }

export function rangeInfo(range: ChartRange) {
  return RANGES.find((r) => r.range === range)!
}

/** The [from, to) window of a range ending now, from aligned to the bucket size so the first bucket is whole. */
export function rangeWindow(range: ChartRange, now: number): { from: number; to: number; resolution: SeriesResolution } {
  const info = rangeInfo(range)
  const step = RESOLUTION_MS[info.resolution]
  // Day buckets follow the engine's calendar; aligning to the step is only a hint there, so keep the plain span.
  const from = info.resolution === 'day' ? now - info.span : Math.floor((now - info.span) / step) * step
  return { from, to: now + 1, resolution: info.resolution }
}
