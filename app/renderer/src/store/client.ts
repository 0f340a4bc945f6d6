// The page's one client (app/renderer/src/api/client.ts), set once at start-up (main.tsx) or by a test, and what the
// stores share to stay current with it: a subscription to its events, and loading a view without losing what is shown.
import type { Client } from '../api/client'
import type { MethodName, MethodParams, MethodResult } from '../../../shared/contract'

let current: Client | undefined

export function setClient(client: Client): void {
  current = client
}

export function getClient(): Client {
  if (!current) throw new Error('no client: call setClient() first (main.tsx does, tests must)')
  return current
}

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error'

/**
 * A store's subscription to the current client's events. `start` subscribes once per client (a new client replaces
 * the old subscription) and calls `onOpen` at once and whenever the connection opens again: events missed while it
 * was down are gone, so the store loads its view again. `stop` unsubscribes (the store's reset).
 */
export function clientSubscription(
  subscribe: (client: Client) => Array<() => void>,
  onOpen: () => void,
): { start(): void; stop(): void } {
  let subscribedTo: Client | undefined
  let unsubscribe: (() => void) | undefined
  return {
    start() {
      const client = getClient()
      if (subscribedTo === client) return
      unsubscribe?.()
      subscribedTo = client
      const offs = [
        ...subscribe(client),
        client.onState((s) => {
          if (s === 'open') onOpen()
        }),
      ]
      unsubscribe = () => offs.forEach((off) => off())
      onOpen()
    },
    stop() {
      unsubscribe?.()
      unsubscribe = undefined
      subscribedTo = undefined
    },
  }
}

interface Loadable {
  status: LoadStatus
  error: unknown
}

/**
 * Loads a store's view: 'loading' only until it is first shown; a failed reload keeps what is shown (the connection
 * state says what is wrong), a failed first load shows the error.
 */
export async function loadView<S extends Loadable>(
  get: () => S,
  set: (partial: Partial<S>) => void,
  fetch: () => Promise<Partial<S>>,
): Promise<void> {
  if (get().status !== 'ready') set({ status: 'loading', error: null } as Partial<S>)
  try {
    set({ ...(await fetch()), status: 'ready', error: null } as Partial<S>)
  } catch (e) {
    if (get().status !== 'ready') set({ status: 'error', error: e } as Partial<S>)
  }
}

/** A change through the engine, then the store's view loaded again (shown at once, events or not); returns the answer. */
export async function changeAndReload<M extends MethodName>(method: M, params: MethodParams<M>, reload: () => Promise<void>): Promise<MethodResult<M>> {
  const answer = await (getClient().call as (m: M, p: MethodParams<M>) => Promise<MethodResult<M>>)(method, params)
  await reload()
  return answer
}
