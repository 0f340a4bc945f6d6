// The UI end to end, as a person uses it: headless Junction (npm run headless's entry) with a real ILSP
// (ilp-connector + mini-accounts) and real apps (ilp-plugin-btp) paying through it, the built UI in Debian's Chromium.
// Every page is screenshotted, light and dark, into test/e2e/screenshots/ (kept by CI, not committed).
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { spawnHeadless } from '../support/headless'
import { connectPlugin, freePort, startFulfiller, startIlsp } from '../support/ilsp'
import { cleanup, disconnectAll, sendPrepare, waitUntil } from '../support/junction'
import { expectText, openBrowser, skipBrowser } from './support/browser'

const PAGES = ['overview', 'apps', 'apps/alice', 'activity', 'providers', 'peers', 'settlements', 'settings']

test('a person watches apps pay, approves one, blocks one, and gets a clear refusal', { skip: skipBrowser(), timeout: 180_000 }, async (t) => {
  const defer = cleanup(t)
  const ilsp = await startIlsp({ address: 'test.ilsp' })
  defer(() => ilsp.stop())
  const payee = await startFulfiller(ilsp.btpUrl('payee', 'payee-secret'))
  defer(() => payee.stop())
  const data = mkdtempSync(join(tmpdir(), 'junction-e2e-'))
  defer(() => rmSync(data, { recursive: true, force: true }))
  const port = await freePort()
  const junction = spawnHeadless([
    '--parent', ilsp.btpUrl('me', 'me-secret'),
    '--data', data,
    '--port', String(port),
    '--new-apps', 'ask',
    '--app', 'alice:alice-token-0001',
    '--app', 'bob:bob-token-0002',
  ])
  defer(() => junction.stop())
  await junction.ready()
  const ui = (await junction.line(/ ui=(\S+)/))[1]!

  const appUrl = (name: string, token: string) => `btp+ws://${name}:${token}@127.0.0.1:${port}`
  const alice = await connectPlugin(appUrl('alice', 'alice-token-0001'))
  const bob = await connectPlugin(appUrl('bob', 'bob-token-0002'))
  const carol = await connectPlugin(appUrl('carol', 'carol-token-0003'))
  defer(() => disconnectAll(alice, bob, carol))
  const pay = (plugin: unknown, amount: bigint) => sendPrepare(plugin, { destination: payee.address, amount, executionCondition: payee.condition })

  for (let i = 0; i < 3; i++) assert.equal((await pay(alice, 123_456_789n)).type, 'fulfill')
  assert.equal((await pay(bob, 2_000_000_000n)).type, 'fulfill')
  const waiting = await pay(carol, 7n)
  assert.ok(waiting.type === 'reject' && waiting.code === 'T00' && /waiting for approval/.test(waiting.message), JSON.stringify(waiting))

  const browser = await openBrowser()
  defer(() => browser.close())
  const { page } = browser
  await page.goto(ui)

  // Overview: connected, today's spend exact, both apps in the chart's legend and in top apps.
  await expectText(page, 'body', /Connected to/)
  await expectText(page, 'body', 'test.ilsp.children.me')
  const spent = page.getByRole('region', { name: 'Spent today' })
  await expectText(page, 'section[aria-label="Spent today"]', '2.370370367')
  assert.match((await spent.locator('.summary-value').textContent()) ?? '', /^2\.370370367\s*XRP$/)
  // A live payment shows up without reloading.
  assert.equal((await pay(alice, 1n)).type, 'fulfill')
  await expectText(page, 'section[aria-label="Spent today"]', '2.370370368')
  assert.ok((await page.locator('.recharts-area').count()) >= 2, 'a stacked area per app')

  // Apps: exact amounts per app in the table.
  await page.goto(ui.split('#')[0] + '#/apps')
  const row = (name: string) => page.locator('tr', { has: page.getByRole('link', { name, exact: true }) })
  await row('alice').waitFor()
  const headers = (await page.locator('thead th').allTextContents()).map((h) => h.trim())
  const cell = async (name: string, column: string) => {
    const i = headers.findIndex((h) => h.startsWith(column))
    assert.ok(i >= 0, `a column ${column} in ${headers.join(' | ')}`)
    return ((await row(name).locator('td').nth(i).textContent()) ?? '').replace(/\s+/g, ' ').trim()
  }
  assert.equal(await cell('alice', 'Spent today'), '0.370370368 XRP')
  assert.equal(await cell('alice', 'All time'), '0.370370368 XRP')
  assert.equal(await cell('bob', 'Spent today'), '2 XRP')
  assert.match(await cell('carol', 'Status'), /Waiting for approval/i)

  // Approving carol lets her packets through.
  await page.getByRole('button', { name: 'Approve carol' }).click()
  await page.getByRole('alertdialog').getByRole('button', { name: 'Approve' }).click()
  await expectText(page, 'body', /carol is approved/)
  assert.equal((await pay(carol, 7n)).type, 'fulfill', 'approved: carol pays')

  // Blocking bob disconnects him and refuses him at every connection.
  await page.getByRole('button', { name: 'Block bob' }).click()
  await page.getByRole('alertdialog').getByRole('button', { name: 'Block' }).click()
  await expectText(page, 'body', /bob is blocked/)
  await waitUntil(() => !bob.isConnected(), 5000, 'bob to be disconnected')
  await assert.rejects(connectPlugin(appUrl('bob', 'bob-token-0002')), 'a blocked app cannot connect again')
  await expectText(page, `tr:has(a:text-is("bob"))`, /Blocked/)

  // An invalid argument is refused with the engine's own words: a budget beyond what the ledger can hold…
  await page.getByRole('button', { name: 'Set the budget of alice' }).click()
  const dialog = page.getByRole('dialog')
  await dialog.getByLabel(/Amount/).fill('99999999999')
  await dialog.getByRole('button', { name: 'Save budget' }).click()
  await dialog.getByRole('alert').waitFor()
  assert.match((await dialog.getByRole('alert').textContent()) ?? '', /must be at most 9223372036854775807 base units/)
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  // …and over the page's own WebSocket, a bad call names the field.
  const token = new URL(ui).hash.replace('#token=', '')
  const refused = await page.evaluate(async (tok) => {
    const ws = new WebSocket(`ws://${location.host}/`, ['junction', `token.${tok}`])
    await new Promise((r) => (ws.onopen = r))
    ws.send(JSON.stringify({ id: 1, method: 'setAppBudget', params: { id: 'alice', budget: { amount: '-5', period: 'day' } } }))
    const reply = await new Promise<string>((r) => (ws.onmessage = (m) => r(String(m.data))))
    ws.close()
    return JSON.parse(reply)
  }, token)
  assert.equal(refused.error.code, 'invalid-input')
  assert.equal(refused.error.issues[0].path, 'budget.amount')

  // Every page, light and dark, for people to look at.
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme })
    for (const p of PAGES) {
      await page.goto(ui.split('#')[0] + '#/' + p)
      await page.locator('main h1').first().waitFor()
      await page.waitForTimeout(400)
      await browser.shot(`${scheme}-${p.replace('/', '-')}`)
    }
  }
  assert.deepEqual(browser.errors, [], 'no console errors (CSP violations, failed requests, exceptions)')
})

test('the UI without the token gets no data and says what to do', { skip: skipBrowser(), timeout: 60_000 }, async (t) => {
  const defer = cleanup(t)
  const data = mkdtempSync(join(tmpdir(), 'junction-e2e-'))
  defer(() => rmSync(data, { recursive: true, force: true }))
  const junction = spawnHeadless(['--port', '0', '--data', data])
  defer(() => junction.stop())
  await junction.ready()
  const ui = (await junction.line(/ ui=(\S+)/))[1]!
  const browser = await openBrowser()
  defer(() => browser.close())
  await browser.page.goto(ui.split('#')[0])
  await expectText(browser.page, 'body', /token/i)
  await browser.shot('no-token')
  assert.equal(await browser.page.locator('text=private.junction').count(), 0, 'no engine data without the token')
})
