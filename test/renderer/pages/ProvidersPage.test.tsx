// The Providers page: the provider's link (connected since, reconnecting with the last error, local mode), masked URL,
// own address, asset, latency and the balance against its limits; loading and error states; and the list of all
// providers with add (validated), test, make active (confirmed), order, disable and remove.
import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AccountView, ProviderView } from '../../../app/shared/api-types'
import { useProviders } from '../../../app/renderer/src/store/providers'
import { ProvidersPage } from '../../../app/renderer/src/pages/ProvidersPage'
import { useNetwork } from '../../../app/renderer/src/store/network'
import { engineError } from '../support/fake-transport'
import { makeStatus } from '../support/fixtures'
import { renderWithEngine } from '../support/render'

const parentAccount: AccountView = {
  id: 'parent',
  relation: 'parent',
  label: 'btp+ws://junction:*****@ilsp.example:7768',
  link: 'connected',
  balance: '-250000000',
  minBalance: '-1000000000',
  maxBalance: null,
  packets: { fulfilled: 1500, rejected: 2 },
}
const network = {
  listAccounts: () => [parentAccount],
  listRoutes: () => [],
  listProviders: () => [],
  getProviderSettings: () => ({ graceSeconds: 60, failoverSeconds: 30, healthCheckSeconds: 300, switchBack: false }),
}

beforeEach(() => {
  useNetwork.getState().reset()
  useProviders.getState().reset()
})
afterEach(() => {
  useNetwork.getState().reset()
  useProviders.getState().reset()
})

function provider(over: Partial<ProviderView>): ProviderView {
  return {
    id: 'a',
    name: 'ILSP A',
    url: 'btp+ws://junction:***@ilsp-a.example:7768',
    transport: 'btp',
    receive: null,
    sendOnly: false,
    enabled: true,
    active: true,
    inGrace: false,
    state: { state: 'connected', since: Date.now() - 60_000 },
    address: 'test.ilsp-a.junction',
    assetCode: 'XRP',
    assetScale: 9,
    latencyMs: 4.2,
    lastCheckedAt: null,
    lastError: null,
    balance: '-4700',
    accountId: 'parent',
    createdAt: 1,
    ...over,
  }
}
const idle = { state: null, address: null, assetCode: null, assetScale: null, latencyMs: null, active: false }

