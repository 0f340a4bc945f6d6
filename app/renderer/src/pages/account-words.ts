// Accounts in words, for the Peers & Routes, Settlements and Providers pages: what a relation and a link state mean,
// and the name people know an account by.
import type { AccountView } from '../../../shared/api-types'
import { providerHost } from '../components/provider-words'
import type { Tone } from '../components/StatusDot'

export const RELATION_WORDS: Record<AccountView['relation'], { label: string; meaning: string }> = {
  parent: { label: 'Provider', meaning: 'parent: Junction reaches the network through it' },
  child: { label: 'App', meaning: 'child: an app on this computer that pays or is paid through Junction' },
  peer: { label: 'Peer', meaning: 'peer: another connector, on equal terms' },
}

export const LINK_WORDS: Record<AccountView['link'], { tone: Tone; label: string }> = {
  connected: { tone: 'ok', label: 'Connected' },
  connecting: { tone: 'busy', label: 'Connecting' },
  waiting: { tone: 'warn', label: 'Reconnecting' },
  disconnected: { tone: 'off', label: 'Disconnected' },
}

/** What people call an account: an app's name, the provider's host (its label is the masked URL), or the id. */
export function accountName(a: Pick<AccountView, 'id' | 'label' | 'relation'>): string {
  if (a.relation === 'parent' && a.label) return providerHost(a.label)
  return a.label ?? a.id
}

/** Provider first, then peers, then apps. */
export const RELATION_RANK: Record<AccountView['relation'], number> = { parent: 0, peer: 1, child: 2 }
