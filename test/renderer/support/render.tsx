// Renders a piece of the UI against a fake engine (fake-transport.ts): sets the page's client, resets the shared
// stores, binds them to the fake's events as App does, and cleans all of it up after each test.
import { cleanup, render, type RenderResult } from '@testing-library/react'
import type { ReactElement } from 'react'
import { afterEach } from 'vitest'
import { setClient } from '../../../app/renderer/src/store/client'
import { bindAppsStore, resetAppsStore } from '../../../app/renderer/src/store/apps'
import { bindLedgerStore, resetLedgerStore } from '../../../app/renderer/src/store/ledger'
import { resetNoticesStore } from '../../../app/renderer/src/store/notices'
import { bindStatusStore, resetStatusStore } from '../../../app/renderer/src/store/status'
import { Notices } from '../../../app/renderer/src/components/Notices'
import { createFakeEngine, type FakeEngine, type Handlers } from './fake-transport'
import { makeStatus } from './fixtures'

let unbind: (() => void)[] = []

afterEach(() => {
  cleanup()
  for (const off of unbind) off()
  unbind = []
  window.location.hash = ''
})

/** Handlers every page needs unless the test overrides them: a connected node with no apps and no spend. */
export function defaultHandlers(): Handlers {
  return {
    status: () => makeStatus(),
    listApps: () => [],
    ledgerTotals: () => [],
  }
}

export interface EngineRender extends RenderResult {
  engine: FakeEngine
}

/**
 * Sets up a fake engine with `handlers` over the defaults and renders `ui` (with the notices area, so outcome
 * reports can be asserted). `bindStores: false` leaves the shared stores unbound (App binds them itself).
 */
export function renderWithEngine(ui: ReactElement, handlers: Handlers = {}, options: { bindStores?: boolean; hash?: string } = {}): EngineRender {
  const engine = setupEngine(handlers, options)
  const result = render(
    <>
      {ui}
      {options.bindStores === false ? null : <Notices />}
    </>,
  )
  return { ...result, engine }
}

/** The fake engine and stores without rendering (store tests). */
export function setupEngine(handlers: Handlers = {}, options: { bindStores?: boolean; hash?: string } = {}): FakeEngine {
  const engine = createFakeEngine({ ...defaultHandlers(), ...handlers })
  setClient(engine.client)
  resetStatusStore()
  resetAppsStore()
  resetLedgerStore()
  resetNoticesStore()
  if (options.hash !== undefined) window.location.hash = options.hash
  if (options.bindStores !== false) {
    unbind.push(bindStatusStore(engine.client), bindAppsStore(engine.client), bindLedgerStore(engine.client))
  }
  return engine
}
