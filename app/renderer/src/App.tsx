// The whole UI: sidebar, status strip, the current page from the hash route, and the outcome notices. Binds the
// shared stores (status, apps, ledger) to the engine's events for as long as it is mounted.
import { useEffect } from 'react'
import { Notices } from './components/Notices'
import { useRoute, type Route } from './components/router'
import { Sidebar } from './components/Sidebar'
import { StatusStrip } from './components/StatusStrip'
import { EmptyState } from './components/EmptyState'
import { ActivityPage } from './pages/ActivityPage'
import { AppPage } from './pages/AppPage'
import { AppsPage } from './pages/AppsPage'
import { OverviewPage } from './pages/OverviewPage'
import { PeersRoutesPage } from './pages/PeersRoutesPage'
import { ProvidersPage } from './pages/ProvidersPage'
import { SettingsPage } from './pages/SettingsPage'
import { SettlementsPage } from './pages/SettlementsPage'
import { bindAppsStore } from './store/apps'
import { getClient } from './store/client'
import { bindLedgerStore } from './store/ledger'
import { bindStatusStore } from './store/status'

function CurrentPage({ route }: { route: Route }) {
  switch (route.page) {
    case 'overview':
      return <OverviewPage />
    case 'apps':
      return <AppsPage />
    case 'app':
      return <AppPage id={route.id} />
    case 'activity':
      return <ActivityPage />
    case 'providers':
      return <ProvidersPage />
    case 'peers':
      return <PeersRoutesPage />
    case 'settlements':
      return <SettlementsPage />
    case 'settings':
      return <SettingsPage />
    case 'not-found':
      return (
        <EmptyState title="No such page" action={<a className="button" href="#/">Go to the overview</a>}>
          <p>
            There is nothing at <code>{route.path}</code>.
          </p>
        </EmptyState>
      )
  }
}

export function App() {
  const route = useRoute()
  useEffect(() => {
    const client = getClient()
    const offs = [bindStatusStore(client), bindAppsStore(client), bindLedgerStore(client)]
    return () => offs.forEach((off) => off())
  }, [])
  // Focus moves to the page's content on navigation, so keyboard and screen-reader users land on the new page.
  const key = route.page === 'app' ? `app:${route.id}` : route.page
  return (
    <div className="layout">
      <a className="skip-link" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}>
        Skip to content
      </a>
      <Sidebar current={route} />
      <div className="main-column">
        <StatusStrip />
        <main id="main" className="page" tabIndex={-1} key={key}>
          <CurrentPage route={route} />
        </main>
      </div>
      <Notices />
    </div>
  )
}
