// The app window's box: its webPreferences, no window.open, no navigation away from the app's page, no permissions;
// and how it is opened (the page, a #route, shown once painted). Fake BrowserWindow and webContents.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { pathToFileURL } from 'node:url'
import type { BrowserWindow, BrowserWindowConstructorOptions, WebContents } from 'electron'
import { isAppPage, shellPaths, unpacked } from '../../../app/main/electron/paths'
import { createMainWindow, denyPermissions, guardNavigation, showRoute, windowOptions } from '../../../app/main/electron/window'
import { fakeEvent, FakeBrowserWindow, FakeWebContents } from './fakes'

const PAGE = '/home/me/junction/dist/renderer/index.html'
const PAGE_URL = pathToFileURL(PAGE).href

describe('window options', () => {
  it('isolate the renderer: context isolation, sandbox, no Node, web security, the preload only', () => {
    const prefs = windowOptions({ preload: '/x/preload.cjs' }).webPreferences!
    assert.equal(prefs.contextIsolation, true)
    assert.equal(prefs.sandbox, true)
    assert.equal(prefs.nodeIntegration, false)
    assert.equal(prefs.nodeIntegrationInWorker, false)
    assert.equal(prefs.nodeIntegrationInSubFrames, false)
    assert.equal(prefs.webSecurity, true)
    assert.equal(prefs.allowRunningInsecureContent, false)
    assert.equal(prefs.webviewTag, false)
    assert.equal(prefs.preload, '/x/preload.cjs')
  })

  it('start hidden (shown when painted) with the theme’s background', () => {
    assert.equal(windowOptions({ preload: 'p' }).show, false)
    assert.notEqual(windowOptions({ preload: 'p', dark: true }).backgroundColor, windowOptions({ preload: 'p', dark: false }).backgroundColor)
  })
})

describe('navigation guard', () => {
  function guarded(openExternal?: (url: string) => void) {
    const contents = new FakeWebContents()
    guardNavigation(contents as unknown as WebContents, PAGE, openExternal)
    return contents
  }

  it('denies window.open; hands https links (only) to the browser', () => {
    const opened: string[] = []
    const contents = guarded((url) => opened.push(url))
    for (const url of ['https://interledger.org/', 'http://example.com/', 'file:///etc/passwd', 'javascript:alert(1)', PAGE_URL]) {
      assert.deepEqual(contents.openHandler!({ url }), { action: 'deny' }, url)
    }
    assert.deepEqual(opened, ['https://interledger.org/'])
    assert.deepEqual(guarded().openHandler!({ url: 'https://interledger.org/' }), { action: 'deny' })
  })

  it('stops navigation away from the app’s page, lets a reload or #route through', () => {
    const contents = guarded()
    const navigate = (url: string, event = 'will-navigate') => {
      const e = fakeEvent({ url })
      contents.emit(event, e, url)
      return e.defaultPrevented
    }
    assert.equal(navigate('https://evil.example/'), true)
    assert.equal(navigate(pathToFileURL('/home/me/junction/dist/renderer/other.html').href), true)
    assert.equal(navigate('file:///etc/passwd'), true)
    assert.equal(navigate(`${PAGE_URL}?x=1`), true)
    assert.equal(navigate('https://evil.example/', 'will-redirect'), true)
    assert.equal(navigate(PAGE_URL), false)
    assert.equal(navigate(`${PAGE_URL}#/apps/wallet`), false)
    const attach = fakeEvent({})
    contents.emit('will-attach-webview', attach)
    assert.equal(attach.defaultPrevented, true)
  })

  it('denies every permission request and check', () => {
    const contents = new FakeWebContents()
    denyPermissions(contents.session as unknown as Parameters<typeof denyPermissions>[0])
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read']) {
      let granted: boolean | undefined
      contents.permissionRequest!(contents, permission, (g) => (granted = g))
      assert.equal(granted, false, permission)
    }
    assert.equal(contents.permissionCheck!(contents, 'media'), false)
  })
})

describe('the main window', () => {
  const deps = {
    BrowserWindow: FakeBrowserWindow as unknown as new (o: BrowserWindowConstructorOptions) => BrowserWindow,
    page: PAGE,
    preload: '/home/me/junction/dist/main/preload.cjs',
  }

  it('loads the app’s page at the route, guarded, and shows it once painted', () => {
    const win = createMainWindow(deps, '/apps/wallet') as unknown as FakeBrowserWindow
    assert.deepEqual(win.loaded, { file: PAGE, options: { hash: '/apps/wallet' } })
    assert.equal((win.options.webPreferences as { sandbox: boolean }).sandbox, true)
    assert.ok(win.webContents.openHandler, 'window.open guarded')
    assert.ok(win.webContents.permissionRequest, 'permissions denied')
    assert.equal(win.shown, false)
    win.emit('ready-to-show')
    assert.equal(win.shown, true)
    assert.equal((createMainWindow(deps) as unknown as FakeBrowserWindow).loaded!.options, undefined)
  })

  it('switches the page of an open window by its #route, without a reload', () => {
    const win = new FakeBrowserWindow({})
    showRoute(win as unknown as BrowserWindow, '/apps/a"b')
    assert.deepEqual(win.webContents.scripts, ['location.hash = "/apps/a\\"b"'])
  })
})

describe('paths', () => {
  it('puts everything the app runs under dist/, and the user’s files under userData', () => {
    const p = shellPaths('/opt/Junction/resources/app.asar', '/home/me/.config/Junction')
    assert.equal(p.page, '/opt/Junction/resources/app.asar/dist/renderer/index.html')
    assert.equal(p.preload, '/opt/Junction/resources/app.asar/dist/main/preload.cjs')
    assert.equal(p.nativeBinding, '/opt/Junction/resources/app.asar.unpacked/dist/native/better_sqlite3.node', 'outside the archive')
    assert.equal(p.configFile, '/home/me/.config/Junction/config.json')
    assert.equal(p.defaultDataFolder, '/home/me/.config/Junction', 'the same folder headless mode uses')
    assert.equal(unpacked('/repo/dist/native/x.node'), '/repo/dist/native/x.node')
  })

  it('knows the app’s own page by its file URL, whatever the #route', () => {
    assert.equal(isAppPage(PAGE_URL, PAGE), true)
    assert.equal(isAppPage(`${PAGE_URL}#/settings`, PAGE), true)
    assert.equal(isAppPage('file://host/home/me/junction/dist/renderer/index.html', PAGE), false)
    assert.equal(isAppPage('not a url', PAGE), false)
    const spaced = '/home/me/my junction/dist/renderer/index.html'
    assert.equal(isAppPage(pathToFileURL(spaced).href, spaced), true)
  })
})
