// Desktop notifications from contract events, against the real engine's apps: a new app waiting for approval (once
// per wait), the provider going down or coming back (only once the state held for the settle time, so a flapping link
// gives one notice), an app near or at its budget. Each opens the right page. Timers are mocked, never waited for.
import { describe, it, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { appRoute, createNotifier, type NoticeSpec } from '../../../app/main/electron/notifications'
import type { ProviderLinkState } from '../../../app/shared/api-types'
import { memoryEngine, memoryLog } from './fakes'

function setup(t: TestContext) {
  t.mock.timers.enable({ apis: ['setTimeout'] })
  const { connector, api } = memoryEngine()
  const shown: NoticeSpec[] = []
  const notifier = createNotifier({ show: (n) => void shown.push(n), api, log: memoryLog(), settleMs: 10_000 })
  return { connector, api, shown, notifier }
}

async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise<void>((r) => setImmediate(r))
}

const up: ProviderLinkState = { state: 'connected', since: 1 }
const down: ProviderLinkState = { state: 'waiting', retryAt: 2, lastError: 'ECONNREFUSED' }

describe('notifications', () => {
  it('announces a new app waiting for approval once, and not again for changes while it waits or once approved', async (t) => {
    const { connector, api, shown, notifier } = setup(t)
    connector.apps.setNewAppPolicy('ask')
    connector.apps.admit('wallet', true)
    notifier.onEvent('appChanged', { id: 'wallet' })
    notifier.onEvent('appChanged', { id: 'wallet' })
    await flush()
    assert.equal(shown.length, 1)
    assert.deepEqual(shown[0], {
      title: 'New app waiting for approval',
      body: '“wallet” wants to pay through Junction. Approve or block it.',
      route: '/apps/wallet',
    })
    await api.renameApp({ id: 'wallet', displayName: 'My Wallet' })
    notifier.onEvent('appChanged', { id: 'wallet' })
    await flush()
    assert.equal(shown.length, 1, 'a rename of a waiting app is not news')
    await api.approveApp({ id: 'wallet' })
    notifier.onEvent('appChanged', { id: 'wallet' })
    await flush()
    assert.equal(shown.length, 1, 'approved: nothing to tell')
  })

  it('says nothing for approved apps or apps it cannot read', async (t) => {
    const { api, shown, notifier } = setup(t)
    await api.registerApp({ name: 'shop' })
    notifier.onEvent('appChanged', { id: 'shop' })
    notifier.onEvent('appChanged', { id: 'ghost' })
    await flush()
    assert.equal(shown.length, 0)
  })

  it('says when Junction failed over to another provider, naming both', async (t) => {
    const { api, shown, notifier } = setup(t)
    const a = await api.addProvider({ name: 'ILSP A', url: 'btp+ws://u:s@127.0.0.1:1' })
    const b = await api.addProvider({ name: 'ILSP B', url: 'btp+ws://u:s@127.0.0.1:2' })
    notifier.onEvent('providerFailover', { from: a.id, to: b.id, reason: 'connect ECONNREFUSED 127.0.0.1:1' })
    await flush()
    assert.deepEqual(shown, [
      {
        title: 'Switched provider',
        body: 'ILSP A was unreachable (connect ECONNREFUSED 127.0.0.1:1); Junction switched to ILSP B. Apps reconnect by themselves.',
        route: '/providers',
      },
    ])
  })

  it('reports the provider down, and back, once each state held for the settle time', async (t) => {
    const { shown, notifier } = setup(t)
    notifier.onEvent('provider', { state: 'connecting', attempt: 1 })
    notifier.onEvent('provider', up)
    t.mock.timers.tick(10_000)
    await flush()
    assert.equal(shown.length, 0, 'connecting at start is expected, not news')

    // A flapping link: down, up, down, up … each for less than the settle time, ending down.
    for (let i = 0; i < 5; i++) {
      notifier.onEvent('provider', down)
      t.mock.timers.tick(2_000)
      notifier.onEvent('provider', up)
      t.mock.timers.tick(1_000)
    }
    await flush()
    assert.equal(shown.length, 0, 'no notice while it flaps')
    notifier.onEvent('provider', down)
    t.mock.timers.tick(9_999)
    await flush()
    assert.equal(shown.length, 0, 'not yet settled')
    t.mock.timers.tick(1)
    await flush()
    assert.equal(shown.length, 1)
    assert.equal(shown[0].title, 'Provider unreachable')
    assert.equal(shown[0].route, '/providers')

    // Back up briefly then down again: the user was told "down" and it is down: nothing new.
    notifier.onEvent('provider', up)
    t.mock.timers.tick(3_000)
    notifier.onEvent('provider', down)
    t.mock.timers.tick(10_000)
    await flush()
    assert.equal(shown.length, 1)

    notifier.onEvent('provider', up)
    t.mock.timers.tick(10_000)
    await flush()
    assert.equal(shown.length, 2)
    assert.equal(shown[1].title, 'Provider back')
  })

  it('reports a provider that is down from the start', async (t) => {
    const { shown, notifier } = setup(t)
    notifier.onEvent('provider', down)
    t.mock.timers.tick(10_000)
    await flush()
    assert.equal(shown.length, 1)
    assert.equal(shown[0].title, 'Provider unreachable')
  })

  it('ignores the link being stopped by Junction itself', async (t) => {
    const { shown, notifier } = setup(t)
    notifier.onEvent('provider', up)
    t.mock.timers.tick(10_000)
    notifier.onEvent('provider', { state: 'stopped' })
    t.mock.timers.tick(10_000)
    await flush()
    assert.equal(shown.length, 0)
  })

  it('warns at 80 % and at the whole budget, with the budget in the asset’s units, opening the app’s page', async (t) => {
    const { api, shown, notifier } = setup(t)
    await api.registerApp({ name: 'wallet' })
    await api.renameApp({ id: 'wallet', displayName: 'My Wallet' })
    await api.setAppBudget({ id: 'wallet', budget: { amount: '2500000000', period: 'day' } })
    notifier.onEvent('budgetWarning', { id: 'wallet', kind: 'near' })
    await flush()
    notifier.onEvent('budgetWarning', { id: 'wallet', kind: 'reached' })
    await flush()
    assert.deepEqual(shown, [
      { title: 'Budget at 80 %', body: '“My Wallet” has used 80 % of its budget (2.5 XRP per day).', route: '/apps/wallet' },
      {
        title: 'Budget reached',
        body: '“My Wallet” spent its whole budget (2.5 XRP per day); its payments are refused until it renews.',
        route: '/apps/wallet',
      },
    ])
  })

  it('shows nothing after stop, and ignores events it has no notice for', async (t) => {
    const { shown, notifier } = setup(t)
    notifier.onEvent('packets', [])
    notifier.onEvent('provider', down)
    notifier.stop()
    t.mock.timers.tick(10_000)
    await flush()
    assert.equal(shown.length, 0)
  })

  it('routes to an app’s page with its id escaped', () => {
    assert.equal(appRoute('a/b c'), '/apps/a%2Fb%20c')
  })
})
