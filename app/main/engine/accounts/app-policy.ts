// What the user decides about apps: whether new apps may connect (the new-app policy), each app's status, its
// spending budget per calendar period and its traffic limits. The words here are also what apps see in refusals
// and rejects, so they say what happened and where to fix it ("in Junction").
import { MAX_AMOUNT } from '../../../shared/api-schemas'
import type { AppStatus, BudgetPeriod, NewAppPolicy } from '../../../shared/api-types'

/**
 * - allow: a new app is approved on first connection (moneyd's behaviour; no budget unless a default is set).
 * - ask: a new app may connect and learn its address, but its packets are refused until the user approves it.
 * - deny: a new app is refused at BTP auth; only apps Junction already knows (or registered ones) may connect.
 */
export type { NewAppPolicy, AppStatus, BudgetPeriod }
export const NEW_APP_POLICIES: readonly NewAppPolicy[] = ['allow', 'ask', 'deny']

export interface AppBudget {
  /** In the app's base units (the provider's asset and scale). */
  amount: bigint
  period: BudgetPeriod
}

/** SQLite's INTEGER is a signed 64-bit number: no stored amount may exceed it. */
export const MAX_STORED_AMOUNT = MAX_AMOUNT

/** Parses `<base units>/day|week|month`, e.g. `1000000/day`. Throws an Error saying what is wrong. */
export function parseBudget(text: string): AppBudget {
  const m = /^(\d{1,19})\/(day|week|month)$/.exec(text.trim())
  if (!m) throw new Error(`invalid budget ${JSON.stringify(text)}: expected <base units>/day, /week or /month, e.g. 1000000/day`)
  const amount = BigInt(m[1])
  if (amount > MAX_STORED_AMOUNT) throw new Error(`invalid budget ${JSON.stringify(text)}: at most ${MAX_STORED_AMOUNT} base units`)
  return { amount, period: m[2] as BudgetPeriod }
}

export function formatBudget(budget: AppBudget): string {
  return `${budget.amount}/${budget.period}`
}

/** How an app is named in messages: the name the user gave it, or its id. */
export function appLabel(app: { id: string; displayName: string | null }): string {
  return app.displayName ?? app.id
}

export const refusals = {
  blocked: (id: string) => `app "${id}" is blocked in Junction; the user can unblock it on the Apps page`,
  denied: (id: string) =>
    `Junction does not accept new apps (new-app policy: deny); app "${id}" was not let in. ` +
    `The user can allow new apps, or register this one, in Junction`,
}

export const rejects = {
  pending: (label: string) => `app "${label}" is waiting for approval in Junction; retry once the user approves it`,
  blocked: (label: string) => `app "${label}" is blocked in Junction`,
  budget: (label: string, budget: AppBudget, spent: bigint, inFlight: bigint, amount: bigint, renewsAt: number) =>
    `app "${label}" reached its budget of ${budget.amount} per ${budget.period} (spent ${spent}` +
    (inFlight > 0n ? `, ${inFlight} in flight` : '') +
    `; this packet: ${amount}); the budget renews at ${localTime(renewsAt)}`,
}

/** `2026-11-23 00:00` in local time. */
function localTime(ms: number): string {
  const d = new Date(ms)
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())} local time`
}
