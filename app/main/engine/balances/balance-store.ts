// Where committed balances and the per-app ledger are recorded. The memory store keeps balances for the process's
// life only; the SQLite store (store/sqlite-balance-store.ts) makes them durable with a group commit.
//
// The durability rule: a fulfill is passed back only once the balance change it caused is recorded. The pipeline
// asks `whenDurable` before it answers a fulfill; a store that batches writes calls back after the batch commits.
import type { Account } from '../accounts/account'

export interface FulfillRecord {
  from: Account
  /** What `from` now owes more (its incoming amount). */
  inAmount: bigint
  /** The next hop, if money went out to it. */
  to: Account | undefined
  /** What Junction now owes `to` more. */
  outAmount: bigint
  destination: string
}

export interface BalanceStore {
  /** The committed balance an account starts with (0 for an account never seen). */
  load(accountId: string): bigint
  /** Records one fulfilled packet's balance changes and ledger entries. Throws only on a bug. */
  recordFulfill(record: FulfillRecord): void
  /** Counts a rejected packet against the app that sent it. */
  recordReject(from: Account, code: string): void
  /** True while changes are recorded but not yet durable. */
  readonly pending: boolean
  /** Calls `cb` once everything recorded so far is durable, or with the error that prevented it. */
  whenDurable(cb: (error?: Error) => void): void
  /** Undefined while the store can record payments; otherwise why it cannot (packets are then refused, T00). */
  readonly unavailable: string | undefined
}

/** Balances in memory only: the accounts' own `balance` fields are the record. */
export class MemoryBalanceStore implements BalanceStore {
  private readonly saved = new Map<string, bigint>()
  readonly pending = false
  readonly unavailable = undefined

  load(accountId: string): bigint {
    return this.saved.get(accountId) ?? 0n
  }

  recordFulfill({ from, inAmount, to, outAmount }: FulfillRecord): void {
    // Remember balances of accounts that come and go (an app that disconnects and returns keeps its balance).
    this.saved.set(from.id, from.balance + inAmount)
    if (to) this.saved.set(to.id, (to === from ? from.balance + inAmount : to.balance) - outAmount)
  }

  recordReject(): void {}

  whenDurable(cb: (error?: Error) => void): void {
    cb()
  }
}
