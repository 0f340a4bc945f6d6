// Where committed balances live. This issue keeps them in memory; the SQLite store implements the same interface and
// makes `recordFulfill` durable before the fulfill is passed on.
import type { Account } from '../accounts/account'

export interface BalanceStore {
  /** The committed balance an account starts with (0 for an account never seen). */
  load(accountId: string): bigint
  /**
   * Records one fulfilled packet: `from` now owes `inAmount` more; Junction owes `to` `outAmount` more.
   * Called before the fulfill goes back; a throw makes the packet's sender get T00 instead of the fulfill.
   */
  recordFulfill(from: Account, inAmount: bigint, to: Account | undefined, outAmount: bigint): void
}

/** Balances in memory only: the accounts' own `balance` fields are the record. */
export class MemoryBalanceStore implements BalanceStore {
  private readonly saved = new Map<string, bigint>()

  load(accountId: string): bigint {
    return this.saved.get(accountId) ?? 0n
  }

  recordFulfill(from: Account, inAmount: bigint, to: Account | undefined, outAmount: bigint): void {
    // Remember balances of accounts that come and go (an app that disconnects and returns keeps its balance).
    this.saved.set(from.id, from.balance + inAmount)
    if (to) this.saved.set(to.id, (to === from ? from.balance + inAmount : to.balance) - outAmount)
  }
}
