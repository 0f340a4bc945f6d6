// The Peers card of Peers & Routes: each stored peer with its link, incoming yes/no, asset, exact balance and route
// count; the empty state; Add (checked with the contract's schema before sending, a generated incoming token, the
// engine's refusal naming the field, the URL handed out once; for an HTTP peer where to POST); Remove after confirming; a refresh on peersChanged.
import { act, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { PeerView } from '../../../app/shared/api-types'
import { PeersRoutesPage } from '../../../app/renderer/src/pages/PeersRoutesPage'
import { useNetwork } from '../../../app/renderer/src/store/network'
import { usePeers } from '../../../app/renderer/src/store/peers'
import { engineError } from '../support/fake-transport'
import { renderWithEngine } from '../support/render'

function peer(over: Partial<PeerView>): PeerView {
  return {
    id: 'lab',
    name: 'The lab',
    accountId: 'peer:lab',
    url: 'btp+ws://junction:***@lab.example:7443',
    transport: 'btp',
    incoming: false,
    connected: true,
    state: { state: 'connected', since: Date.now() - 60_000 },
    assetCode: 'XRP',
    assetScale: 9,
    balance: '-1234567891',
    routes: 3,
    createdAt: 1,
    fromConfig: false,
    ...over,
  }
}
const friend = peer({
  id: 'friend',
  name: 'A friend',
  accountId: 'peer:friend',
  url: null,
  transport: null,
  incoming: true,
  connected: false,
  state: null,
  assetCode: 'USD',
  assetScale: 2,
  balance: '250',
  routes: 0,
})
const quiet = { listAccounts: () => [], listRoutes: () => [] }

const peerRows = () => within(screen.getByRole('table', { name: 'Peers' })).getAllByRole('row').slice(1)

beforeEach(() => {
  useNetwork.getState().reset()
  usePeers.getState().reset()
})
afterEach(() => {
  useNetwork.getState().reset()
  usePeers.getState().reset()
})

describe('Peers on Peers & Routes', () => {
  it('lists each peer: name and account, link, incoming, asset, exact balance, routes; never a secret', async () => {
    renderWithEngine(<PeersRoutesPage />, { ...quiet, listPeers: () => [peer({}), friend] })
    await waitFor(() => expect(peerRows()).toHaveLength(2))
    const [lab, fr] = peerRows()
    expect(lab!.textContent).toContain('The lab')
    expect(lab!.textContent).toContain('peer:lab')
    expect(lab!.textContent).toContain('btp+ws://junction:***@lab.example:7443')
    expect(lab!.textContent).toContain('Connected')
    expect(lab!.textContent).toMatch(/No/)
    expect(lab!.textContent).toContain('−1.234567891 XRP')
    expect(within(lab!).getAllByRole('cell')[5]!.textContent).toBe('3')
    expect(fr!.textContent).toContain('Waiting for it to connect')
    expect(fr!.textContent).toMatch(/Yes/)
    expect(fr!.textContent).toContain('+2.5 USD')
    expect(fr!.textContent).toContain('(scale 2)')
  })

  it('teaches what a peer is when there is none', async () => {
    renderWithEngine(<PeersRoutesPage />, { ...quiet, listPeers: () => [] })
    expect(await screen.findByText('No peers yet')).toBeTruthy()
    expect(screen.getByText(/another connector/)).toBeTruthy()
  })

  it('adds a peer: checked before sending, a generated token, the engine’s refusal shown at its field, the URL handed out once', async () => {
    const items: PeerView[] = []
    let refuse = true
    const { engine } = renderWithEngine(<PeersRoutesPage />, {
      ...quiet,
      listPeers: () => items,
      addPeer: (p) => {
        if (refuse) throw engineError('invalid-input', 'id: "alice" is the name of an app on this Junction; choose another peer id', [{ path: 'id', message: 'app name' }])
        const added = peer({ id: p.id, accountId: `peer:${p.id}`, name: p.name ?? p.id, url: null, transport: null, incoming: true, state: null, connected: false })
        items.push(added)
        return added
      },
    })
    await screen.findByText('No peers yet')
    await userEvent.click(screen.getByRole('button', { name: /Add peer/ }))
    const form = screen.getByRole('form', { name: 'Add a peer' })
    await userEvent.type(within(form).getByLabelText('ID'), 'alice')
    await userEvent.click(within(form).getByRole('button', { name: 'Add peer' }))
    // Neither a URL nor a token: refused before anything is sent.
    expect((await within(form).findByRole('alert')).textContent).toMatch(/URL: give the peer a url/)
    expect(engine.callsTo('addPeer')).toEqual([])

    await userEvent.click(within(form).getByRole('button', { name: 'Generate' }))
    const token = (within(form).getByLabelText(/Incoming token/) as HTMLInputElement).value
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/)
    await userEvent.click(within(form).getByRole('button', { name: 'Add peer' }))
    expect((await within(form).findByRole('alert')).textContent).toMatch(/"alice" is the name of an app/)
    expect(within(form).getByLabelText('ID').getAttribute('aria-invalid')).toBe('true')

    refuse = false
    await userEvent.clear(within(form).getByLabelText('ID'))
    await userEvent.type(within(form).getByLabelText('ID'), 'friend')
    await userEvent.type(within(form).getByLabelText('Name'), 'A friend')
    await userEvent.click(within(form).getByRole('button', { name: 'Add peer' }))
    await screen.findByText('Added A friend')
    expect(engine.callsTo('addPeer')).toEqual([
      { id: 'alice', incomingToken: token },
      { id: 'friend', name: 'A friend', incomingToken: token },
    ])
    // The URL to give the peer, with the token, shown once; the status says the app port is 7768.
    const handout = await screen.findByText(/Give/)
    expect(handout.closest('.peer-handout')!.textContent).toContain(`btp+ws://friend:${token}@localhost:7768`)
    await waitFor(() => expect(peerRows()).toHaveLength(1))
  })

  it('adds an ILP-over-HTTP peer: its masked URL, and where it must POST (app port /ilp, token, ILP-Peer-Name) shown once', async () => {
    const items: PeerView[] = []
    const { engine } = renderWithEngine(<PeersRoutesPage />, {
      ...quiet,
      listPeers: () => items,
      addPeer: (p) => {
        const added = peer({ id: p.id, accountId: `peer:${p.id}`, name: p.id, url: 'http://junction:***@lab.example:8080', transport: 'http', incoming: true })
        items.push(added)
        return added
      },
    })
    await screen.findByText('No peers yet')
    await userEvent.click(screen.getByRole('button', { name: /Add peer/ }))
    const form = screen.getByRole('form', { name: 'Add a peer' })
    await userEvent.type(within(form).getByLabelText('ID'), 'lab')
    await userEvent.type(within(form).getByLabelText(/^URL/), 'http://junction:lab-secret@lab.example:8080/')
    await userEvent.click(within(form).getByRole('button', { name: 'Generate' }))
    const token = (within(form).getByLabelText(/Incoming token/) as HTMLInputElement).value
    await userEvent.click(within(form).getByRole('button', { name: 'Add peer' }))
    await screen.findByText('Added lab')
    expect(engine.callsTo('addPeer')).toEqual([{ id: 'lab', url: 'http://junction:lab-secret@lab.example:8080/', incomingToken: token }])
    const handout = (await screen.findByText(/sends its packets to Junction over ILP-over-HTTP/)).closest('.peer-handout')!
    expect(handout.textContent).toContain('http://127.0.0.1:7768/ilp')
    expect(handout.textContent).toContain(`Bearer ${token}`)
    expect(handout.textContent).toMatch(/ILP-Peer-Name\s*lab/)
    expect(handout.textContent).not.toContain('btp+ws://')
    await waitFor(() => expect(peerRows()).toHaveLength(1))
    const row = peerRows()[0]!
    expect(row.textContent).toContain('http://junction:***@lab.example:8080')
    expect(row.textContent).toContain('POSTs to http://127.0.0.1:7768/ilp as lab')
    expect(row.textContent).not.toContain('lab-secret')
    // Dismissed, the token is gone from the page.
    await userEvent.click(within(handout as HTMLElement).getByRole('button', { name: 'Done' }))
    expect(document.body.textContent).not.toContain(token)
  })

  it('removes a peer only after confirming, and lists what is left', async () => {
    let items = [peer({}), friend]
    const { engine } = renderWithEngine(<PeersRoutesPage />, {
      ...quiet,
      listPeers: () => items,
      removePeer: (p) => {
        items = items.filter((x) => x.id !== p.id)
      },
    })
    await waitFor(() => expect(peerRows()).toHaveLength(2))
    await userEvent.click(screen.getByRole('button', { name: 'Remove The lab' }))
    const dialog = await screen.findByRole('alertdialog')
    expect(dialog.textContent).toMatch(/stops using the 3 routes it gives/)
    expect(dialog.textContent).toMatch(/balance with Junction stays/)
    expect(dialog.textContent).not.toMatch(/configuration/)
    expect(engine.callsTo('removePeer')).toEqual([])
    await userEvent.click(within(dialog).getByRole('button', { name: 'Remove peer' }))
    await screen.findByText('Removed The lab')
    expect(engine.callsTo('removePeer')).toEqual([{ id: 'lab' }])
    await waitFor(() => expect(peerRows()).toHaveLength(1))
  })

  it('marks a peer from the configuration, and says before removing it that it returns at the next start', async () => {
    renderWithEngine(<PeersRoutesPage />, { ...quiet, listPeers: () => [peer({ fromConfig: true }), friend] })
    await waitFor(() => expect(peerRows()).toHaveLength(2))
    const [lab, fr] = peerRows()
    expect(within(lab!).getByText('from config')).toBeTruthy()
    expect(within(fr!).queryByText('from config')).toBeNull()
    await userEvent.click(screen.getByRole('button', { name: 'Remove The lab' }))
    const dialog = await screen.findByRole('alertdialog')
    expect(within(dialog).getByRole('note').textContent).toMatch(/back at the next start unless you remove it there too/)
  })

  it('edits a peer in place: only what changed is sent, a new token is handed out once, the engine’s refusal shown at its field', async () => {
    let items = [peer({ incoming: true })]
    let refuse = false
    const { engine } = renderWithEngine(<PeersRoutesPage />, {
      ...quiet,
      listPeers: () => items,
      updatePeer: (c) => {
        if (refuse) throw engineError('invalid-input', 'updatePeer: url: expected a BTP URL', [{ path: 'url', message: 'expected a BTP URL' }])
        const updated = peer({ ...items[0], ...(c.name ? { name: c.name } : {}), ...(c.url === null ? { url: null, transport: null } : {}), ...(c.incomingToken === null ? { incoming: false } : {}) })
        items = [updated]
        return updated
      },
    })
    await waitFor(() => expect(peerRows()).toHaveLength(1))

    // A new name: nothing else is sent (empty fields keep the URL and the token).
    await userEvent.click(screen.getByRole('button', { name: 'Edit The lab' }))
    let form = await screen.findByRole('form', { name: 'Edit The lab' })
    await userEvent.clear(within(form).getByLabelText('Name'))
    await userEvent.type(within(form).getByLabelText('Name'), 'Lab two')
    await userEvent.click(within(form).getByRole('button', { name: 'Save' }))
    await screen.findByText('Saved Lab two')
    expect(engine.callsTo('updatePeer')).toEqual([{ id: 'lab', name: 'Lab two' }])
    await waitFor(() => expect(peerRows()[0]!.textContent).toContain('Lab two'))

    // A new token: sent, and the URL to give the peer is shown once with it.
    await userEvent.click(screen.getByRole('button', { name: 'Edit Lab two' }))
    form = await screen.findByRole('form', { name: 'Edit Lab two' })
    await userEvent.click(within(form).getByRole('button', { name: 'Generate' }))
    const token = (within(form).getByLabelText('New incoming token') as HTMLInputElement).value
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/)
    await userEvent.click(within(form).getByRole('button', { name: 'Save' }))
    const handout = await screen.findByText(/Give/)
    expect(handout.closest('.peer-handout')!.textContent).toContain(`btp+ws://lab:${token}@localhost:7768`)
    expect(engine.callsTo('updatePeer')[1]).toEqual({ id: 'lab', incomingToken: token })

    // Neither way to connect: refused before sending. A refused URL: the engine's message, at the URL field.
    await userEvent.click(screen.getByRole('button', { name: 'Edit Lab two' }))
    form = await screen.findByRole('form', { name: 'Edit Lab two' })
    await userEvent.click(within(form).getByLabelText('Junction connects to it'))
    await userEvent.click(within(form).getByLabelText('It connects to Junction'))
    await userEvent.click(within(form).getByRole('button', { name: 'Save' }))
    expect((await within(form).findByRole('alert')).textContent).toMatch(/A peer needs a way to connect/)
    expect(engine.callsTo('updatePeer')).toHaveLength(2)
    await userEvent.click(within(form).getByLabelText('Junction connects to it'))
    await userEvent.type(within(form).getByLabelText('New URL'), 'btp+ws://x:y@lab.example:1')
    refuse = true
    await userEvent.click(within(form).getByRole('button', { name: 'Save' }))
    expect((await within(form).findByRole('alert')).textContent).toMatch(/expected a BTP URL/)
    expect(within(form).getByLabelText('New URL').getAttribute('aria-invalid')).toBe('true')
    expect(engine.callsTo('updatePeer')[2]).toEqual({ id: 'lab', url: 'btp+ws://x:y@lab.example:1', incomingToken: null })

    // Stop connecting to it (it still connects to Junction).
    refuse = false
    await userEvent.click(within(form).getByLabelText('Junction connects to it'))
    await userEvent.click(within(form).getByLabelText('It connects to Junction'))
    await userEvent.click(within(form).getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(engine.callsTo('updatePeer')[3]).toEqual({ id: 'lab', url: null }))
    await waitFor(() => expect(screen.queryByRole('form', { name: 'Edit Lab two' })).toBeNull())
  })

  it('fetches the peers and the accounts again on peersChanged (a link came up)', async () => {
    const { engine } = renderWithEngine(<PeersRoutesPage />, { ...quiet, listPeers: () => [friend] })
    await waitFor(() => expect(peerRows()[0]!.textContent).toContain('Waiting for it to connect'))
    const accountLoads = engine.callsTo('listAccounts').length
    engine.handle('listPeers', () => [{ ...friend, connected: true, state: { state: 'connected', since: Date.now() }, routes: 2 }])
    act(() => engine.emit('peersChanged', {}))
    await waitFor(() => expect(peerRows()[0]!.textContent).toContain('Connected'))
    expect(within(peerRows()[0]!).getAllByRole('cell')[5]!.textContent).toBe('2')
    // The peer's account (link, balance) in the Accounts table is fetched again too.
    await waitFor(() => expect(engine.callsTo('listAccounts').length).toBeGreaterThan(accountLoads))
  })
})
