// An app as it appears in lists: its colour swatch and its name (or its id, or "unnamed app"), linking to its page.
import type { AppView } from '../../../shared/api-types'
import { appColor } from './app-colors'

export function appDisplayName(app: Pick<AppView, 'id' | 'displayName' | 'named'> | undefined, id?: string): string {
  if (!app) return id ?? 'unknown app'
  if (app.displayName) return app.displayName
  return app.named ? app.id : `unnamed app ${app.id.slice(0, 6)}…`
}

export function AppLabel({ id, app, link = true }: { id: string; app?: Pick<AppView, 'id' | 'displayName' | 'named'>; link?: boolean }) {
  const name = appDisplayName(app, id)
  const swatch = <span className="swatch" style={{ background: appColor(id) }} aria-hidden="true" />
  return link ? (
    <a className="app-label" href={`#/apps/${encodeURIComponent(id)}`}>
      {swatch}
      {name}
    </a>
  ) : (
    <span className="app-label">
      {swatch}
      {name}
    </span>
  )
}
