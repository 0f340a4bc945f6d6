// The left navigation: every page with an icon and a label, the current one marked (aria-current), plus a badge on
// Apps when some wait for approval.
import { Activity, AppWindow, Landmark, LayoutDashboard, Network, Server, Settings } from 'lucide-react'
import type { ComponentType } from 'react'
import { useStatus } from '../store/status'
import { hrefFor, type Route } from './router'

interface Item {
  page: Route['page']
  label: string
  icon: ComponentType<{ size?: number; 'aria-hidden'?: boolean | 'true' }>
}

export const NAV_ITEMS: Item[] = [
  { page: 'overview', label: 'Overview', icon: LayoutDashboard },
  { page: 'apps', label: 'Apps', icon: AppWindow },
  { page: 'activity', label: 'Activity', icon: Activity },
  { page: 'providers', label: 'Providers', icon: Server },
  { page: 'peers', label: 'Peers & Routes', icon: Network },
  { page: 'settlements', label: 'Settlements', icon: Landmark },
  { page: 'settings', label: 'Settings', icon: Settings },
]

export function Sidebar({ current }: { current: Route }) {
  const pending = useStatus((s) => s.status?.apps.pending ?? 0)
  // An app's page belongs to Apps.
  const active = current.page === 'app' ? 'apps' : current.page
  return (
    <nav className="sidebar" aria-label="Pages">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          J
        </span>
        Junction
      </div>
      <ul>
        {NAV_ITEMS.map((item) => {
          const Icon = item.icon
          const here = item.page === active
          return (
            <li key={item.page}>
              <a href={hrefFor({ page: item.page } as Route)} className={here ? 'nav-link current' : 'nav-link'} aria-current={here ? 'page' : undefined}>
                <Icon size={16} aria-hidden="true" />
                <span>{item.label}</span>
                {item.page === 'apps' && pending > 0 && (
                  <span className="badge warn" title={`${pending} waiting for approval`}>
                    {pending} waiting
                  </span>
                )}
              </a>
            </li>
          )
        })}
      </ul>
    </nav>
  )
}
