// How the desktop app ends and starts: closing the window hides it to the tray (unless the setting says otherwise),
// quitting waits for the node to stop cleanly, and "start at login" registers the right thing on each OS.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { EventEmitter } from 'node:events'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { App, BrowserWindow } from 'electron'
import { installQuitHandler, keepInTrayOnClose } from '../../../app/main/electron/lifecycle'
import { applyStartAtLogin, autostartFile, execQuote, startedHidden } from '../../../app/main/electron/login-item'
import { fakeEvent, FakeBrowserWindow, memoryLog } from './fakes'

/** `app` enough for quitting: before-quit runs its listeners, and quits unless one of them prevents it. */
class FakeApp extends EventEmitter {
  quitCalls = 0
  exited: number | null = null
  quitDone = false
  quit() {
    this.quitCalls++
    const e = fakeEvent({})
    this.emit('before-quit', e)
    if (!e.defaultPrevented) this.quitDone = true
  }
  exit(code: number) {
    this.exited = code
  }
}

async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise<void>((r) => setImmediate(r))
}

describe('quitting', () => {
  it('holds the quit until the node has stopped, stops once, then quits', async () => {
    const app = new FakeApp()
    let release!: () => void
    let stops = 0
    const control = installQuitHandler({
      app: app as unknown as Pick<App, 'on' | 'quit' | 'exit'>,
      log: memoryLog(),
      stopAll: () => {
        stops++
        return new Promise<void>((r) => (release = r))
      },
    })
    assert.equal(control.quitting, false)
    app.quit()
    assert.equal(control.quitting, true)
    assert.equal(app.quitDone, false, 'held while stopping')
    app.quit()
    assert.equal(stops, 1, 'a second quit request does not stop twice')
    release()
    await flush()
    assert.equal(app.quitDone, true)
    assert.equal(app.exited, null)
  })

  it('quits even if stopping fails, and logs why', async () => {
    const app = new FakeApp()
    const log = memoryLog()
    installQuitHandler({ app: app as unknown as App, log, stopAll: () => Promise.reject(new Error('disk gone')) })
    app.quit()
    await flush()
    assert.equal(app.quitDone, true)
    assert.match(log.lines[0].msg, /error while stopping: disk gone/)
  })

  it('exits after the time allowed if the node does not stop', (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] })
    const app = new FakeApp()
    installQuitHandler({ app: app as unknown as App, log: memoryLog(), stopAll: () => new Promise(() => {}), timeoutMs: 10_000 })
    app.quit()
    t.mock.timers.tick(9_999)
    assert.equal(app.exited, null)
    t.mock.timers.tick(1)
    assert.equal(app.exited, 1)
  })
})

describe('closing the window', () => {
  function setup(closeToTray: boolean) {
    const win = new FakeBrowserWindow({})
    const quit = { quitting: false }
    keepInTrayOnClose(win as unknown as BrowserWindow, () => closeToTray, quit)
    const close = () => {
      const e = fakeEvent({})
      win.emit('close', e)
      return e.defaultPrevented
    }
    return { win, quit, close }
  }

  it('hides it to the tray when closeToTray is on', () => {
    const { win, close } = setup(true)
    assert.equal(close(), true, 'the close is cancelled')
    assert.equal(win.hidden, true)
  })

  it('lets it close when closeToTray is off, or when quitting', () => {
    const off = setup(false)
    assert.equal(off.close(), false)
    assert.equal(off.win.hidden, false)
    const quitting = setup(true)
    quitting.quit.quitting = true
    assert.equal(quitting.close(), false)
  })
})

describe('start at login', () => {
  it('uses setLoginItemSettings on macOS and Windows, starting hidden', () => {
    for (const platform of ['darwin', 'win32'] as const) {
      const calls: unknown[] = []
      const app = { setLoginItemSettings: (s: unknown) => void calls.push(s) }
      applyStartAtLogin(true, { app, platform, executable: 'C:\\Program Files\\Junction\\Junction.exe', autostartDir: '/unused' })
      applyStartAtLogin(false, { app, platform, executable: 'C:\\Program Files\\Junction\\Junction.exe', autostartDir: '/unused' })
      assert.deepEqual(calls, [
        { openAtLogin: true, path: 'C:\\Program Files\\Junction\\Junction.exe', args: ['--hidden'] },
        { openAtLogin: false, path: 'C:\\Program Files\\Junction\\Junction.exe', args: ['--hidden'] },
      ])
    }
  })

  it('writes and removes an XDG autostart entry on Linux', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'junction-autostart-')), 'autostart')
    const app = {
      setLoginItemSettings: () => assert.fail('not on Linux'),
    }
    applyStartAtLogin(true, { app, platform: 'linux', executable: '/home/me/Apps/Junction 1.0.AppImage', autostartDir: dir })
    const entry = readFileSync(autostartFile(dir), 'utf8')
    assert.match(entry, /^\[Desktop Entry\]\nType=Application\nName=Junction\n/)
    assert.match(entry, /\nExec="\/home\/me\/Apps\/Junction 1\.0\.AppImage" --hidden\n/)
    applyStartAtLogin(false, { app, platform: 'linux', executable: '/x', autostartDir: dir })
    assert.equal(existsSync(autostartFile(dir)), false)
    applyStartAtLogin(false, { app, platform: 'linux', executable: '/x', autostartDir: dir })
  })

  it('quotes Exec arguments as the desktop entry spec asks', () => {
    assert.equal(execQuote('/usr/bin/junction'), '/usr/bin/junction')
    assert.equal(execQuote('/a b'), '"/a b"')
    assert.equal(execQuote('/a"$`b'), '"/a\\\\"\\\\$\\\\`b"')
    assert.equal(execQuote('/100%'), '"/100%%"')
    assert.equal(execQuote(''), '""')
  })

  it('knows a login start by --hidden, or on macOS by wasOpenedAtLogin', () => {
    assert.equal(startedHidden(['/x/junction', '--hidden'], 'linux', () => false), true)
    assert.equal(startedHidden(['/x/junction'], 'linux', () => true), false)
    assert.equal(startedHidden(['/x/Junction'], 'darwin', () => true), true)
    assert.equal(startedHidden(['/x/Junction'], 'darwin', () => false), false)
  })
})
