// One app as the engine holds it while running: its stored record (status, name, budget, limits) and what it spent
// in the current day, week and month, kept in memory so the budget check on each packet costs a few comparisons.
// The budget middleware (pipeline/budget.ts) reads it through `account.app`; the app registry changes it.
import type { AppBudget, AppStatus, BudgetPeriod } from './app-policy'
import { PERIODS, periodBounds } from './budget-period'

export interface PeriodSpend {
  /** Unix ms: the calendar period this sum is for. */
  start: number
  end: number
  /** Committed (fulfilled) spending in this period, app's units. */
  spent: bigint
}

export interface AppSpend {
  day: PeriodSpend
  week: PeriodSpend
  month: PeriodSpend
  /** Outgoing prepares of the app not yet answered: they count against its budget until rejected. */
  inFlight: bigint
  /** The earliest period end: from then on the sums must be rolled over before use. */
  rollsAt: number
  /** Unix ms of the last packet refused for the budget (0 = none): the budget warning says "reached" from it. */
  budgetRefusedAt: number
}

export interface AppState {
  readonly id: string
  displayName: string | null
  status: AppStatus
  readonly named: boolean
  tokenHash: Buffer | null
  readonly createdAt: number
  lastSeenAt: number | null
  budget: AppBudget | null
  maxPacketAmount: bigint | null
  maxPacketsPerSecond: number | null
  readonly spend: AppSpend
}

/** Spending counters for the periods containing `now`, starting from what the ledger says was spent in them. */
export function newSpend(now: number, spent: Record<BudgetPeriod, bigint> = { day: 0n, week: 0n, month: 0n }): AppSpend {
  const day = { ...periodBounds('day', now), spent: spent.day }
  const week = { ...periodBounds('week', now), spent: spent.week }
  const month = { ...periodBounds('month', now), spent: spent.month }
  return { day, week, month, inFlight: 0n, rollsAt: Math.min(day.end, week.end, month.end), budgetRefusedAt: 0 }
}

/** The periods' starts for `now` (what to ask the ledger for). */
export function periodStarts(now: number): Record<BudgetPeriod, number> {
  return { day: periodBounds('day', now).start, week: periodBounds('week', now).start, month: periodBounds('month', now).start }
}

/** Starts a new period, from zero, for every period that has ended by `now`. */
export function rollSpend(spend: AppSpend, now: number): void {
  if (now < spend.rollsAt) return
  let rollsAt = Infinity
  for (const p of PERIODS) {
    const period = spend[p]
    if (now >= period.end) {
      const bounds = periodBounds(p, now)
      period.start = bounds.start
      period.end = bounds.end
      period.spent = 0n
    }
    if (period.end < rollsAt) rollsAt = period.end
  }
  spend.rollsAt = rollsAt
}

/** Counts a fulfilled amount in the periods containing `now`. */
export function addSpent(spend: AppSpend, amount: bigint, now: number): void {
  rollSpend(spend, now)
  spend.day.spent += amount
  spend.week.spent += amount
  spend.month.spent += amount
}
