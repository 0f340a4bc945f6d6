// The Settings page's store: the engine's settings, kept current by `settingsChanged` (the tray or another window may
// change them), and saving one group of fields at a time. A refused save comes back as field messages keyed by the
// setting's name, so the page can show each next to its field.
import { create } from 'zustand'
import type { SettingsView } from '../../../shared/api-types'
import type { MethodParams } from '../../../shared/contract'
import { CallError } from '../api/client'
import { clientSubscription, getClient, type LoadStatus, loadView } from './client'

export type SettingsChange = NonNullable<MethodParams<'setSettings'>>

/** What a save did: saved, or refused with a message per field ('' = the input as a whole). */
export type SaveOutcome = { ok: true; settings: SettingsView } | { ok: false; error: unknown; fieldErrors: Record<string, string> }

interface SettingsState {
  status: LoadStatus
  error: unknown
  settings: SettingsView | null
  start(): void
  reload(): Promise<void>
  save(change: SettingsChange): Promise<SaveOutcome>
  reset(): void
}

/**
 * A refused call's issues by top-level field: `allowedOrigins.2` → `allowedOrigins`, `defaultBudget.amount` →
 * `defaultBudget`. The first message per field wins; the rest say the same thing about the same field.
 */
export function fieldErrors(error: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  if (!(error instanceof CallError)) return out
  for (const issue of error.issues) {
    const field = issue.path.split('.')[0] ?? ''
    if (!(field in out)) out[field] = issue.message
  }
  return out
}

export const useSettings = create<SettingsState>()((set, get) => {
  const live = clientSubscription(
    (client) => [client.on('settingsChanged', (settings) => set({ settings, status: 'ready', error: null }))],
    () => void get().reload(),
  )
  return {
    status: 'idle',
    error: null,
    settings: null,

    start: live.start,

    reload: () => loadView(get, set, async () => ({ settings: await getClient().call('getSettings', {}) })),

    async save(change) {
      try {
        const settings = await getClient().call('setSettings', change)
        set({ settings, status: 'ready', error: null })
        return { ok: true, settings }
      } catch (e) {
        return { ok: false, error: e, fieldErrors: fieldErrors(e) }
      }
    },

    reset() {
      live.stop()
      set({ status: 'idle', error: null, settings: null })
    },
  }
})
