// The contract over IPC, with a fake ipcMain and the real engine API: calls are checked against the contract before
// the engine sees them, errors come back as WireErrors, and only the app's own page in its own window is answered.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { pathToFileURL } from 'node:url'
import type { IpcMain, WebContents } from 'electron'
import { CALL_CHANNEL, EVENT_CHANNEL, type IpcReply, registerIpc, sendEvent } from '../../../app/main/electron/ipc'
import type { JunctionApi } from '../../../app/shared/api-types'
import { FakeIpcMain, FakeWebContents, memoryEngine, memoryLog } from './fakes'

const PAGE = '/opt/Junction/resources/app.asar/dist/renderer/index.html'
const PAGE_URL = pathToFileURL(PAGE).href

function setup(apiOverride?: (api: JunctionApi) => JunctionApi) {
  const { connector, api: realApi } = memoryEngine()
  const calls: string[] = []
  const base = apiOverride ? apiOverride(realApi) : realApi
  // Counts what reaches the engine, to show refused calls never do.
  const api = new Proxy(base, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver)
      return typeof v === 'function' ? (...args: unknown[]) => (calls.push(String(prop)), v.apply(target, args)) : v
    },
  })
  const ipcMain = new FakeIpcMain()
  const own = new FakeWebContents()
  const log = memoryLog()
  const dispose = registerIpc({
    ipcMain: ipcMain as unknown as Pick<IpcMain, 'handle' | 'removeHandler'>,
    api,
    ownContents: () => own as unknown as WebContents,
    page: PAGE,
    log,
  })
  const mainFrame = { url: `${PAGE_URL}#/apps`, parent: null }
  const invoke = (method: unknown, params?: unknown, event: object = { sender: own, senderFrame: mainFrame }) =>
    ipcMain.handlers.get(CALL_CHANNEL)!(event, method, params) as Promise<IpcReply>
  return { connector, ipcMain, own, log, calls, dispose, invoke, mainFrame }
}

describe('IPC: one channel for the whole contract', () => {
  it('answers a valid call with the engine’s result', async () => {
    const { invoke, calls } = setup()
    const reply = await invoke('status')
    assert.equal(reply.ok, true)
    assert.ok(reply.ok)
    const status = reply.result as Awaited<ReturnType<JunctionApi['status']>>
    assert.equal(status.assetCode, 'XRP')
    assert.equal(status.provider.configured, false)
    assert.deepEqual(calls, ['status'])
  })

  it('passes the argument on: registering an app through IPC registers it in the engine', async () => {
    const { invoke, connector } = setup()
    const reply = await invoke('registerApp', { name: 'wallet' })
    assert.ok(reply.ok, JSON.stringify(reply))
    assert.ok(connector.apps.list().some((a) => a.id === 'wallet'))
    const again = await invoke('getApp', { id: 'wallet' })
    assert.ok(again.ok)
    assert.equal((again.result as { id: string }).id, 'wallet')
  })

  it('refuses invalid params with invalid-input and per-field issues, before the engine sees them', async () => {
    const { invoke, calls } = setup()
    const reply = await invoke('setAppBudget', { id: 'wallet', budget: { amount: '1.5', period: 'year' } })
    assert.equal(reply.ok, false)
    assert.ok(!reply.ok)
    assert.equal(reply.error.code, 'invalid-input')
    assert.match(reply.error.message, /^setAppBudget: /)
    const paths = reply.error.issues!.map((i) => i.path).sort()
    assert.deepEqual(paths, ['budget.amount', 'budget.period'])
    assert.deepEqual(calls, [], 'the engine was not called')
  })

  it('refuses a method the contract does not have', async () => {
    const { invoke, calls } = setup()
    for (const method of ['dropDatabase', 'constructor', '__proto__', 42, undefined]) {
      const reply = await invoke(method)
      assert.ok(!reply.ok)
      assert.equal(reply.error.code, 'unknown-method', String(method))
    }
    assert.deepEqual(calls, [])
  })

  it('maps the engine’s ApiError to its code, and anything else to internal (logged)', async () => {
    const { invoke, log } = setup((api) => ({
      ...api,
      listApps: async () => {
        throw new TypeError('boom')
      },
    }))
    const missing = await invoke('getApp', { id: 'nobody' })
    assert.ok(!missing.ok)
    assert.equal(missing.error.code, 'not-found')
    const broken = await invoke('listApps')
    assert.ok(!broken.ok)
    assert.deepEqual(broken.error, { code: 'internal', message: 'listApps failed: boom' })
    assert.ok(log.lines.some((l) => l.level === 'error' && /IPC listApps failed: TypeError: boom/.test(l.msg)))
  })

  it('ignores calls from another webContents, a subframe or another page, and logs it once per sender', async () => {
    const { invoke, calls, log, own, mainFrame } = setup()
    const stranger = new FakeWebContents()
    const refusals = [
      { sender: stranger, senderFrame: { url: PAGE_URL, parent: null } },
      { sender: stranger, senderFrame: { url: PAGE_URL, parent: null } },
      { sender: own, senderFrame: { url: PAGE_URL, parent: mainFrame } },
      { sender: own, senderFrame: { url: 'https://evil.example/', parent: null } },
      { sender: own, senderFrame: { url: pathToFileURL('/tmp/other.html').href, parent: null } },
      { sender: own, senderFrame: null },
    ]
    for (const event of refusals) {
      const reply = await invoke('status', undefined, event)
      assert.ok(!reply.ok)
      assert.equal(reply.error.code, 'bad-request')
    }
    assert.deepEqual(calls, [], 'nothing reached the engine')
    const warnings = log.lines.filter((l) => l.level === 'warn')
    assert.equal(warnings.length, 2, 'once for the stranger, once for the own webContents')
    assert.match(warnings[0].msg, /ignored IPC from a page that is not Junction's window/)
  })

  it('refuses everything while no window is open', async () => {
    const { api } = memoryEngine()
    const ipcMain = new FakeIpcMain()
    registerIpc({ ipcMain: ipcMain as unknown as IpcMain, api, ownContents: () => null, page: PAGE, log: memoryLog() })
    const reply = (await ipcMain.handlers.get(CALL_CHANNEL)!({ sender: new FakeWebContents(), senderFrame: { url: PAGE_URL, parent: null } }, 'status')) as IpcReply
    assert.equal(reply.ok, false)
  })

  it('removes its handler when disposed', () => {
    const { ipcMain, dispose } = setup()
    assert.ok(ipcMain.handlers.has(CALL_CHANNEL))
    dispose()
    assert.ok(!ipcMain.handlers.has(CALL_CHANNEL))
  })
})

describe('IPC events', () => {
  it('pushes an event to the window on junction:event, and skips a destroyed or absent one', () => {
    const contents = new FakeWebContents()
    sendEvent(contents as unknown as WebContents, 'paused', { paused: true })
    assert.deepEqual(contents.sent, [[EVENT_CHANNEL, 'paused', { paused: true }]])
    contents.destroyed = true
    sendEvent(contents as unknown as WebContents, 'paused', { paused: false })
    assert.equal(contents.sent.length, 1)
    sendEvent(null, 'paused', { paused: false })
  })
})
