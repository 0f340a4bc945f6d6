// Budget periods are calendar periods in local time, the way a person reads "per day": the period containing now
// begins at local midnight (day), local Monday 00:00 (week) or the 1st of the month 00:00 (month), and ends where the
// next one begins. Daylight-saving days are 23 or 25 hours long; JavaScript's local Date arithmetic handles that.
import type { BudgetPeriod } from './app-policy'

export interface PeriodBounds {
  /** Unix ms of the period's first instant (local midnight). */
  start: number
  /** Unix ms of the next period's start. */
  end: number
}

/** The calendar period of kind `period` that contains `now` (Unix ms), in the process's local time zone. */
export function periodBounds(period: BudgetPeriod, now: number): PeriodBounds {
  const d = new Date(now)
  const y = d.getFullYear()
  const m = d.getMonth()
  const day = d.getDate()
  switch (period) {
    case 'day':
      return { start: localMidnight(y, m, day), end: localMidnight(y, m, day + 1) }
    case 'week': {
      // getDay(): 0 = Sunday. Weeks start on Monday (ISO 8601).
      const sinceMonday = (d.getDay() + 6) % 7
      return { start: localMidnight(y, m, day - sinceMonday), end: localMidnight(y, m, day - sinceMonday + 7) }
    }
    case 'month':
      return { start: localMidnight(y, m, 1), end: localMidnight(y, m + 1, 1) }
  }
}

/**
 * 00:00 local time of the given day (out-of-range days and months roll over, as Date does). Where a DST change skips
 * midnight, Date gives the first existing instant of that day.
 */
function localMidnight(year: number, month: number, day: number): number {
  return new Date(year, month, day, 0, 0, 0, 0).getTime()
}

export const PERIODS: readonly BudgetPeriod[] = ['day', 'week', 'month']