describe('Providers page', () => {
  it('says it is loading until the status comes', async () => {
    renderWithEngine(<ProvidersPage />, { ...network, status: () => new Promise(() => {}) })
    expect(await screen.findByText(/Loading the provider's state/)).toBeTruthy()
  })

  it('shows a failed load with a retry', async () => {
    const { engine } = renderWithEngine(<ProvidersPage />, {
      ...network,
      status: () => {
        throw engineError('unavailable', 'the engine is starting')
      },
    })
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toMatch(/Could not load the provider's state/)
    engine.handle('status', () => makeStatus())
    await userEvent.click(within(alert).getByRole('button', { name: /Retry/ }))
    expect(await screen.findByText('Connected to ilsp.example:7768')).toBeTruthy()
  })

  it('shows the connected provider: since when, masked URL, address, asset, latency, exact balance against limits', async () => {
    const since = Date.now() - 3 * 60_000 - 10_000
    renderWithEngine(<ProvidersPage />, {
      ...network,
      status: () =>
        makeStatus({
          provider: {
            configured: true,
            name: 'ilsp.example:7768',
            url: 'btp+ws://junction:*****@ilsp.example:7768',
            state: { state: 'connected', since },
            balance: '-250000000',
            minBalance: '-1000000000',
            maxBalance: null,
            latencyMs: 12,
          },
        }),
    })
    expect(await screen.findByText('Connected to ilsp.example:7768')).toBeTruthy()
    expect(screen.getByText('3 min ago').getAttribute('title')).toBeTruthy()
    expect(screen.getByText('btp+ws://junction:*****@ilsp.example:7768')).toBeTruthy()
    expect(screen.getByText('g.ilsp.junction')).toBeTruthy()
    expect(screen.getByRole('button', { name: 'Copy address: g.ilsp.junction' })).toBeTruthy()
    expect(screen.getByText('12 ms')).toBeTruthy()
    const page = document.querySelector('.providers-page')!
    expect(page.textContent).toContain('XRP, scale 9 (1 XRP = 1,000,000,000 base units)')
    expect(page.textContent).toContain('balance −0.25 XRP')
    expect(page.textContent).toContain('Packets to the provider (ilsp.example:7768) are refused below −1 XRP; room left: 0.75 XRP.')
    expect(page.textContent).toContain('never refused for its balance: it has no maximum')
    await waitFor(() => expect(page.textContent).toContain('1,500 fulfilled, 2 rejected'))
  })

  it('shows a reconnecting link with the countdown and the last error', async () => {
    renderWithEngine(<ProvidersPage />, {
      ...network,
      status: () =>
        makeStatus({
          provider: {
            ...makeStatus().provider,
            state: { state: 'waiting', retryAt: Date.now() + 8_500, lastError: 'connection refused (ECONNREFUSED)' },
          },
        }),
    })
    expect(await screen.findByText(/^Reconnecting in (8|9) s$/)).toBeTruthy()
    expect(screen.getByText('Last error: connection refused (ECONNREFUSED)')).toBeTruthy()
  })

  it('explains local mode', async () => {
    renderWithEngine(<ProvidersPage />, {
      listAccounts: () => [],
      listRoutes: () => [],
      listProviders: () => [],
      status: () =>
        makeStatus({
          address: 'private.junction',
          provider: { configured: false, name: null, url: null, state: null, balance: null, minBalance: null, maxBalance: null, latencyMs: null },
        }),
    })
    expect(await screen.findByText('No provider — local mode')).toBeTruthy()
    expect(screen.getByText('private.junction')).toBeTruthy()
  })

  it('lists every provider: link, address, latency, balance; the active one has no switch or remove', async () => {
    renderWithEngine(<ProvidersPage />, {
      ...network,
      listProviders: () => [provider({}), provider({ id: 'b', name: 'ILSP B', url: 'btp+ws://junction:***@ilsp-b.example:7768', accountId: 'provider:b', balance: '0', ...idle })],
    })
    const rowA = (await screen.findByText('ILSP A')).closest('tr')!
    const rowB = screen.getByText('ILSP B').closest('tr')!
    expect(rowA.textContent).toMatch(/active/)
    expect(rowA.textContent).toMatch(/test\.ilsp-a\.junction/)
    expect(rowA.textContent).toMatch(/4\.2 ms/)
    expect(rowA.textContent).not.toMatch(/secret/)
    expect(within(rowA).queryByRole('button', { name: 'Make active' })).toBeNull()
    expect(within(rowA).queryByRole('button', { name: 'Remove' })).toBeNull()
    expect(rowB.textContent).toMatch(/Not connected/)
    expect(within(rowB).getByRole('button', { name: 'Make active' })).toBeTruthy()
    expect(within(rowA).getByRole('button', { name: 'Move ILSP A up' })).toHaveProperty('disabled', true)
  })

  it('adds a provider: a bad URL is refused before sending; a good one is sent and listed', async () => {
    const items: ProviderView[] = [provider({})]
    const { engine } = renderWithEngine(<ProvidersPage />, {
      ...network,
      listProviders: () => items,
      addProvider: (p) => {
        const added = provider({ id: 'b', name: p.name, url: 'btp+ws://u:***@b.example:1', ...idle })
        items.push(added)
        return added
      },
    })
    await screen.findByText('ILSP A')
    await userEvent.click(screen.getByRole('button', { name: /Add provider/ }))
    await userEvent.type(screen.getByLabelText('Name'), 'ILSP B')
    await userEvent.type(screen.getByLabelText('Provider URL'), 'ftp://b.example')
    await userEvent.click(screen.getByRole('button', { name: 'Add' }))
    expect((await screen.findByRole('alert')).textContent).toMatch(/URL: expected a BTP URL .* or an ILP-over-HTTP URL/)
    expect(engine.callsTo('addProvider')).toEqual([])
    await userEvent.clear(screen.getByLabelText('Provider URL'))
    await userEvent.type(screen.getByLabelText('Provider URL'), 'btp+ws://u:s@b.example:1')
    await userEvent.click(screen.getByRole('button', { name: 'Add' }))
    await screen.findByText('Added ILSP B')
    expect(engine.callsTo('addProvider')).toEqual([{ name: 'ILSP B', url: 'btp+ws://u:s@b.example:1' }])
    expect(screen.getAllByText('ILSP B').length).toBeGreaterThan(0)
  })

  it('tests a provider and shows its address and latency, or the error', async () => {
    const { engine } = renderWithEngine(<ProvidersPage />, {
      ...network,
      listProviders: () => [provider({}), provider({ id: 'b', name: 'ILSP B', ...idle })],
      testProvider: (p) =>
        'id' in p && p.id === 'b'
          ? { ok: false, error: 'connect ECONNREFUSED 127.0.0.1:7768' }
          : { ok: true, address: 'test.ilsp-a.junction', assetCode: 'XRP', assetScale: 9, latencyMs: 3.1 },
    })
    const rowA = (await screen.findByText('ILSP A')).closest('tr')!
    const rowB = screen.getByText('ILSP B').closest('tr')!
    await userEvent.click(within(rowA).getByRole('button', { name: 'Test' }))
    expect((await within(rowA).findByText(/Works:/)).textContent).toMatch(/test\.ilsp-a\.junction.*XRP.*3\.1 ms/)
    await userEvent.click(within(rowB).getByRole('button', { name: 'Test' }))
    expect((await within(rowB).findByText(/Failed:/)).textContent).toMatch(/ECONNREFUSED/)
    expect(engine.callsTo('testProvider')).toEqual([{ id: 'a' }, { id: 'b' }])
  })

  it('makes a provider active only after confirming that apps will reconnect; reports a refusal', async () => {
    let fail = true
    const { engine } = renderWithEngine(<ProvidersPage />, {
      ...network,
      listProviders: () => [provider({}), provider({ id: 'b', name: 'ILSP B', ...idle })],
      activateProvider: (p) => {
        if (fail) throw engineError('unavailable', 'could not switch to "ILSP B": connect ECONNREFUSED')
        return provider({ id: p.id, name: 'ILSP B' })
      },
    })
    const rowB = (await screen.findByText('ILSP B')).closest('tr')!
    await userEvent.click(within(rowB).getByRole('button', { name: 'Make active' }))
    const dialog = await screen.findByRole('alertdialog')
    expect(dialog.textContent).toMatch(/Apps will reconnect/)
    expect(engine.callsTo('activateProvider')).toEqual([])
    await userEvent.click(within(dialog).getByRole('button', { name: 'Switch provider' }))
    expect((await within(dialog).findByRole('alert')).textContent).toMatch(/ECONNREFUSED/)
    fail = false
    await userEvent.click(within(dialog).getByRole('button', { name: 'Switch provider' }))
    await screen.findByText('Switched to ILSP B')
    expect(engine.callsTo('activateProvider')).toEqual([{ id: 'b' }, { id: 'b' }])
  })

  it('moves, disables and removes (confirmed) a provider', async () => {
    const { engine } = renderWithEngine(<ProvidersPage />, {
      ...network,
      listProviders: () => [provider({}), provider({ id: 'b', name: 'ILSP B', ...idle })],
      setProviderOrder: (p) => p.ids.map((id) => (id === 'a' ? provider({}) : provider({ id: 'b', name: 'ILSP B', ...idle }))),
      disableProvider: () => provider({ id: 'b', name: 'ILSP B', enabled: false, ...idle }),
      removeProvider: () => undefined,
    })
    const rowB = (await screen.findByText('ILSP B')).closest('tr')!
    await userEvent.click(within(rowB).getByRole('button', { name: 'Move ILSP B up' }))
    await waitFor(() => expect(engine.callsTo('setProviderOrder')).toEqual([{ ids: ['b', 'a'] }]))
    await userEvent.click(within(screen.getByText('ILSP B').closest('tr')!).getByRole('button', { name: 'Disable' }))
    await waitFor(() => expect(engine.callsTo('disableProvider')).toEqual([{ id: 'b' }]))
    await userEvent.click(within(screen.getByText('ILSP B').closest('tr')!).getByRole('button', { name: 'Remove' }))
    const dialog = await screen.findByRole('alertdialog')
    await userEvent.click(within(dialog).getByRole('button', { name: 'Remove' }))
    await waitFor(() => expect(engine.callsTo('removeProvider')).toEqual([{ id: 'b' }]))
  })

  it('edits a provider: a new name, the URL with a new secret, the engine’s refusal of another place kept in the dialog', async () => {
    let refuse = true
    const { engine } = renderWithEngine(<ProvidersPage />, {
      ...network,
      listProviders: () => [provider({}), provider({ id: 'b', name: 'ILSP B', ...idle, lastError: 'the secret of its URL is not in the secret store; enter its full URL again with Edit on the Providers page' })],
      updateProvider: (c) => {
        if (refuse && c.url) throw engineError('invalid-input', 'another place or account (btp+ws://other:***@elsewhere:1) than "ILSP A": add it as a new provider; here only its secret may change')
        return provider({ ...(c.name ? { name: c.name } : {}) })
      },
    })
    const row = (await screen.findByText('ILSP A')).closest('tr')!
    await userEvent.click(within(row).getByRole('button', { name: 'Edit ILSP A' }))
    let dialog = await screen.findByRole('alertdialog')
    expect((within(dialog).getByLabelText('URL with a new secret') as HTMLInputElement).placeholder).toBe('btp+ws://junction:***@ilsp-a.example:7768')
    expect(dialog.textContent).toMatch(/Junction reconnects with it at once/)
    expect(dialog.textContent).not.toMatch(/lost the secret/)
    // A URL that is not one: the contract's message, nothing sent.
    await userEvent.type(within(dialog).getByLabelText('URL with a new secret'), 'ftp://x')
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }))
    expect((await within(dialog).findByRole('alert')).textContent).toMatch(/^URL: /)
    expect(engine.callsTo('updateProvider')).toEqual([])
    // Another place: the engine's refusal, the dialog stays.
    await userEvent.clear(within(dialog).getByLabelText('URL with a new secret'))
    await userEvent.type(within(dialog).getByLabelText('URL with a new secret'), 'btp+ws://other:s3cret@elsewhere:1')
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }))
    expect((await within(dialog).findByRole('alert')).textContent).toMatch(/^Another place or account \(btp\+ws:\/\/other:\*\*\*@elsewhere:1\) than "ILSP A"/)
    // The same place with a new secret, and a new name.
    refuse = false
    await userEvent.clear(within(dialog).getByLabelText('URL with a new secret'))
    await userEvent.type(within(dialog).getByLabelText('URL with a new secret'), 'btp+ws://junction:n3w-s3cret@ilsp-a.example:7768')
    await userEvent.clear(within(dialog).getByLabelText('Name'))
    await userEvent.type(within(dialog).getByLabelText('Name'), 'My ILSP')
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }))
    await screen.findByText('Saved My ILSP')
    expect(engine.callsTo('updateProvider')).toEqual([
      { id: 'a', url: 'btp+ws://other:s3cret@elsewhere:1' },
      { id: 'a', name: 'My ILSP', url: 'btp+ws://junction:n3w-s3cret@ilsp-a.example:7768' },
    ])
    // A provider whose secret was lost: the dialog says to enter the whole URL again.
    await userEvent.click(within(screen.getByText('ILSP B').closest('tr')!).getByRole('button', { name: 'Edit ILSP B' }))
    dialog = await screen.findByRole('alertdialog')
    expect(within(dialog).getByRole('note').textContent).toMatch(/lost the secret of this provider's URL: enter the whole URL again/)
    expect(dialog.textContent).not.toMatch(/reconnects with it at once/)
  })

  it('adds an ILP-over-HTTP provider with a receive bind (checked first), and shows send-only and where one receives', async () => {
    const items: ProviderView[] = [provider({})]
    const { engine } = renderWithEngine(<ProvidersPage />, {
      ...network,
      listProviders: () => items,
      addProvider: (p) => {
        const added = provider({
          id: 'h',
          name: p.name,
          url: 'https://junction:***@h.example/ilp',
          transport: 'http',
          receive: { bind: '127.0.0.1:7770', url: 'http://127.0.0.1:7770/ilp', listening: false, error: null },
          ...idle,
        })
        items.push(added)
        return added
      },
    })
    await screen.findByText('ILSP A')
    await userEvent.click(screen.getByRole('button', { name: /Add provider/ }))
    await userEvent.type(screen.getByLabelText('Name'), 'HTTP ILSP')
    await userEvent.type(screen.getByLabelText('Provider URL'), 'https://junction:tok@h.example/ilp')
    expect(screen.getByText(/send-only: apps can pay through it but cannot be paid/)).toBeTruthy()
    await userEvent.click(screen.getByLabelText('Receive packets from this provider'))
    await userEvent.type(screen.getByLabelText('Port'), '7770')
    await userEvent.type(screen.getByLabelText('Token the provider sends'), 'short')
    await userEvent.click(screen.getByRole('button', { name: 'Add' }))
    expect((await screen.findByRole('alert')).textContent).toMatch(/Token: a token needs at least 16 characters/)
    expect(engine.callsTo('addProvider')).toEqual([])
    await userEvent.click(screen.getByRole('button', { name: 'Generate' }))
    const token = (screen.getByLabelText('Token the provider sends') as HTMLInputElement).value
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/)
    expect(document.body.textContent).toContain('Give the provider http://127.0.0.1:7770/ilp and this token')
    await userEvent.click(screen.getByRole('button', { name: 'Add' }))
    await screen.findByText('Added HTTP ILSP')
    expect(engine.callsTo('addProvider')).toEqual([
      { name: 'HTTP ILSP', url: 'https://junction:tok@h.example/ilp', receive: { host: '127.0.0.1', port: 7770, token } },
    ])
    const row = screen.getByText('HTTP ILSP').closest('tr')!
    expect(within(row).getByText('HTTP')).toBeTruthy()
    expect(row.textContent).toContain('Receives at http://127.0.0.1:7770/ilp (while this provider is connected)')
  })

  it('sets an HTTP provider send-only from the Receiving dialog, and says so', async () => {
    let sendOnly = false
    const http = () =>
      provider({
        id: 'h',
        name: 'HTTP ILSP',
        url: 'https://junction:***@h.example/ilp',
        transport: 'http',
        sendOnly,
        receive: sendOnly ? null : { bind: '127.0.0.1:7770', url: 'http://127.0.0.1:7770/ilp', listening: true, error: null },
      })
    const { engine } = renderWithEngine(<ProvidersPage />, {
      ...network,
      listProviders: () => [http()],
      setProviderReceive: (p) => {
        sendOnly = p.receive === null
        return http()
      },
    })
    const row = (await screen.findByText('HTTP ILSP')).closest('tr')!
    expect(row.textContent).toContain('Receives at http://127.0.0.1:7770/ilp')
    await waitFor(() => expect(document.querySelector('.provider-facts')!.textContent).toContain('Receivingat http://127.0.0.1:7770/ilp'))
    await userEvent.click(within(row).getByRole('button', { name: 'Receiving…' }))
    const dialog = await screen.findByRole('alertdialog')
    expect((within(dialog).getByLabelText('Port') as HTMLInputElement).value).toBe('7770')
    await userEvent.click(within(dialog).getByLabelText('Receive packets from this provider'))
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }))
    await screen.findByText('HTTP ILSP is send-only')
    expect(engine.callsTo('setProviderReceive')).toEqual([{ id: 'h', receive: null }])
    await waitFor(() => expect(within(screen.getByText('HTTP ILSP').closest('tr')!).getByText('send-only')).toBeTruthy())
    // The current provider's facts say it too, with what to do.
    expect(document.querySelector('.provider-facts')!.textContent).toMatch(/send-only: this ILP-over-HTTP provider cannot reach Junction, so apps can pay through it but cannot be paid/)
  })
})
