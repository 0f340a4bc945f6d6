// The desktop app without Electron: scripts/build.mjs bundles main and preload into a temporary folder (the build must
// succeed), then
// - the desktop app (desktop-app.ts, what the main bundle runs) is given the stand-in Electron objects of
//   fake-electron/ — the real 'electron' module is never loaded — and starts a real node: the
//   window's options, IPC as the window and as a stranger, close-to-tray, shell settings changed over IPC (start at
//   login, close to tray), pausing from the tray (and the event the window gets), and a quit that stops the node and
//   releases the data folder;
// - the preload bundle runs in a sandbox-like context where only 'electron' can be required, and exposes exactly
//   `window.junction = { call, onEvent }`.
import { before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import vm from 'node:vm'

const ROOT = fileURLToPath(new URL('../../..', import.meta.url))
const RUN_APP = fileURLToPath(new URL('./fake-electron/run-desktop-app.ts', import.meta.url))

let out: string

before(() => {
  out = mkdtempSync(join(tmpdir(), 'junction-bundle-'))
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs'), '--only', 'main', '--out', join(out, 'app/dist'), '--quiet'], { encoding: 'utf8' })
  assert.equal(build.status, 0, build.stderr)
})

describe('the main process, on stand-in Electron objects', () => {
  it('starts a node, serves the window over IPC, hides to the tray, applies shell settings, pauses from the tray and quits cleanly', () => {
    const app = join(out, 'app')
    mkdirSync(join(app, 'dist/native'), { recursive: true })
    mkdirSync(join(app, 'dist/renderer'), { recursive: true })
    // Under Node the Node build stands in for the Electron one: what is checked is that main loads it from dist/native.
    cpSync(join(ROOT, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'), join(app, 'dist/native/better_sqlite3.node'))
    cpSync(join(ROOT, 'resources/tray'), join(app, 'dist/tray'), { recursive: true })
    writeFileSync(join(app, 'dist/renderer/index.html'), '<!doctype html>')
    const appData = join(out, 'appdata')
    mkdirSync(join(appData, 'Junction'), { recursive: true })
    writeFileSync(join(appData, 'Junction/config.json'), JSON.stringify({ port: 0, 'new-apps': 'ask' }))

    const run = spawnSync(process.execPath, ['--import', pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href, RUN_APP], {
      cwd: out,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, FAKE_APP_PATH: app, FAKE_APP_DATA: appData, FAKE_PACKAGED: '1', XDG_CONFIG_HOME: join(out, 'xdg'), JUNCTION_LOG: 'silent' },
    })
    const seen = new Map<string, Record<string, unknown>>()
    for (const line of run.stdout.split('\n')) if (line.startsWith('FAKE ')) {
      const e = JSON.parse(line.slice(5)) as { what: string }
      seen.set(e.what, e)
    }
    assert.equal(run.status, 0, `exit ${run.status}\n${run.stdout}\n${run.stderr}`)
    assert.ok(!seen.has('errorBox'), JSON.stringify(seen.get('errorBox')))

    assert.ok(seen.has('enableSandbox'))
    const win = seen.get('window') as { webPreferences: Record<string, unknown>; loaded: { file: string } }
    assert.equal(win.webPreferences.sandbox, true)
    assert.equal(win.webPreferences.contextIsolation, true)
    assert.equal(win.webPreferences.nodeIntegration, false)
    assert.equal(win.webPreferences.preload, join(app, 'dist/main/preload.cjs'))
    assert.equal(win.loaded.file, join(app, 'dist/renderer/index.html'))

    const status = (seen.get('call') as { reply: { ok: boolean; result: { newAppPolicy: string; paused: boolean } } }).reply
    assert.equal(status.ok, true)
    assert.equal(status.result.newAppPolicy, 'ask', 'the config file reached the engine')
    assert.equal(status.result.paused, false)
    const bad = (seen.get('badCall') as { reply: { ok: boolean; error: { code: string } } }).reply
    assert.equal(bad.error.code, 'invalid-input')
    const stranger = (seen.get('strangerCall') as { reply: { ok: boolean; error: { code: string } } }).reply
    assert.equal(stranger.error.code, 'bad-request')

    assert.deepEqual(seen.get('close'), { what: 'close', prevented: true, visible: false })
    // setSettings over IPC → settingsChanged → the shell registers the login item and stops hiding to the tray.
    assert.match((seen.get('autostart') as { entry: string }).entry, /\nExec=\S+ --hidden\n/)
    assert.deepEqual(seen.get('closeWithoutTray'), { what: 'closeWithoutTray', prevented: false })

    const tray = seen.get('tray') as { image: string; labels: string[] }
    assert.equal(tray.image, join(app, 'dist/tray/tray-no-provider.png'))
    assert.deepEqual(tray.labels, [
      'Open Junction',
      '—',
      'No provider — local mode',
      'Address: private.junction',
      'Spent today: 0 XRP',
      '—',
      'Pause all apps',
      '—',
      'Quit Junction',
    ])
    const paused = seen.get('paused') as { image: string; events: Array<{ name: string; data: unknown }> }
    assert.equal(paused.image, join(app, 'dist/tray/tray-paused.png'))
    assert.deepEqual(paused.events.find((e) => e.name === 'paused')?.data, { paused: true })

    assert.ok(seen.has('trayDestroyed'))
    assert.ok(seen.has('quit'))
    const data = join(appData, 'Junction')
    assert.ok(existsSync(join(data, 'junction.db')), 'the data folder is <userData>, shared with headless mode')
    assert.ok(!existsSync(join(data, 'junction.lock')), 'the node stopped and released its data folder')
  })
})

describe('the bundled preload', () => {
  it('needs nothing but electron, and exposes exactly window.junction = { call, onEvent }', async () => {
    const code = readFileSync(join(out, 'app/dist/main/preload.cjs'), 'utf8')
    const exposed = new Map<string, Record<string, (...args: never[]) => unknown>>()
    const invoked: unknown[][] = []
    const listeners = new Map<string, Set<(...args: unknown[]) => void>>()
    const electron = {
      contextBridge: { exposeInMainWorld: (key: string, api: Record<string, (...args: never[]) => unknown>) => void exposed.set(key, api) },
      ipcRenderer: {
        invoke: async (...args: unknown[]) => (invoked.push(args), { ok: true, result: 'pong' }),
        on: (channel: string, fn: (...args: unknown[]) => void) => void (listeners.get(channel) ?? listeners.set(channel, new Set()).get(channel)!).add(fn),
        removeListener: (channel: string, fn: (...args: unknown[]) => void) => void listeners.get(channel)?.delete(fn),
      },
    }
    const required: string[] = []
    const sandboxRequire = (name: string) => {
      required.push(name)
      if (name !== 'electron') throw new Error(`a sandboxed preload cannot require ${name}`)
      return electron
    }
    const module = { exports: {} }
    vm.runInNewContext(code, { require: sandboxRequire, module, exports: module.exports })

    assert.deepEqual(required, ['electron'])
    assert.deepEqual([...exposed.keys()], ['junction'])
    const bridge = exposed.get('junction')!
    assert.deepEqual(Object.keys(bridge).sort(), ['call', 'onEvent'])

    assert.deepEqual(await (bridge.call as (m: string, p: unknown) => Promise<unknown>)('status', { a: 1 }), { ok: true, result: 'pong' })
    assert.deepEqual(invoked, [['junction:call', 'status', { a: 1 }]])

    const got: unknown[][] = []
    const off = (bridge.onEvent as (l: (e: string, d: unknown) => void) => () => void)((e, d) => void got.push([e, d]))
    const sender = { secret: 'the IPC event object' }
    for (const fn of listeners.get('junction:event')!) fn(sender, 'paused', { paused: true })
    assert.deepEqual(got, [['paused', { paused: true }]], 'only the name and data reach the page')
    off()
    assert.equal(listeners.get('junction:event')!.size, 0)
  })
})
