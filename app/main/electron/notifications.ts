// Desktop notifications for what needs the user while the window may be closed: a new app waits for approval, the
// provider went down or came back, an app is near (80 %) or at its budget. Each names the app or provider and, when
// clicked, opens the window on the page to act on (a hash route). Provider changes are reported only once the link
// has stayed in its new state for `settleMs`: a flapping link gives one notification, not one per reconnect.
// Electron's Notification is behind `show` (main.ts), so tests see what would be shown.
import type { AppView, JunctionApi, ProviderLinkState } from '../../shared/api-types'
import type { EventName, EventPayload } from '../../shared/contract'
import { formatAmount } from '../../renderer/src/format/amount'
import type { Logger } from '../engine/log'

export interface NoticeSpec {
  title: string
  body: string
  /** Where a click takes the window, e.g. `/apps/wallet`. */
  route: string
}

export interface NotifierDeps {
  show(notice: NoticeSpec): void
  api: Pick<JunctionApi, 'getApp' | 'status' | 'listProviders'>
  log: Logger
  /** How long a provider state must hold before it is reported (default 15 s). */
  settleMs?: number
}

export interface Notifier {
  onEvent<E extends EventName>(event: E, data: EventPayload<E>): void
  stop(): void
}

export function appRoute(id: string): string {
  return `/apps/${encodeURIComponent(id)}`
}

function appName(app: Pick<AppView, 'id' | 'displayName' | 'named'>): string {
  if (app.displayName) return `“${app.displayName}”`
  return app.named ? `“${app.id}”` : 'An unnamed app'
}

type Link = 'up' | 'down'

function linkOf(state: ProviderLinkState): Link | null {
  if (state.state === 'connected') return 'up'
  // 'stopped' is Junction shutting the link itself (quitting, switching provider): nothing to tell.
  return state.state === 'stopped' ? null : 'down'
}

export function createNotifier(deps: NotifierDeps): Notifier {
  const settleMs = deps.settleMs ?? 15_000
  /** Apps already announced as waiting; an app is announced again only after it left 'pending' and came back. */
  const announcedPending = new Set<string>()
  /** What the user was last told (or, before the first report, the link at start: coming up then is not news). */
  let reported: Link | null = null
  let latest: Link | null = null
  let settle: ReturnType<typeof setTimeout> | undefined
  let stopped = false

  const show = (notice: NoticeSpec) => {
    if (!stopped) deps.show(notice)
  }

  const withApp = (id: string, then: (app: AppView) => void | Promise<void>) => {
    deps.api
      .getApp({ id })
      .then(then)
      .catch((err: Error) => deps.log.debug(`notification: app ${id} not readable (${err.message})`))
  }

  const providerSettled = async () => {
    settle = undefined
    if (latest === null || latest === reported) return
    const wasKnown = reported !== null
    reported = latest
    // The first state after start is only news if it is bad: connecting at start is what the user expects.
    if (!wasKnown && latest === 'up') return
    let where = 'your provider'
    try {
      where = (await deps.api.status()).provider.url ?? where
    } catch {
      // The notice is still worth showing without the provider's name.
    }
    show(
      latest === 'down'
        ? { title: 'Provider unreachable', body: `Junction lost its link to ${where} and keeps retrying. Apps cannot pay meanwhile.`, route: '/providers' }
        : { title: 'Provider back', body: `Junction is connected to ${where} again.`, route: '/providers' },
    )
  }

  const handlers: { [E in EventName]?: (data: EventPayload<E>) => void } = {
    appChanged: ({ id }) =>
      withApp(id, (app) => {
        if (app.status !== 'pending') {
          announcedPending.delete(id)
          return
        }
        if (announcedPending.has(id)) return
        announcedPending.add(id)
        show({ title: 'New app waiting for approval', body: `${appName(app)} wants to pay through Junction. Approve or block it.`, route: appRoute(id) })
      }),
    appForgotten: ({ id }) => {
      announcedPending.delete(id)
    },
    provider: (state) => {
      const link = linkOf(state)
      if (link === null) return
      latest = link
      // Restarted on every change: only a state that holds for settleMs is reported.
      clearTimeout(settle)
      settle = setTimeout(() => void providerSettled(), settleMs)
    },
    providerFailover: ({ from, to, reason }) => {
      const named = (list: Array<{ id: string; name: string }>, id: string) => list.find((p) => p.id === id)?.name ?? 'another provider'
      deps.api
        .listProviders()
        .catch((): Array<{ id: string; name: string }> => [])
        .then((list) =>
          show({
            title: 'Switched provider',
            body: `${named(list, from)} was unreachable (${reason}); Junction switched to ${named(list, to)}. Apps reconnect by themselves.`,
            route: '/providers',
          }),
        )
    },
    budgetWarning: ({ id, kind }) =>
      withApp(id, async (app) => {
        let budget = ''
        if (app.budget) {
          const asset = await deps.api.status().catch(() => null)
          const amount = asset ? formatAmount(app.budget.amount, asset) : `${app.budget.amount} base units`
          budget = ` (${amount} per ${app.budget.period})`
        }
        show(
          kind === 'reached'
            ? { title: 'Budget reached', body: `${appName(app)} spent its whole budget${budget}; its payments are refused until it renews.`, route: appRoute(id) }
            : { title: 'Budget at 80 %', body: `${appName(app)} has used 80 % of its budget${budget}.`, route: appRoute(id) },
        )
      }),
  }

  return {
    onEvent(event, data) {
      if (stopped) return
      const handler = handlers[event] as ((d: typeof data) => void) | undefined
      handler?.(data)
    },
    stop() {
      stopped = true
      clearTimeout(settle)
    },
  }
}
