// Connect an app: the name is checked like the engine checks it, registerApp gets the right params, and the URL and
// ILP_CREDENTIALS snippet are shown once, ready to copy.
import { screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { ConnectAppDialog } from '../../../app/renderer/src/pages/ConnectAppDialog'
import { engineError } from '../support/fake-transport'
import { makeApp } from '../support/fixtures'
import { renderWithEngine } from '../support/render'

const registered = (name: string) => ({ app: makeApp({ id: name, registered: true }), token: 'tok3n', url: `btp+ws://${name}:tok3n@127.0.0.1:7768` })

describe('Connect an app', () => {
  it('refuses a name that cannot be an address segment, before calling the engine', async () => {
    const user = userEvent.setup()
    const { engine } = renderWithEngine(<ConnectAppDialog onClose={() => {}} />, { registerApp: ({ name }) => registered(name) })
    await user.type(screen.getByLabelText('Name'), 'my wallet')
    await user.click(screen.getByRole('button', { name: 'Create token' }))
    expect(screen.getByRole('alert').textContent).toMatch(/^Name: an app name becomes an ILP address segment/)
    expect(engine.callsTo('registerApp')).toEqual([])
  })

  it('registers and shows the URL and the ILP_CREDENTIALS snippet, once', async () => {
    const user = userEvent.setup()
    const { engine } = renderWithEngine(<ConnectAppDialog onClose={() => {}} />, { registerApp: ({ name }) => registered(name) })
    await user.type(screen.getByLabelText('Name'), 'my-wallet')
    await user.type(screen.getByLabelText('Display name (optional)'), 'My wallet')
    await user.click(screen.getByRole('button', { name: 'Create token' }))
    expect(engine.callsTo('registerApp')).toEqual([{ name: 'my-wallet', displayName: 'My wallet' }])
    expect((await screen.findByTestId('connect-url')).textContent).toBe('btp+ws://my-wallet:tok3n@127.0.0.1:7768')
    expect(screen.getByTestId('connect-snippet').textContent).toBe(`ILP_CREDENTIALS='{"server":"btp+ws://my-wallet:tok3n@127.0.0.1:7768"}'`)
    expect(screen.getByText(/shown only this once/)).toBeTruthy()
    const writeText = vi.fn().mockResolvedValue(undefined)
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true })
    await user.click(screen.getByRole('button', { name: /Copy snippet/ }))
    expect(writeText).toHaveBeenCalledWith(`ILP_CREDENTIALS='{"server":"btp+ws://my-wallet:tok3n@127.0.0.1:7768"}'`)
  })

  it("shows the engine's refusal of a taken name and offers a new token for it", async () => {
    const user = userEvent.setup()
    const { engine } = renderWithEngine(<ConnectAppDialog onClose={() => {}} />, {
      registerApp: ({ name, replaceToken }) => {
        if (!replaceToken) throw engineError('conflict', `app "${name}" is already registered; replace its token to get a new one`)
        return registered(name)
      },
    })
    await user.type(screen.getByLabelText('Name'), 'my-wallet{Enter}')
    expect((await screen.findByRole('alert')).textContent).toBe('App "my-wallet" is already registered; replace its token to get a new one.')
    await user.click(screen.getByRole('button', { name: 'Replace its token' }))
    expect(engine.callsTo('registerApp')).toEqual([{ name: 'my-wallet' }, { name: 'my-wallet', replaceToken: true }])
    expect((await screen.findByTestId('connect-url')).textContent).toBe('btp+ws://my-wallet:tok3n@127.0.0.1:7768')
  })

  it("shows a refused name (a peer's id) without offering a new token, which would not help", async () => {
    const user = userEvent.setup()
    renderWithEngine(<ConnectAppDialog onClose={() => {}} />, {
      registerApp: ({ name }) => {
        throw engineError('invalid-input', `cannot register app "${name}": it is the id of a peer (a peer connects with its id as username); choose another name`)
      },
    })
    await user.type(screen.getByLabelText('Name'), 'lab{Enter}')
    expect((await screen.findByRole('alert')).textContent).toMatch(/^Cannot register app "lab": it is the id of a peer/)
    expect(screen.queryByRole('button', { name: 'Replace its token' })).toBeNull()
  })

  it('closes on Escape', async () => {
    const user = userEvent.setup()
    const onClose = vi.fn()
    renderWithEngine(<ConnectAppDialog onClose={onClose} />)
    await user.keyboard('{Escape}')
    expect(onClose).toHaveBeenCalledOnce()
  })
})
