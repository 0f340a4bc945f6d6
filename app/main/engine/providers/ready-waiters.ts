// Callers waiting for a provider link to come up (a switch, a test): each gets the link's first success or failure,
// or a timeout naming the last error seen.
export class ReadyWaiters {
  private waiters: Array<{ resolve(): void; reject(err: Error): void }> = []

  /** Resolves on the next `settle()`, rejects on `settle(error)` or after `ms` with `lastError()`. */
  wait(ms: number, lastError: () => string | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter)
        reject(new Error(lastError() ?? `no connection within ${ms / 1000} s`))
      }, ms)
      const waiter = {
        resolve: () => {
          clearTimeout(timer)
          resolve()
        },
        reject: (err: Error) => {
          clearTimeout(timer)
          reject(err)
        },
      }
      this.waiters.push(waiter)
    })
  }

  settle(error?: Error): void {
    const waiters = this.waiters
    this.waiters = []
    for (const w of waiters) (error ? w.reject(error) : w.resolve())
  }
}
