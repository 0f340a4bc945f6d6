// The apps and ledger stores: loading, following app events, actions calling the engine with the right params, and
// the totals windows.
import { waitFor } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { useApps } from '../../../app/renderer/src/store/apps'
import { sumTotals, useLedger } from '../../../app/renderer/src/store/ledger'
import { startOfDay } from '../../../app/renderer/src/format/time'
import { engineError } from '../support/fake-transport'
import { makeApp, makeTotals } from '../support/fixtures'
import { setupEngine } from '../support/render'

describe('apps store', () => {
  it('loads the apps and follows app events', async () => {
    const alice = makeApp({ id: 'alice' })
    let current = alice
    const engine = setupEngine({
      listApps: () => [alice, makeApp({ id: 'bob' })],
      getApp: ({ id }) => {
        if (id === 'carol') return makeApp({ id: 'carol', status: 'pending' })
        if (id === 'alice') return current
        throw engineError('not-found', `no app ${id}`)
      },
    })
    await waitFor(() => expect(useApps.getState().apps?.map((a) => a.id)).toEqual(['alice', 'bob']))

    current = { ...alice, displayName: 'Alice' }
    engine.emit('appChanged', { id: 'alice' })
    await waitFor(() => expect(useApps.getState().apps?.[0]?.displayName).toBe('Alice'))

    engine.emit('appChanged', { id: 'carol' })
    await waitFor(() => expect(useApps.getState().apps?.map((a) => a.id)).toEqual(['alice', 'bob', 'carol']))

    engine.emit('appDisconnected', { id: 'bob' })
    expect(useApps.getState().apps?.find((a) => a.id === 'bob')?.connected).toBe(false)
    // bob is gone from the engine: the re-read after the event drops it.
    await waitFor(() => expect(useApps.getState().apps?.some((a) => a.id === 'bob')).toBe(false))

    engine.emit('appForgotten', { id: 'carol' })
    expect(useApps.getState().apps?.map((a) => a.id)).toEqual(['alice'])

    engine.emit('budgetWarning', { id: 'alice', kind: 'near' })
    expect(useApps.getState().warnings).toEqual({ alice: 'near' })
  })

  it('sends each action with the right params and keeps the answer', async () => {
    const engine = setupEngine({
      listApps: () => [makeApp({ id: 'alice', status: 'pending' })],
      approveApp: ({ id }) => makeApp({ id, status: 'approved' }),
      blockApp: ({ id }) => makeApp({ id, status: 'blocked' }),
      renameApp: ({ id, displayName }) => makeApp({ id, displayName }),
      setAppBudget: ({ id, budget }) => makeApp({ id, budget: budget && { ...budget, periodStart: 0, periodEnd: 1, spent: '0', inFlight: '0', remaining: budget.amount } }),
      forgetApp: () => undefined,
    })
    await waitFor(() => expect(useApps.getState().apps).toHaveLength(1))
    const s = useApps.getState()
    expect((await s.approve('alice')).status).toBe('approved')
    expect((await s.block('alice')).status).toBe('blocked')
    expect((await s.rename('alice', 'Alice')).displayName).toBe('Alice')
    expect((await s.setBudget('alice', { amount: '1500', period: 'week' })).budget?.amount).toBe('1500')
    await s.forget('alice')
    expect(useApps.getState().apps).toEqual([])
    expect(engine.calls.filter((c) => c.method !== 'listApps' && c.method !== 'status' && c.method !== 'ledgerTotals')).toEqual([
      { method: 'approveApp', params: { id: 'alice' } },
      { method: 'blockApp', params: { id: 'alice' } },
      { method: 'renameApp', params: { id: 'alice', displayName: 'Alice' } },
      { method: 'setAppBudget', params: { id: 'alice', budget: { amount: '1500', period: 'week' } } },
      { method: 'forgetApp', params: { id: 'alice' } },
    ])
  })

  it("passes the engine's refusal to the caller", async () => {
    setupEngine({ renameApp: () => Promise.reject(engineError('invalid-input', 'a display name has at most 64 characters')) })
    await expect(useApps.getState().rename('alice', 'x'.repeat(65))).rejects.toThrow('a display name has at most 64 characters')
  })
})

describe('ledger store', () => {
  it('reads today, the last 7 days and all time, and sums exactly', async () => {
    const engine = setupEngine({
      ledgerTotals: ({ from }) =>
        from === 0
          ? [makeTotals('alice', '9007199254740993', '1'), makeTotals('bob', '1')]
          : [makeTotals('alice', '123456789', '5')],
    })
    await waitFor(() => expect(useLedger.getState().totals).not.toBeNull())
    const t = useLedger.getState().totals!
    expect(t.all.alice?.spent.amountApp).toBe('9007199254740993')
    expect(sumTotals(t.all, 'spent')).toBe(9007199254740994n)
    expect(sumTotals(t.today, 'earned')).toBe(5n)
    const froms = engine.callsTo('ledgerTotals').map((p) => p.from)
    expect(froms[0]).toBe(startOfDay(t.at))
    expect(froms[1]).toBe(t.at - 7 * 86_400_000)
    expect(froms[2]).toBe(0)
  })

  it('keeps the error when the ledger is unavailable', async () => {
    setupEngine({ ledgerTotals: () => Promise.reject(engineError('unavailable', 'no database in this mode')) })
    await waitFor(() => expect(useLedger.getState().error).toBeTruthy())
    expect(useLedger.getState().totals).toBeNull()
  })
})
