// The network store: accounts and routes loaded on start, routes again on `routesChanged`, accounts again when the
// provider link changes and (coalesced) while packets move; each list fails and recovers on its own.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { AccountView, RouteView } from '../../../app/shared/api-types'
import { ACCOUNTS_REFRESH_MS, useNetwork } from '../../../app/renderer/src/store/network'
import { engineError } from '../support/fake-transport'
import { setupEngine } from '../support/render'

const account = (id: string, balance = '0'): AccountView => ({
  id,
  relation: 'child',
  label: null,
  link: 'connected',
  balance,
  minBalance: null,
  maxBalance: '1000',
  packets: { fulfilled: 0, rejected: 0 },
})
const route = (prefix: string): RouteView => ({ prefix, nextHop: 'parent', source: 'parent', path: [], expiresAt: null })

beforeEach(() => useNetwork.getState().reset())
afterEach(() => {
  useNetwork.getState().reset()
  vi.useRealTimers()
})

describe('network store', () => {
  it('loads accounts and routes on start', async () => {
    setupEngine({ listAccounts: () => [account('alice')], listRoutes: () => [route('g')] })
    useNetwork.getState().start()
    await vi.waitFor(() => expect(useNetwork.getState().routes.status).toBe('ready'))
    await vi.waitFor(() => expect(useNetwork.getState().accounts.status).toBe('ready'))
    expect(useNetwork.getState().accounts.items.map((a) => a.id)).toEqual(['alice'])
    expect(useNetwork.getState().routes.items.map((r) => r.prefix)).toEqual(['g'])
  })

  it('fetches the routes again on routesChanged', async () => {
    const engine = setupEngine({ listAccounts: () => [], listRoutes: () => [route('g')] })
    useNetwork.getState().start()
    await vi.waitFor(() => expect(useNetwork.getState().routes.status).toBe('ready'))
    engine.handle('listRoutes', () => [route('g'), route('g.ilsp.junction.alice')])
    engine.emit('routesChanged', {})
    await vi.waitFor(() => expect(useNetwork.getState().routes.items).toHaveLength(2))
    expect(engine.callsTo('listRoutes')).toHaveLength(2)
  })

  it('fetches the accounts again when the provider link changes', async () => {
    const engine = setupEngine({ listAccounts: () => [account('parent')], listRoutes: () => [] })
    useNetwork.getState().start()
    await vi.waitFor(() => expect(useNetwork.getState().accounts.status).toBe('ready'))
    engine.handle('listAccounts', () => [{ ...account('parent'), link: 'waiting' }])
    engine.emit('provider', { state: 'waiting', retryAt: Date.now() + 8000, lastError: 'refused' })
    await vi.waitFor(() => expect(useNetwork.getState().accounts.items[0]!.link).toBe('waiting'))
  })

  it('reads balances again once per interval while packets move, not per batch', async () => {
    vi.useFakeTimers()
    const engine = setupEngine({ listAccounts: () => [account('alice', '1')], listRoutes: () => [] })
    useNetwork.getState().start()
    await vi.advanceTimersByTimeAsync(0)
    expect(engine.callsTo('listAccounts')).toHaveLength(1)
    engine.handle('listAccounts', () => [account('alice', '5')])
    for (let i = 0; i < 5; i++) engine.emit('packets', [])
    await vi.advanceTimersByTimeAsync(ACCOUNTS_REFRESH_MS)
    expect(engine.callsTo('listAccounts')).toHaveLength(2)
    expect(useNetwork.getState().accounts.items[0]!.balance).toBe('5')
  })

  it('shows a failed list as an error and keeps the other', async () => {
    const engine = setupEngine({
      listAccounts: () => {
        throw engineError('unavailable', 'the database cannot be read')
      },
      listRoutes: () => [route('g')],
    })
    useNetwork.getState().start()
    await vi.waitFor(() => expect(useNetwork.getState().accounts.status).toBe('error'))
    await vi.waitFor(() => expect(useNetwork.getState().routes.status).toBe('ready'))
    expect((useNetwork.getState().accounts.error as Error).message).toBe('the database cannot be read')
    engine.handle('listAccounts', () => [account('alice')])
    await useNetwork.getState().loadAccounts()
    expect(useNetwork.getState().accounts).toMatchObject({ status: 'ready', error: null })
  })

  it('keeps the rows it has when a refresh fails', async () => {
    const engine = setupEngine({ listAccounts: () => [account('alice')], listRoutes: () => [] })
    useNetwork.getState().start()
    await vi.waitFor(() => expect(useNetwork.getState().accounts.status).toBe('ready'))
    engine.handle('listAccounts', () => {
      throw engineError('disconnected', 'not connected to Junction')
    })
    await useNetwork.getState().loadAccounts()
    expect(useNetwork.getState().accounts.status).toBe('ready')
    expect(useNetwork.getState().accounts.items).toHaveLength(1)
  })
})
