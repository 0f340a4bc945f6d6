// An app's budget this period as a bar with words: "0.8 of 1 XRP this week — 80 %". At 80 % it turns to a warning,
// at 100 % to "reached"; the words say so too.
import type { AppBudgetView } from '../../../shared/api-types'
import { Amount } from './Amount'

/** Used share of the budget in whole percent (spent + in flight), exact up to the rounding of the last digit. */
export function budgetPercent(budget: Pick<AppBudgetView, 'amount' | 'spent' | 'inFlight'>): number {
  const amount = BigInt(budget.amount)
  if (amount <= 0n) return 100
  const used = BigInt(budget.spent) + BigInt(budget.inFlight)
  return Number((used * 100n) / amount)
}

export function budgetLevel(budget: AppBudgetView | null): 'none' | 'ok' | 'near' | 'reached' {
  if (!budget) return 'none'
  const p = budgetPercent(budget)
  return p >= 100 ? 'reached' : p >= 80 ? 'near' : 'ok'
}

const PERIOD_WORDS = { day: 'today', week: 'this week', month: 'this month' } as const
const PER_PERIOD = { day: 'a day', week: 'a week', month: 'a month' } as const

export function BudgetBar({ budget, compact }: { budget: AppBudgetView | null; compact?: boolean }) {
  if (!budget) return <span className="muted">No budget</span>
  const percent = budgetPercent(budget)
  const level = budgetLevel(budget)
  const words = level === 'reached' ? 'reached' : level === 'near' ? 'near the limit' : ''
  return (
    <div className={`budget budget-${level}${compact ? ' compact' : ''}`}>
      <div
        className="budget-track"
        role="meter"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.min(percent, 100)}
        aria-label={`Budget used ${PERIOD_WORDS[budget.period]}`}
      >
        <div className="budget-fill" style={{ width: `${Math.min(percent, 100)}%` }} />
      </div>
      {compact ? (
        <div className="budget-text">
          {percent} % of <Amount units={budget.amount} /> {PER_PERIOD[budget.period]}
          {words && <strong className="budget-words"> ({words})</strong>}
        </div>
      ) : (
        <div className="budget-text">
          <Amount units={budget.spent} /> of <Amount units={budget.amount} /> {PERIOD_WORDS[budget.period]} — {percent} %
          {words && <strong className="budget-words"> ({words})</strong>}
        </div>
      )}
    </div>
  )
}
