// The provider link in words and a tone, for the status strip and the Providers page: "Connected to My ILSP" (the
// name the user gave it), "Reconnecting in 8 s", "No provider — local mode".
import type { StatusView } from '../../../shared/api-types'
import { secondsUntil } from '../format/time'
import type { Tone } from './StatusDot'

/** The provider's host, from its (secret-masked) URL; the URL itself if it does not parse. */
export function providerHost(url: string | null): string {
  if (!url) return 'the provider'
  try {
    const u = new URL(url)
    return u.host || url
  } catch {
    return url
  }
}

/** The provider as the user named it; its host when it has no name. */
export function providerName(provider: Pick<StatusView['provider'], 'name' | 'url'>): string {
  return provider.name ?? providerHost(provider.url)
}

export function providerLinkWords(provider: StatusView['provider'], now: number): { tone: Tone; label: string; detail?: string } {
  if (!provider.configured) return { tone: 'off', label: 'No provider — local mode', detail: 'Apps can pay each other; nothing leaves this computer.' }
  const host = providerName(provider)
  const state = provider.state
  if (!state) return { tone: 'busy', label: `Starting the link to ${host}` }
  switch (state.state) {
    case 'connected':
      return { tone: 'ok', label: `Connected to ${host}` }
    case 'connecting':
      return { tone: 'busy', label: state.attempt > 1 ? `Connecting to ${host} (attempt ${state.attempt})` : `Connecting to ${host}` }
    case 'waiting': {
      const s = secondsUntil(state.retryAt, now)
      return { tone: 'warn', label: s > 0 ? `Reconnecting in ${s} s` : 'Reconnecting now', detail: `${host}: ${state.lastError}` }
    }
    case 'stopped':
      return { tone: 'off', label: `Link to ${host} stopped` }
  }
}

/**
 * How close the provider balance is to a limit, when it is within 20 % of one: Junction owing the provider near
 * minBalance (payments stop: T04), or the provider owing Junction near maxBalance (incoming payments stop).
 */
export function providerLimitWarning(provider: StatusView['provider']): { side: 'min' | 'max'; percent: number; limit: string } | null {
  if (!provider.configured || provider.balance === null) return null
  const balance = BigInt(provider.balance)
  if (provider.minBalance !== null) {
    const min = BigInt(provider.minBalance)
    // Only a negative minimum is a credit line that can run out.
    if (min < 0n && balance <= (min * 8n) / 10n) {
      return { side: 'min', percent: Number((balance * 100n) / min), limit: provider.minBalance }
    }
    if (min >= 0n && balance <= min) return { side: 'min', percent: 100, limit: provider.minBalance }
  }
  if (provider.maxBalance !== null) {
    const max = BigInt(provider.maxBalance)
    if (max > 0n && balance >= (max * 8n) / 10n) return { side: 'max', percent: Number((balance * 100n) / max), limit: provider.maxBalance }
  }
  return null
}
