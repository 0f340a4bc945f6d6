// The budget periods as people read them, for every budget form (an app's, the default for new apps).
import type { BudgetPeriod } from '../../../shared/api-types'

export const BUDGET_PERIODS: { value: BudgetPeriod; label: string }[] = [
  { value: 'day', label: 'per day' },
  { value: 'week', label: 'per week' },
  { value: 'month', label: 'per month' },
]

export function budgetPeriodWords(period: BudgetPeriod): string {
  return BUDGET_PERIODS.find((p) => p.value === period)!.label
}
