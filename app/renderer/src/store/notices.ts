// Outcome reports ("Alice approved", "Could not block Bob: …"): a short queue shown in a live region (Notices.tsx),
// so every action that changes money or access says how it went.
import { create } from 'zustand'

export interface Notice {
  id: number
  kind: 'success' | 'error' | 'info'
  text: string
}

interface NoticesState {
  notices: Notice[]
  notify(kind: Notice['kind'], text: string): void
  dismiss(id: number): void
}

let nextId = 1
const SHOW_MS = 6000

export const useNotices = create<NoticesState>()((set, get) => ({
  notices: [],
  notify(kind, text) {
    const id = nextId++
    // Keep the last few: a burst of outcomes should not cover the page.
    set({ notices: [...get().notices.slice(-3), { id, kind, text }] })
    // Errors stay until dismissed: they say what to do.
    if (kind !== 'error') setTimeout(() => get().dismiss(id), SHOW_MS)
  },
  dismiss(id) {
    set({ notices: get().notices.filter((n) => n.id !== id) })
  },
}))

export const notify = (kind: Notice['kind'], text: string): void => useNotices.getState().notify(kind, text)

export function resetNoticesStore(): void {
  useNotices.setState({ notices: [] })
}
