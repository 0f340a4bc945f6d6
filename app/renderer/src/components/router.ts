// A hash router: the page is the part after `#` (`#/apps/alice`), so the UI works from file:// in Electron and from
// headless mode's one static page alike, and a reload stays on the same page.
import { useSyncExternalStore } from 'react'

export type Route =
  | { page: 'overview' }
  | { page: 'apps' }
  | { page: 'app'; id: string }
  | { page: 'activity' }
  | { page: 'providers' }
  | { page: 'peers' }
  | { page: 'settlements' }
  | { page: 'settings' }
  | { page: 'not-found'; path: string }

const SIMPLE: Record<string, Route> = {
  '': { page: 'overview' },
  '/': { page: 'overview' },
  '/overview': { page: 'overview' },
  '/apps': { page: 'apps' },
  '/activity': { page: 'activity' },
  '/providers': { page: 'providers' },
  '/peers': { page: 'peers' },
  '/settlements': { page: 'settlements' },
  '/settings': { page: 'settings' },
}

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '').replace(/\/+$/, '')
  const simple = SIMPLE[path] ?? SIMPLE[path.split('?')[0]!]
  if (simple) return simple
  const app = /^\/apps\/([^/?]+)$/.exec(path)
  if (app) {
    try {
      return { page: 'app', id: decodeURIComponent(app[1]!) }
    } catch {
      return { page: 'not-found', path }
    }
  }
  return { page: 'not-found', path }
}

export function hrefFor(route: Route): string {
  switch (route.page) {
    case 'overview':
      return '#/'
    case 'app':
      return `#/apps/${encodeURIComponent(route.id)}`
    case 'not-found':
      return '#/'
    default:
      return `#/${route.page}`
  }
}

export function navigate(href: string): void {
  window.location.hash = href.replace(/^#/, '')
}

const subscribe = (fn: () => void) => {
  window.addEventListener('hashchange', fn)
  return () => window.removeEventListener('hashchange', fn)
}
const getHash = () => window.location.hash

export function useHash(): string {
  return useSyncExternalStore(subscribe, getHash, () => '')
}

export function useRoute(): Route {
  return parseRoute(useHash())
}
