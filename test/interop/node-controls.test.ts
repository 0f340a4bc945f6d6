// The node's controls through the UI/API WebSocket, with real parts: Junction started by startNode (as headless mode
// and the desktop app start it) on a data folder with its SQLite database, a real `ws` client on the UI port, real
// ilp-plugin-btp apps on the app port. Pause (T03 with its message, kept across a restart), settings (kept across a
// restart, invalid ones refused naming the field), allowed origins enforced on the app port at once, and the
// rotated log file.
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, test, type TestContext } from 'node:test'
import * as Btp from 'btp-packet'
import { createLogger, LOG_FILE_MAX_BYTES } from '../../app/main/engine/log'
import { type JunctionNode, logFilePath, startNode } from '../../app/main/node'
import { cleanup } from '../support/junction'
import { assertFulfilled, assertReject, RawBtpClient, startApp, type TestApp } from '../support/raw-btp'
import { UiClient } from '../support/ui-client'

const TOKEN = 'node-controls-test-token'
const PAUSED = /^Junction is paused by its user; resume it in Junction to let packets through$/

function tempFolder(t: TestContext): string {
  const folder = mkdtempSync(join(tmpdir(), 'junction-controls-'))
  t.after(() => rmSync(folder, { recursive: true, force: true }))
  return folder
}

/** A node on `folder` with its UI server, a UI client, and apps; `restart` stops it and starts it again there. */
async function harness(t: TestContext, folder: string, allowOrigins: string[] = []) {
  const defer = cleanup(t)
  let node: JunctionNode
  let ui: UiClient
  const apps: TestApp[] = []
  const start = async (port = 0) => {
    node = await startNode({ config: { port, allowOrigins }, dataFolder: folder, shell: 'headless', uiPort: 0, uiToken: TOKEN })
    ui = await UiClient.connect(t, node.ui!.port, TOKEN)
  }
  await start()
  defer(() => node.stop())
  const h = {
    get node() {
      return node
    },
    get ui() {
      return ui
    },
    addr: (name: string) => `${node.connector.own.address}.${name}`,
    async app(name: string): Promise<TestApp> {
      const a = await startApp(`btp+ws://${name}:${name}-token@127.0.0.1:${node.connector.port}`)
      apps.push(a)
      defer(() => a.stop().catch(() => {}))
      return a
    },
    async restart(): Promise<void> {
      for (const a of apps.splice(0)) await a.stop().catch(() => {})
      ui.ws.terminate()
      // The same app port, so the apps' URLs stay valid.
      const port = node.connector.port
      await node.stop()
      await start(port)
    },
  }
  return h
}

describe('pause', { timeout: 60_000 }, () => {
  test("apps' packets get T03 with the pause message, the UI hears of it, and it survives a restart", async (t) => {
    const h = await harness(t, tempFolder(t))
    let alice = await h.app('alice')
    let bob = await h.app('bob')
    assertFulfilled(await alice.pay(h.addr('bob'), 10))

    assert.deepEqual(await h.ui.call('pause'), { paused: true })
    await h.ui.frame((f) => f.event === 'paused', 'the paused event')
    assert.deepEqual(h.ui.events('paused'), [{ paused: true }])
    assert.equal((await h.ui.call('status')).paused, true)
    assertReject(await alice.pay(h.addr('bob'), 10), 'T03', PAUSED)
    assertReject(await bob.pay('test.elsewhere.x', 5), 'T03', PAUSED)
    assert.equal(bob.received, 10n, 'nothing reached bob while paused')

    await h.restart()
    alice = await h.app('alice')
    bob = await h.app('bob')
    assert.equal((await h.ui.call('status')).paused, true, 'still paused after the restart')
    assertReject(await alice.pay(h.addr('bob'), 10), 'T03', PAUSED)

    assert.deepEqual(await h.ui.call('resume'), { paused: false })
    await h.ui.frame((f) => f.event === 'paused' && f.data.paused === false, 'the resumed event')
    assertFulfilled(await alice.pay(h.addr('bob'), 7))
    assert.equal(bob.received, 7n)
  })
})

