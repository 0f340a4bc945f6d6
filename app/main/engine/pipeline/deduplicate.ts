// Duplicate suppression: an identical prepare from the same account (same condition, amount, expiry, destination, data)
// is not forwarded twice. While the first is in flight, the copy waits for its reply; after it, the copy gets the
// same reply from a cache. The cache is bounded in entries and age; when full the oldest entries go, and a packet is
// never rejected because of it (ilp-connector's cache instead grows with the packet rate).
import type { Account } from '../accounts/account'
import type { Reply } from '../ilp/packets'
import { DEFERRED, type Middleware, type PacketContext } from './packet-context'

export interface DeduplicateOptions {
  maxEntries: number
  maxAgeMs: number
}

interface Entry {
  from: Account
  /** The packet's bytes: a copy must match them exactly (data included). */
  raw: Buffer
  at: number
  reply: Reply | undefined
  waiters: PacketContext[] | undefined
}

export function createDeduplicateMiddleware(opts: DeduplicateOptions, now: () => number = Date.now): Middleware {
  const cache = new Map<string, Entry>()

  const trim = (t: number) => {
    for (const [key, entry] of cache) {
      if (cache.size > opts.maxEntries || t - entry.at > opts.maxAgeMs) cache.delete(key)
      else break
    }
  }

  return {
    name: 'deduplicate',
    incoming(ctx) {
      // Indexed by condition (a short key, cheap to hash); a copy is the same packet byte for byte, data included,
      // from the same account. A different packet with a condition already seen simply takes the slot.
      const raw = ctx.raw
      const key = ctx.prepare.executionCondition.toString('latin1')
      const t = now()
      const seen = cache.get(key)
      if (seen && seen.from === ctx.from && t - seen.at <= opts.maxAgeMs && seen.raw.equals(raw)) {
        if (seen.reply) return seen.reply
        ;(seen.waiters ??= []).push(ctx)
        return DEFERRED
      }
      if (seen) cache.delete(key)
      const entry: Entry = { from: ctx.from, raw, at: t, reply: undefined, waiters: undefined }
      cache.set(key, entry)
      ctx.duplicateOf = entry
      if (cache.size > opts.maxEntries) trim(t)
      return undefined
    },
    reply(ctx, reply) {
      // The entry travels with the packet, so copies waiting on it are answered even if the cache evicted it.
      const entry = ctx.duplicateOf as Entry | undefined
      if (!entry) return reply
      entry.reply = reply
      const waiters = entry.waiters
      entry.waiters = undefined
      if (waiters) for (const w of waiters) queueMicrotask(() => w.settle(reply))
      return reply
    },
    // Exposed for tests and the stats view.
    get size() {
      return cache.size
    },
  } as Middleware & { readonly size: number }
}
