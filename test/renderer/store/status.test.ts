// The status store: loads the engine's status, follows events (address, provider, paused, traffic, app changes) and
// the page's connection, and reports a failed load.
import { waitFor } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { useStatus } from '../../../app/renderer/src/store/status'
import { engineError } from '../support/fake-transport'
import { makeStatus } from '../support/fixtures'
import { setupEngine } from '../support/render'

describe('status store', () => {
  it('loads the status when bound to an open client', async () => {
    setupEngine({ status: () => makeStatus({ address: 'g.x.me' }) })
    await waitFor(() => expect(useStatus.getState().status?.address).toBe('g.x.me'))
    expect(useStatus.getState().connection).toBe('open')
  })

  it('keeps the error of a failed load', async () => {
    setupEngine({
      status: () => {
        throw engineError('unavailable', 'the database cannot be read')
      },
    })
    await waitFor(() => expect(useStatus.getState().error).toBeTruthy())
    expect(useStatus.getState().status).toBeNull()
    expect((useStatus.getState().error as Error).message).toBe('the database cannot be read')
  })

  it('follows address, provider, paused and traffic events', async () => {
    const engine = setupEngine()
    await waitFor(() => expect(useStatus.getState().status).not.toBeNull())
    engine.emit('address', { address: 'g.new.addr' })
    engine.emit('paused', { paused: true })
    engine.emit('provider', { state: 'waiting', retryAt: 5, lastError: 'ECONNREFUSED' })
    engine.emit('traffic', { packetsPerSecond: 12.5, fulfilledPerSecond: 10 })
    const s = useStatus.getState()
    expect(s.status?.address).toBe('g.new.addr')
    expect(s.status?.paused).toBe(true)
    expect(s.status?.provider.state).toEqual({ state: 'waiting', retryAt: 5, lastError: 'ECONNREFUSED' })
    expect(s.traffic?.packetsPerSecond).toBe(12.5)
  })

  it('re-reads the status once after a burst of app events', async () => {
    let pending = 0
    const engine = setupEngine({ status: () => makeStatus({ apps: { total: pending, connected: 0, pending } }) })
    await waitFor(() => expect(useStatus.getState().status).not.toBeNull())
    const before = engine.callsTo('status').length
    pending = 3
    engine.emit('appChanged', { id: 'a' })
    engine.emit('appChanged', { id: 'b' })
    engine.emit('appConnected', { id: 'c' })
    await waitFor(() => expect(useStatus.getState().status?.apps.pending).toBe(3))
    expect(engine.callsTo('status').length).toBe(before + 1)
  })

  it('reads the status again when the providers changed (the active one renamed)', async () => {
    let name = 'ILSP'
    const engine = setupEngine({ status: () => makeStatus({ provider: { ...makeStatus().provider, name } }) })
    await waitFor(() => expect(useStatus.getState().status?.provider.name).toBe('ILSP'))
    name = 'My ILSP'
    engine.emit('providersChanged', {})
    await waitFor(() => expect(useStatus.getState().status?.provider.name).toBe('My ILSP'))
  })

  it('tracks the connection to the engine and reloads when it opens again', async () => {
    const engine = setupEngine()
    await waitFor(() => expect(useStatus.getState().status).not.toBeNull())
    engine.setState('closed')
    expect(useStatus.getState().connection).toBe('closed')
    const before = engine.callsTo('status').length
    engine.setState('open')
    expect(useStatus.getState().connection).toBe('open')
    await waitFor(() => expect(engine.callsTo('status').length).toBe(before + 1))
  })

  it('pauses and resumes through the engine', async () => {
    const engine = setupEngine({ pause: () => ({ paused: true }), resume: () => ({ paused: false }) })
    await waitFor(() => expect(useStatus.getState().status).not.toBeNull())
    await useStatus.getState().setPaused(true)
    expect(useStatus.getState().status?.paused).toBe(true)
    await useStatus.getState().setPaused(false)
    expect(useStatus.getState().status?.paused).toBe(false)
    expect(engine.calls.map((c) => c.method)).toEqual(expect.arrayContaining(['pause', 'resume']))
  })
})