describe('settings', { timeout: 60_000 }, () => {
  test('changes are kept across a restart and announced; invalid ones are refused naming the field', async (t) => {
    const h = await harness(t, tempFolder(t), ['https://flag.example'])
    const initial = await h.ui.call('getSettings')
    assert.equal(initial.shell, 'headless')
    assert.equal(initial.uiPort, h.node.ui!.port)
    assert.equal(initial.logFile, logFilePath(initial.dataFolder))
    assert.deepEqual([initial.startAtLogin, initial.closeToTray], [null, null])

    const changed = await h.ui.call('setSettings', {
      newAppPolicy: 'ask',
      defaultBudget: { amount: '250000', period: 'month' },
      allowedOrigins: ['https://wallet.example'],
      logLevel: 'warn',
    })
    assert.deepEqual(
      [changed.newAppPolicy, changed.defaultBudget, changed.allowedOrigins, changed.logLevel],
      ['ask', { amount: '250000', period: 'month' }, ['https://flag.example', 'https://wallet.example'], 'warn'],
    )
    await h.ui.frame((f) => f.event === 'settingsChanged', 'the settingsChanged event')
    assert.deepEqual(h.ui.events('settingsChanged').at(-1), changed)

    for (const [params, field, message] of [
      [{ allowedOrigins: ['wallet.example'] }, 'allowedOrigins.0', /expected an origin/],
      [{ logLevel: 'verbose' }, 'logLevel', /expected "error", "warn", "info" or "debug"/],
      [{ defaultBudget: { amount: '-1', period: 'day' } }, 'defaultBudget.amount', /expected a whole number of base units/],
      [{ newAppPolicy: 'sometimes' }, 'newAppPolicy', /expected "allow", "ask" or "deny"/],
      [{ closeToTray: true }, 'closeToTray', /closeToTray is a desktop app setting/],
    ] as const) {
      const reply = await h.ui.request('setSettings', params)
      assert.equal(reply.error?.code, 'invalid-input', JSON.stringify(params))
      assert.ok(
        reply.error.issues.some((i: { path: string; message: string }) => i.path === field && message.test(i.message)),
        `${JSON.stringify(params)} → ${JSON.stringify(reply.error)}`,
      )
    }

    await h.restart()
    const after = await h.ui.call('getSettings')
    assert.deepEqual(
      [after.newAppPolicy, after.defaultBudget, after.allowedOrigins, after.logLevel],
      ['ask', { amount: '250000', period: 'month' }, ['https://flag.example', 'https://wallet.example'], 'warn'],
    )
    await h.ui.call('setSettings', { logLevel: 'info' })
  })

  test('allowed origins are enforced on the app port as soon as they change', async (t) => {
    const h = await harness(t, tempFolder(t))
    const appPort = `ws://127.0.0.1:${h.node.connector.port}`
    const origin = 'https://wallet.example'
    const refused = async () => {
      await assert.rejects(RawBtpClient.open(appPort, { origin }), /Unexpected server response: 403/)
    }
    await refused()

    await h.ui.call('setSettings', { allowedOrigins: [origin] })
    const client = await RawBtpClient.open(appPort, { origin })
    const auth = await client.auth('browser-app', 'browser-app-token')
    assert.equal(auth.type, Btp.TYPE_RESPONSE, 'a BTP Response: the app from that origin is in')
    client.terminate()
    // Another origin is still refused.
    await assert.rejects(RawBtpClient.open(appPort, { origin: 'https://other.example' }), /403/)

    await h.ui.call('setSettings', { allowedOrigins: [] })
    await refused()
  })
})

describe('log file', { timeout: 60_000 }, () => {
  test('the node writes <data>/logs/junction.log and rotates it at 1 MiB, keeping three old files', async (t) => {
    const folder = tempFolder(t)
    const h = await harness(t, folder)
    const file = logFilePath(folder)
    assert.equal(h.node.logFile, file)
    const log = createLogger('rotation-test')
    // About 4.5 MiB of warnings: the file is moved aside four times, the oldest dropped.
    const filler = 'x'.repeat(1000)
    for (let i = 0; i < 4700; i++) log.warn(`line ${i} ${filler}`)
    assert.ok(statSync(file).size <= LOG_FILE_MAX_BYTES)
    for (const n of [1, 2, 3]) {
      const size = statSync(`${file}.${n}`).size
      assert.ok(size > LOG_FILE_MAX_BYTES - 1100 && size <= LOG_FILE_MAX_BYTES, `junction.log.${n}: ${size} bytes`)
    }
    assert.equal(existsSync(`${file}.4`), false)
    assert.match(readFileSync(file, 'utf8'), /warn  rotation-test: line 4699 x+\n$/)
    // Older lines are in the older files, in order.
    const first = (p: string) => Number(/line (\d+)/.exec(readFileSync(p, 'utf8'))![1])
    assert.ok(first(`${file}.3`) < first(`${file}.2`) && first(`${file}.2`) < first(`${file}.1`) && first(`${file}.1`) < first(file))
  })
})
